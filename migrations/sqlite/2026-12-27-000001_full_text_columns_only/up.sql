-- Issue 19: the full-text index keeps, per entry, the columns a word is in and no
-- longer its positions in them. Nothing asks for positions (no phrase of several
-- words, no NEAR, no snippets); a search asks which column, and that is now read
-- without decoding position lists. The index is smaller and its searches faster
-- (bench/RESULTS.md, «Statements kept prepared; one segment; columns only»).
-- As in 2026-12-23-000001, with `detail = column`; the index is filled anew and
-- merged into one segment (`persistence::search_index`).
DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
DROP TABLE vacancy_fts;
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body, search_tags,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0', detail = column
);
CREATE TRIGGER vacancy_fts_insert AFTER INSERT ON vacancies
WHEN new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
    VALUES (new.search_seq, new.search_text, new.search_body, new.search_tags);
END;
CREATE TRIGGER vacancy_fts_delete AFTER DELETE ON vacancies
WHEN old.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body, search_tags)
    VALUES ('delete', old.search_seq, old.search_text, old.search_body, old.search_tags);
END;
CREATE TRIGGER vacancy_fts_update
AFTER UPDATE OF search_text, search_body, status, search_seq, region_code, employment_type,
    schedule, category, experience, profession_code, salary_sort, benefits ON vacancies
WHEN old.status = 'published' OR new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body, search_tags)
    SELECT 'delete', old.search_seq, old.search_text, old.search_body, old.search_tags
    WHERE old.status = 'published';
    INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
    SELECT new.search_seq, new.search_text, new.search_body, new.search_tags
    WHERE new.status = 'published';
END;
INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
SELECT search_seq, search_text, search_body, search_tags FROM vacancies
WHERE status = 'published';
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('optimize');
