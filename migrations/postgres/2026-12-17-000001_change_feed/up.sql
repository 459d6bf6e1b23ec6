-- The live event stream (`GET /events`) resumes from a cursor over a person's durable
-- notifications: `seq` numbers each person's notifications 1, 2, 3 … in the order
-- their transactions commit, taken from `notification_counters` (whose row the
-- inserting transaction holds until it commits).
ALTER TABLE notifications ADD COLUMN seq BIGINT;
UPDATE notifications SET seq = numbered.n
FROM (
    SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS n
    FROM notifications
) AS numbered
WHERE notifications.id = numbered.id;
ALTER TABLE notifications ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX notifications_user_seq ON notifications (user_id, seq);

CREATE TABLE notification_counters (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    last_value BIGINT NOT NULL
);
INSERT INTO notification_counters (user_id, last_value)
SELECT user_id, MAX(seq) FROM notifications GROUP BY user_id;

-- Single-use tickets that open an event stream where a client cannot send
-- `Authorization` (a browser's EventSource). `digest` is the SHA-256 of the ticket;
-- a ticket is consumed by deleting its row, so two processes cannot both accept it.
CREATE TABLE stream_tickets (
    digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX stream_tickets_expires ON stream_tickets (expires_at);
