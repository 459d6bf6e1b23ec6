DROP INDEX vacancies_search_vector;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
) STORED;
CREATE INDEX vacancies_search_vector ON vacancies USING gin (search_vector);
