-- SPEC §6, seed 004: «Заявление-анкета на поиск подходящей работы».
CREATE TABLE job_search_applications (
    id TEXT PRIMARY KEY NOT NULL,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    centre_id TEXT NOT NULL REFERENCES centres (id),
    -- No foreign key: the citizen may delete the resume later; the application keeps
    -- the wishes it was filed with.
    resume_id TEXT NOT NULL,
    claims_unemployed BOOLEAN NOT NULL,
    profession_code TEXT,
    category TEXT NOT NULL,
    region_code TEXT NOT NULL,
    salary_from BIGINT,
    employment_types TEXT NOT NULL,
    schedules TEXT NOT NULL,
    status TEXT NOT NULL,
    attention TEXT,
    consultant_id TEXT REFERENCES users (id),
    accepted_at TIMESTAMP,
    visit_deadline DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One open application per citizen, whatever races the API loses.
CREATE UNIQUE INDEX job_search_applications_one_open ON job_search_applications (citizen_id)
    WHERE status IN ('submitted', 'accepted', 'vacancies_selected', 'negotiations', 'results_sent');
CREATE INDEX job_search_applications_citizen ON job_search_applications (citizen_id, created_at);
CREATE INDEX job_search_applications_centre ON job_search_applications (centre_id, status, created_at);

CREATE TABLE job_search_history (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES job_search_applications (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    comment TEXT,
    actor_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_search_history_application ON job_search_history (application_id, created_at);

-- «Самостоятельно найденные вакансии», cited from the citizen's favourites.
CREATE TABLE job_search_found_vacancies (
    application_id TEXT NOT NULL REFERENCES job_search_applications (id),
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    PRIMARY KEY (application_id, vacancy_id)
);
