-- The audit journal (SPEC §7, «Журнал действий»): one row per read or change of a
-- person's data and per sign-in, written in the transaction of the action itself.
-- Who acted is kept as a snapshot (role, centre or organisation, their names), so a
-- later rename or move does not rewrite history; no foreign keys, so the journal
-- outlives the accounts it names.
--
-- Immutability, like appeal history, is enforced by the database: UPDATE is always
-- refused. DELETE is refused for any row younger than one year. The retention the
-- server purges at (PORTAL_AUDIT_RETENTION_DAYS, default three years) may not be set
-- below that floor, so the purge job works while no one, the application included,
-- can erase a recent trace. A fixed floor in the trigger is chosen over a setting
-- the purge would switch on (a settings row): whoever can run SQL could switch that
-- too, but cannot change the clock. Timestamps are stored as
-- 'YYYY-MM-DD HH:MM:SS.ffffff' text, which compares in time order with datetime().
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('read', 'change', 'sign_in')),
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_role TEXT CHECK (actor_role IN ('citizen', 'employer', 'staff')),
    actor_name TEXT,
    actor_centre_id TEXT,
    actor_organization_id TEXT,
    actor_unit_name TEXT,
    subject_id TEXT,
    subject_centre_id TEXT,
    record_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    request_id TEXT,
    client_addr TEXT
);
CREATE INDEX audit_events_subject ON audit_events (subject_id, occurred_at);
CREATE INDEX audit_events_actor_centre ON audit_events (actor_centre_id, occurred_at);
CREATE INDEX audit_events_subject_centre ON audit_events (subject_centre_id, occurred_at);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);

CREATE TRIGGER audit_events_immutable_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END;
CREATE TRIGGER audit_events_immutable_delete BEFORE DELETE ON audit_events
WHEN OLD.occurred_at >= datetime('now', '-365 days')
BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END;

-- A centre's supervisors read the journal of their centre (GET /staff/audit).
ALTER TABLE users ADD COLUMN is_supervisor BOOLEAN NOT NULL DEFAULT FALSE;
