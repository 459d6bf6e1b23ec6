-- Issue 19: full-text search with Russian morphology. `search_text` holds the stems of
-- the title and the profession name, `search_body` those of the description, both
-- written by the application (the Snowball Russian stemmer, the same algorithm as the
-- `russian` configuration's, in domain/src/vacancy_search.rs), so that PostgreSQL,
-- SQLite and saved searches agree word for word; the `simple` configuration then only
-- splits the stems. Title weighted A, description B; a GIN index over the expression,
-- maintained by PostgreSQL in the writing transaction. Rows written before this
-- migration are stemmed when the server opens the database.
ALTER TABLE vacancies ADD COLUMN search_body TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS vacancies_text_trgm;
DROP INDEX vacancies_text;
CREATE INDEX vacancies_fts ON vacancies USING gin ((
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
));

-- Type-ahead: vacancy titles and their words, lower-cased, with how many vacancies
-- used them; looked up by prefix along the primary key (byte order: COLLATE "C").
CREATE TABLE search_suggestions (
    phrase TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    uses BIGINT NOT NULL
);

DROP INDEX vacancies_published;
CREATE INDEX vacancies_published_id ON vacancies (status, published_at, id);
CREATE INDEX vacancies_profession ON vacancies (profession_code, status, published_at);
