-- Issue 19: the search reads its matches in the order it shows them. `search_seq`
-- numbers publications (a confirmation publishes anew and takes a new number), so
-- "newest first" is `search_seq` descending, and the full-text index is keyed by it:
-- FTS5 walks a word's entries from the highest rowid down, and a page of the newest
-- matches stops after its twenty rather than sorting every match. The application
-- hands out the numbers (`vacancies::next_publications`); rows written before this
-- migration are numbered by their publication dates.
ALTER TABLE vacancies ADD COLUMN search_seq BIGINT NOT NULL DEFAULT 0;
UPDATE vacancies SET search_seq = numbered.n
FROM (SELECT id, row_number() OVER (ORDER BY published_at, id) AS n FROM vacancies) AS numbered
WHERE vacancies.id = numbered.id;
CREATE UNIQUE INDEX vacancies_search_seq ON vacancies (search_seq);
CREATE INDEX vacancies_published_seq ON vacancies (status, search_seq);
DROP INDEX vacancies_region;
CREATE INDEX vacancies_region ON vacancies (region_code, status, search_seq);

DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
DROP TABLE vacancy_fts;
-- Published vacancies only (see 2026-12-20-000001), keyed by publication number. To
-- rebuild: the two statements at the end of this file.
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER vacancy_fts_insert AFTER INSERT ON vacancies
WHEN new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    VALUES (new.search_seq, new.search_text, new.search_body);
END;
CREATE TRIGGER vacancy_fts_delete AFTER DELETE ON vacancies
WHEN old.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    VALUES ('delete', old.search_seq, old.search_text, old.search_body);
END;
CREATE TRIGGER vacancy_fts_update
AFTER UPDATE OF search_text, search_body, status, search_seq ON vacancies
WHEN old.status = 'published' OR new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    SELECT 'delete', old.search_seq, old.search_text, old.search_body
    WHERE old.status = 'published';
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    SELECT new.search_seq, new.search_text, new.search_body WHERE new.status = 'published';
END;
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('delete-all');
INSERT INTO vacancy_fts (rowid, search_text, search_body)
SELECT search_seq, search_text, search_body FROM vacancies WHERE status = 'published';
