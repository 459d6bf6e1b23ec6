-- Foundation: centres, accounts and sessions, citizens and their personal cases,
-- organisations and employer accounts, appeals with immutable history and read marks.
-- Identifiers are UUID text; timestamps are UTC without zone (Diesel `Timestamp`).

CREATE TABLE centres (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX centres_region ON centres (region_code);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('citizen', 'employer', 'staff')),
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    email TEXT,
    display_name TEXT NOT NULL,
    centre_id TEXT REFERENCES centres (id),
    blocked_at TIMESTAMP,
    blocked_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_method TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE citizens (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date DATE,
    snils TEXT UNIQUE,
    phone TEXT,
    registration_address TEXT,
    region_code TEXT
);

CREATE TABLE personal_cases (
    id TEXT PRIMARY KEY NOT NULL,
    citizen_id TEXT NOT NULL REFERENCES citizens (user_id),
    centre_id TEXT NOT NULL REFERENCES centres (id),
    status TEXT NOT NULL,
    goals TEXT NOT NULL,
    personal_account TEXT,
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id)
);
CREATE INDEX personal_cases_citizen ON personal_cases (citizen_id);

CREATE TABLE organizations (
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
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE employer_accounts (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX employer_accounts_organization ON employer_accounts (organization_id);
-- SPEC §3: at most one admin per organisation, whatever the application does.
CREATE UNIQUE INDEX employer_accounts_one_admin ON employer_accounts (organization_id) WHERE is_admin;

CREATE TABLE appeal_counters (
    centre_id TEXT NOT NULL REFERENCES centres (id),
    year INTEGER NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (centre_id, year)
);

CREATE TABLE appeals (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    appeal_type TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT REFERENCES organizations (id),
    centre_id TEXT NOT NULL REFERENCES centres (id),
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    deadline DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    staff_deleted_at TIMESTAMP,
    staff_deleted_by TEXT REFERENCES users (id)
);
CREATE INDEX appeals_applicant ON appeals (applicant_id, created_at);
CREATE INDEX appeals_organization ON appeals (organization_id, created_at);
CREATE INDEX appeals_centre ON appeals (centre_id, created_at);

CREATE TABLE appeal_history (
    id TEXT PRIMARY KEY NOT NULL,
    appeal_id TEXT NOT NULL REFERENCES appeals (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    comment TEXT,
    actor_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX appeal_history_appeal ON appeal_history (appeal_id, created_at);

-- SPEC §2: an appeal proves the request reached the centre; neither it nor its history
-- may ever be erased or rewritten.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0];
END;
$$;
CREATE TRIGGER appeal_history_immutable BEFORE UPDATE OR DELETE ON appeal_history
FOR EACH ROW EXECUTE FUNCTION refuse_change('appeal history is immutable');
CREATE TRIGGER appeals_never_deleted BEFORE DELETE ON appeals
FOR EACH ROW EXECUTE FUNCTION refuse_change('appeals are never deleted');

CREATE TABLE appeal_reads (
    appeal_id TEXT NOT NULL REFERENCES appeals (id),
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (appeal_id, user_id)
);
