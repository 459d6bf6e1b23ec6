-- Staff news to the employers of a centre (`POST /staff/notifications`) was delivered
-- to every account in the request's transaction: a centre with thousands of employer
-- accounts held the write lock (SQLite) or every recipient's notification counter
-- (PostgreSQL) for as long. The news is now recorded here and delivered by the jobs
-- thread a step of accounts per transaction (`persistence::news`), in order of account
-- id after the last one told, like a vacancy's announcement.
CREATE TABLE news_broadcasts (
    id TEXT PRIMARY KEY NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres (id) ON DELETE CASCADE,
    -- One organisation of the centre; all of them when NULL.
    organization_id TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    told_through TEXT
);
CREATE INDEX news_broadcasts_created ON news_broadcasts (created_at, id);
