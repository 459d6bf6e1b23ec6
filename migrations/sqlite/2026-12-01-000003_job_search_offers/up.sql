-- Seed 004 «Подбор подходящих вакансий»: the vacancies offered for an application,
-- why each fits, the citizen's priorities, and those agreed with employers.
CREATE TABLE job_search_offers (
    application_id TEXT NOT NULL REFERENCES job_search_applications (id),
    vacancy_id TEXT NOT NULL REFERENCES vacancies (id),
    source TEXT NOT NULL,
    score INTEGER NOT NULL,
    matched TEXT NOT NULL,
    relaxed TEXT NOT NULL,
    priority INTEGER,
    agreed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, vacancy_id)
);
