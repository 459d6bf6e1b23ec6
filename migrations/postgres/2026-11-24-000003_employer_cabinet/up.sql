-- The employer's cabinet: the organisation's full requisites with a version for
-- If-Match, contact persons and their cabinets, reports, favourite candidates.

ALTER TABLE organizations ADD COLUMN legal_form TEXT;
ALTER TABLE organizations ADD COLUMN site TEXT;
ALTER TABLE organizations ADD COLUMN okved TEXT;
ALTER TABLE organizations ADD COLUMN ownership_form TEXT;
ALTER TABLE organizations ADD COLUMN headcount INTEGER;
ALTER TABLE organizations ADD COLUMN transport TEXT;
ALTER TABLE organizations ADD COLUMN social_guarantees TEXT;
ALTER TABLE organizations ADD COLUMN quota_account_number TEXT;
ALTER TABLE organizations ADD COLUMN quota_account_date DATE;
ALTER TABLE organizations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    position TEXT,
    -- A JSON array of phone numbers.
    phones TEXT NOT NULL,
    email TEXT,
    esia_registered BOOLEAN NOT NULL DEFAULT FALSE,
    -- The contact's cabinet, when it has one.
    user_id TEXT UNIQUE REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contacts_organization ON contacts (organization_id, last_name);

CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    -- The report's content as JSON, validated per kind.
    payload TEXT NOT NULL,
    appeal_id TEXT NOT NULL REFERENCES appeals (id),
    based_on TEXT REFERENCES reports (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_organization ON reports (organization_id, kind, created_at);

CREATE TABLE favourite_resumes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    resume_id TEXT NOT NULL REFERENCES resumes (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, resume_id)
);
