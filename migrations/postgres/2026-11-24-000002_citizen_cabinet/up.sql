-- The citizen's cabinet: vacancies and their search, favourites, resumes, saved
-- searches, drafts, notifications with subscriptions, and the outgoing mail queue.

CREATE TABLE vacancies (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT REFERENCES organizations (id),
    employer_name TEXT NOT NULL,
    employer_rating DOUBLE PRECISION NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    profession_code TEXT,
    category TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT,
    employment_type TEXT NOT NULL,
    schedule TEXT NOT NULL,
    experience TEXT NOT NULL,
    education TEXT,
    salary_from BIGINT,
    salary_to BIGINT,
    -- The figure salary sorting uses: the top of the range, or its only figure, or 0.
    salary_sort BIGINT NOT NULL,
    -- `,code,code,` so that one LIKE tests for a benefit.
    benefits TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Lower-cased title and profession: SQLite's lower() knows no Cyrillic.
    search_text TEXT NOT NULL,
    status TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX vacancies_published ON vacancies (status, published_at);
CREATE INDEX vacancies_region ON vacancies (region_code, status, published_at);
CREATE INDEX vacancies_category ON vacancies (category, status, published_at);
CREATE INDEX vacancies_salary ON vacancies (status, salary_sort);
CREATE INDEX vacancies_rating ON vacancies (status, employer_rating);
CREATE INDEX vacancies_organization ON vacancies (organization_id, created_at);

CREATE TABLE favourite_vacancies (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, vacancy_id)
);

CREATE TABLE resumes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    profession_code TEXT,
    category TEXT NOT NULL,
    region_code TEXT NOT NULL,
    salary BIGINT,
    experience TEXT NOT NULL,
    education TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    schedule TEXT NOT NULL,
    -- A JSON array of strings.
    skills TEXT NOT NULL,
    about TEXT NOT NULL,
    published BOOLEAN NOT NULL,
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX resumes_user ON resumes (user_id, updated_at);
CREATE INDEX resumes_published ON resumes (published, updated_at);

CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The filter as JSON (domain::vacancy::VacancyFilter).
    filter TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);

CREATE TABLE drafts (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX drafts_user ON drafts (user_id, updated_at);
CREATE INDEX drafts_expiry ON drafts (expires_at);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE subscriptions (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, category, channel)
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- The employer's rating on the national platform, by which vacancies can be sorted.
ALTER TABLE organizations ADD COLUMN rating DOUBLE PRECISION NOT NULL DEFAULT 0;
