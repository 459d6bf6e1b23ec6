DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
DROP TABLE vacancy_fts;
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
ALTER TABLE vacancies DROP COLUMN search_tags;
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('delete-all');
INSERT INTO vacancy_fts (rowid, search_text, search_body)
SELECT search_seq, search_text, search_body FROM vacancies WHERE status = 'published';
