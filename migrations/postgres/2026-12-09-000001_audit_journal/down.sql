ALTER TABLE users DROP COLUMN is_supervisor;
DROP TABLE audit_events;
DROP FUNCTION audit_events_guard();
