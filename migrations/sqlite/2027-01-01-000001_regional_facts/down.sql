DROP TRIGGER vacancy_regional_fts_update;
DROP TRIGGER vacancy_regional_fts_delete;
DROP TRIGGER vacancy_regional_fts_insert;
DROP TABLE vacancy_regional_fts;
ALTER TABLE vacancies DROP COLUMN search_regional_key;
ALTER TABLE vacancies DROP COLUMN search_regional_body;
ALTER TABLE vacancies DROP COLUMN search_regional_title;
ALTER TABLE vacancies ADD COLUMN search_regional TEXT GENERATED ALWAYS AS (
    'r' || region_code || 'z'
    || replace(search_text || ' ' || search_body, ' ', ' r' || region_code || 'z')
) VIRTUAL;
CREATE VIRTUAL TABLE vacancy_regional_fts USING fts5(
    search_regional,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0', detail = column
);
CREATE TRIGGER vacancy_regional_fts_insert AFTER INSERT ON vacancies
WHEN new.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts (rowid, search_regional)
    VALUES (new.search_seq, new.search_regional);
END;
CREATE TRIGGER vacancy_regional_fts_delete AFTER DELETE ON vacancies
WHEN old.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts (vacancy_regional_fts, rowid, search_regional)
    VALUES ('delete', old.search_seq, old.search_regional);
END;
CREATE TRIGGER vacancy_regional_fts_update
AFTER UPDATE OF search_text, search_body, status, search_seq, region_code ON vacancies
WHEN old.status = 'published' OR new.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts (vacancy_regional_fts, rowid, search_regional)
    SELECT 'delete', old.search_seq, old.search_regional
    WHERE old.status = 'published';
    INSERT INTO vacancy_regional_fts (rowid, search_regional)
    SELECT new.search_seq, new.search_regional
    WHERE new.status = 'published';
END;
INSERT INTO vacancy_regional_fts (rowid, search_regional)
SELECT search_seq, search_regional FROM vacancies WHERE status = 'published';
INSERT INTO vacancy_regional_fts (vacancy_regional_fts) VALUES ('optimize');
