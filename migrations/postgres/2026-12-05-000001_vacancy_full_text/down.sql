DROP INDEX vacancies_profession;
DROP INDEX vacancies_published_id;
CREATE INDEX vacancies_published ON vacancies (status, published_at);
DROP TABLE search_suggestions;
DROP INDEX vacancies_fts;
ALTER TABLE vacancies DROP COLUMN search_body;
CREATE INDEX vacancies_text ON vacancies (status, published_at, search_text);
