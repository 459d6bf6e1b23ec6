DROP TABLE job_runs;
DROP TABLE vacancy_fanouts;
DROP INDEX outbox_dead;
DROP INDEX outbox_pending;
ALTER TABLE outbox DROP COLUMN dead_at;
ALTER TABLE outbox DROP COLUMN claimed_until;
