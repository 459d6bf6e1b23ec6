ALTER TABLE users DROP COLUMN is_supervisor;
DROP TABLE audit_events;
