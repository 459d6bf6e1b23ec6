DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
DROP TABLE vacancy_fts;
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body,
    content = 'vacancies', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER vacancy_fts_insert AFTER INSERT ON vacancies
WHEN new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    VALUES (new.rowid, new.search_text, new.search_body);
END;
CREATE TRIGGER vacancy_fts_delete AFTER DELETE ON vacancies
WHEN old.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    VALUES ('delete', old.rowid, old.search_text, old.search_body);
END;
CREATE TRIGGER vacancy_fts_update AFTER UPDATE OF search_text, search_body, status ON vacancies
WHEN old.status = 'published' OR new.status = 'published' BEGIN
    INSERT INTO vacancy_fts (vacancy_fts, rowid, search_text, search_body)
    SELECT 'delete', old.rowid, old.search_text, old.search_body WHERE old.status = 'published';
    INSERT INTO vacancy_fts (rowid, search_text, search_body)
    SELECT new.rowid, new.search_text, new.search_body WHERE new.status = 'published';
END;
DROP INDEX vacancies_region;
CREATE INDEX vacancies_region ON vacancies (region_code, status, published_at);
DROP INDEX vacancies_published_seq;
DROP INDEX vacancies_search_seq;
ALTER TABLE vacancies DROP COLUMN search_seq;
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('delete-all');
INSERT INTO vacancy_fts (rowid, search_text, search_body)
SELECT rowid, search_text, search_body FROM vacancies WHERE status = 'published';
