PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE organizations_new (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    ogrn TEXT NOT NULL UNIQUE,
    inn TEXT NOT NULL,
    kpp TEXT,
    legal_address TEXT,
    actual_address TEXT,
    email TEXT,
    centre_id TEXT REFERENCES centres (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    rating DOUBLE NOT NULL DEFAULT 0,
    legal_form TEXT,
    site TEXT,
    okved TEXT,
    ownership_form TEXT,
    headcount INTEGER,
    transport TEXT,
    social_guarantees TEXT,
    quota_account_number TEXT,
    quota_account_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    verified_at TIMESTAMP,
    verified_by TEXT
);
INSERT INTO organizations_new (id, name, full_name, ogrn, inn, kpp, legal_address, actual_address, email, centre_id, created_at, updated_at, rating, legal_form, site, okved, ownership_form, headcount, transport, social_guarantees, quota_account_number, quota_account_date, version, verified_at, verified_by)
    SELECT id, name, full_name, ogrn, inn, kpp, legal_address, actual_address, email, centre_id, created_at, updated_at, rating, legal_form, site, okved, ownership_form, headcount, transport, social_guarantees, quota_account_number, quota_account_date, version, verified_at, verified_by FROM organizations;
DROP TABLE organizations;
ALTER TABLE organizations_new RENAME TO organizations;
COMMIT;
PRAGMA foreign_keys = ON;
