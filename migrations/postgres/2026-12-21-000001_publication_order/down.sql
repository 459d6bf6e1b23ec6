DROP INDEX vacancies_region;
CREATE INDEX vacancies_region ON vacancies (region_code, status, published_at);
DROP INDEX vacancies_published_seq;
DROP INDEX vacancies_search_seq;
ALTER TABLE vacancies DROP COLUMN search_seq;
DROP SEQUENCE vacancy_publications;
