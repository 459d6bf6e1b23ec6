-- The live event stream (`GET /events`) resumes from a cursor over a person's durable
-- notifications: `seq` numbers each person's notifications 1, 2, 3 … in the order
-- their transactions commit, taken from `notification_counters`.
ALTER TABLE notifications ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE notifications SET seq = (
    SELECT COUNT(*) FROM notifications AS earlier
    WHERE earlier.user_id = notifications.user_id
      AND (earlier.created_at < notifications.created_at
           OR (earlier.created_at = notifications.created_at AND earlier.id <= notifications.id))
);
CREATE UNIQUE INDEX notifications_user_seq ON notifications (user_id, seq);

CREATE TABLE notification_counters (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id),
    last_value BIGINT NOT NULL
);
INSERT INTO notification_counters (user_id, last_value)
SELECT user_id, MAX(seq) FROM notifications GROUP BY user_id;

-- Single-use tickets that open an event stream where a client cannot send
-- `Authorization` (a browser's EventSource). `digest` is the SHA-256 of the ticket;
-- a ticket is consumed by deleting its row.
CREATE TABLE stream_tickets (
    digest TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    session_id TEXT NOT NULL REFERENCES sessions (id),
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX stream_tickets_expires ON stream_tickets (expires_at);
