DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
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
