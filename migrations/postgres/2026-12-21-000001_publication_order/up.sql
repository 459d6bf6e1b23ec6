-- Issue 19: `search_seq` numbers publications (a confirmation publishes anew and takes
-- a new number), so "newest first" is one index in one order, the same on both
-- databases, and a keyset page starts after one number. The application draws the
-- numbers from `vacancy_publications` (`vacancies::next_publications`); rows written
-- before this migration are numbered by their publication dates.
CREATE SEQUENCE vacancy_publications;
ALTER TABLE vacancies ADD COLUMN search_seq BIGINT NOT NULL DEFAULT 0;
UPDATE vacancies SET search_seq = numbered.n
FROM (SELECT id, row_number() OVER (ORDER BY published_at, id) AS n FROM vacancies) AS numbered
WHERE vacancies.id = numbered.id;
SELECT setval('vacancy_publications', (SELECT count(*) + 1 FROM vacancies), false);
CREATE UNIQUE INDEX vacancies_search_seq ON vacancies (search_seq);
CREATE INDEX vacancies_published_seq ON vacancies (status, search_seq);
DROP INDEX vacancies_region;
CREATE INDEX vacancies_region ON vacancies (region_code, status, search_seq);
