CREATE INDEX vacancies_fts ON vacancies USING gin ((
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
));
DROP INDEX vacancies_search_vector;
ALTER TABLE vacancies DROP COLUMN search_vector;
