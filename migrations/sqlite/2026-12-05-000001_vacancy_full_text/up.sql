-- Issue 19: full-text search with Russian morphology. `search_text` holds the stems of
-- the title and the profession name, `search_body` those of the description, both
-- written by the application (Snowball stemmer, domain/src/vacancy_search.rs), so
-- that SQLite, PostgreSQL and saved searches agree word for word. Rows written before
-- this migration are stemmed when the server opens the database.
ALTER TABLE vacancies ADD COLUMN search_body TEXT NOT NULL DEFAULT '';
DROP INDEX vacancies_text;

-- An FTS5 index over the vacancy rows themselves (external content: the stems are
-- stored once, in `vacancies`), kept by triggers in the writing transaction. Its
-- rowids are the vacancies' rowids: after a VACUUM, which may renumber them, run
-- INSERT INTO vacancy_fts(vacancy_fts) VALUES ('rebuild').
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body,
    content = 'vacancies', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER vacancy_fts_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    VALUES (new.rowid, new.search_text, new.search_body);
END;
CREATE TRIGGER vacancy_fts_delete AFTER DELETE ON vacancies BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    VALUES ('delete', old.rowid, old.search_text, old.search_body);
END;
CREATE TRIGGER vacancy_fts_update AFTER UPDATE OF search_text, search_body ON vacancies BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    VALUES ('delete', old.rowid, old.search_text, old.search_body);
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    VALUES (new.rowid, new.search_text, new.search_body);
END;
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('rebuild');

-- Type-ahead: vacancy titles and their words, lower-cased, with how many vacancies
-- used them; looked up by prefix along the primary key.
CREATE TABLE search_suggestions (
    phrase TEXT PRIMARY KEY NOT NULL,
    uses BIGINT NOT NULL
);

-- Keyset pages: each sort ends with (published_at, id) so that a page starts after
-- the last row of the one before through an index.
DROP INDEX vacancies_published;
CREATE INDEX vacancies_published_id ON vacancies (status, published_at, id);
CREATE INDEX vacancies_profession ON vacancies (profession_code, status, published_at);
