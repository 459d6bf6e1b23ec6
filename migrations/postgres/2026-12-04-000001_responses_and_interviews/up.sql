-- Seed 004 «Отклик на вакансию. Собеседование»: the citizen's responses to the
-- vacancies agreed for a job-search application, one per vacancy, and the interview
-- an employer's invitation opens, one per response.
CREATE TABLE job_search_responses (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES job_search_applications (id),
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    organization_id TEXT,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    resume_id TEXT NOT NULL,
    cover_letter TEXT NOT NULL,
    status TEXT NOT NULL,
    refusal_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX job_search_responses_one_per_vacancy
    ON job_search_responses (application_id, vacancy_id);
CREATE INDEX job_search_responses_by_organization
    ON job_search_responses (organization_id, created_at);

CREATE TABLE interviews (
    id TEXT PRIMARY KEY NOT NULL,
    response_id TEXT NOT NULL REFERENCES job_search_responses (id),
    application_id TEXT NOT NULL REFERENCES job_search_applications (id),
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    organization_id TEXT,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    scheduled_at TIMESTAMP NOT NULL,
    place TEXT,
    link TEXT,
    contact_person TEXT NOT NULL,
    proposed_at TIMESTAMP,
    comment TEXT,
    outcome TEXT,
    result_comment TEXT,
    result_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX interviews_one_per_response ON interviews (response_id);
CREATE INDEX interviews_by_citizen ON interviews (citizen_id, scheduled_at);
CREATE INDEX interviews_by_organization ON interviews (organization_id, scheduled_at);
CREATE INDEX interviews_by_application ON interviews (application_id);

-- How the citizen finished the negotiations (seed 004 «Отклик…», шаг 6).
ALTER TABLE job_search_applications ADD COLUMN finish_choice TEXT;
