-- Issue 19: the full-text index keeps, per entry, the columns a word is in and no
-- longer its positions in them. Nothing asks for positions (no phrase of several
-- words, no NEAR, no snippets); a search asks which column, and that is now read
-- without decoding position lists. The index is smaller and its searches faster
-- (bench/RESULTS.md, «Statements kept prepared; one segment; columns only»).
-- The table of 2026-12-23-000001 with `detail = column`, filled anew and merged into
-- one segment (`persistence::search_index`). Its triggers on `vacancies` stay: they
-- name the index, not this definition of it.
DROP TABLE vacancy_fts;
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body, search_tags,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0', detail = column
);
INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
SELECT search_seq, search_text, search_body, search_tags FROM vacancies
WHERE status = 'published';
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('optimize');
