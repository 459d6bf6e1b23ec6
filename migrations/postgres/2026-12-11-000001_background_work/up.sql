-- Background work done once however many server processes share the database.

-- A sender claims a batch of the outbox for a lease: until `claimed_until` passes the
-- rows are not due for anyone else, and a sender that died gives them back by
-- letting its lease run out. A message that failed too often is set aside
-- (`dead_at`) for support to look at, and no longer tried.
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP;
ALTER TABLE outbox ADD COLUMN dead_at TIMESTAMP;
CREATE INDEX outbox_pending ON outbox (channel, next_attempt_at)
    WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;

-- A published vacancy whose saved-search notifications are still to be sent: written
-- in the publishing transaction, taken and deleted by the job that sends them.
CREATE TABLE vacancy_fanouts (
    vacancy_id TEXT PRIMARY KEY NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);

-- When each periodic job (draft purge, reminders, retention) is next due: the process
-- that moves `due_at` on runs that pass, the others skip it.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY NOT NULL,
    due_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP NOT NULL,
    runs BIGINT NOT NULL,
    runner TEXT NOT NULL
);
