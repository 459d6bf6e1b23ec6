-- An organisation is `verified` once ESIA named it for a signed-in person or centre
-- staff confirmed it; until then (`verified_at` empty) it may prepare vacancies and
-- reports but not publish or send them. Organisations registered before this rule are
-- taken as verified: they published under the old one.
ALTER TABLE organizations ADD COLUMN verified_at TIMESTAMP;
-- `esia`, or the id of the staff account that verified it, or `existing`.
ALTER TABLE organizations ADD COLUMN verified_by TEXT;
UPDATE organizations SET verified_at = created_at, verified_by = 'existing';
