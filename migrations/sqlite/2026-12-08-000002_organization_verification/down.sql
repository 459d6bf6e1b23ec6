ALTER TABLE organizations DROP COLUMN verified_by;
ALTER TABLE organizations DROP COLUMN verified_at;
