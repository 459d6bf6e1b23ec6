-- The weighted tsvector of a vacancy (title and profession A, description B), stored
-- with the row instead of computed from its stems at each look: a search that matches
-- much of the bank is answered by a scan, which evaluated `to_tsvector` twice per row,
-- and the title test of the relevance sort did so for every match. `'stem':A` in a
-- query now tests the title on the same column.
ALTER TABLE vacancies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
) STORED;
CREATE INDEX vacancies_search_vector ON vacancies USING gin (search_vector);
DROP INDEX vacancies_fts;
