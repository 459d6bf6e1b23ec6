-- Issue 19: a search with words in one region found its newest matches in the index of
-- words by region (migration 2026-12-30-000001), then looked each of them up in
-- `vacancies_published_facts` for its salary (a salary floor) or for what its facets
-- count (employment type, schedule, salary band): a thousand B-tree descents for a
-- faceted search, most of its time. The index's entries now carry those facts in their
-- key, `search_regional_key`: the publication number times 2^27, plus the employment
-- type's place (3 bits, from bit 24) and the schedule's (3 bits, from bit 21) in
-- `domain`'s lists of them (`Coded::ALL`; 7 for a code it does not list), plus the top
-- salary figure capped at 2^21 - 1 (bits 0–20). Ordered by key is ordered by
-- publication number, so the newest entries are read first as before.
-- The title's words and the description's are now columns of their own, so that the
-- pages of such a search are read here too (the relevance sort shows the vacancies
-- whose titles hold the words first).
-- `persistence/src/vacancy_entries.rs` reads the keys; tests hold the two in step.
DROP TRIGGER vacancy_regional_fts_update;
DROP TRIGGER vacancy_regional_fts_delete;
DROP TRIGGER vacancy_regional_fts_insert;
DROP TABLE vacancy_regional_fts;
ALTER TABLE vacancies DROP COLUMN search_regional;
ALTER TABLE vacancies ADD COLUMN search_regional_title TEXT GENERATED ALWAYS AS (
    'r' || region_code || 'z' || replace(search_text, ' ', ' r' || region_code || 'z')
) VIRTUAL;
ALTER TABLE vacancies ADD COLUMN search_regional_body TEXT GENERATED ALWAYS AS (
    CASE WHEN search_body = '' THEN '' ELSE
    'r' || region_code || 'z' || replace(search_body, ' ', ' r' || region_code || 'z') END
) VIRTUAL;
ALTER TABLE vacancies ADD COLUMN search_regional_key INTEGER GENERATED ALWAYS AS (
    search_seq * 134217728
    + (CASE employment_type
        WHEN 'full_time' THEN 0 WHEN 'part_time' THEN 1 WHEN 'temporary' THEN 2
        WHEN 'internship' THEN 3 WHEN 'seasonal' THEN 4 WHEN 'remote' THEN 5
        ELSE 7 END) * 16777216
    + (CASE schedule
        WHEN 'full_day' THEN 0 WHEN 'shift' THEN 1 WHEN 'flexible' THEN 2
        WHEN 'rotation' THEN 3 WHEN 'irregular' THEN 4 WHEN 'part_day' THEN 5
        ELSE 7 END) * 2097152
    + min(max(salary_sort, 0), 2097151)
) VIRTUAL;
CREATE VIRTUAL TABLE vacancy_regional_fts USING fts5(
    search_regional_title, search_regional_body,
    content = 'vacancies', content_rowid = 'search_regional_key',
    tokenize = 'unicode61 remove_diacritics 0', detail = column
);
CREATE TRIGGER vacancy_regional_fts_insert AFTER INSERT ON vacancies
WHEN new.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts (rowid, search_regional_title, search_regional_body)
    VALUES (new.search_regional_key, new.search_regional_title, new.search_regional_body);
END;
CREATE TRIGGER vacancy_regional_fts_delete AFTER DELETE ON vacancies
WHEN old.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts
        (vacancy_regional_fts, rowid, search_regional_title, search_regional_body)
    VALUES ('delete', old.search_regional_key, old.search_regional_title,
        old.search_regional_body);
END;
CREATE TRIGGER vacancy_regional_fts_update
AFTER UPDATE OF search_text, search_body, status, search_seq, region_code,
    employment_type, schedule, salary_sort ON vacancies
WHEN old.status = 'published' OR new.status = 'published' BEGIN
    INSERT INTO vacancy_regional_fts
        (vacancy_regional_fts, rowid, search_regional_title, search_regional_body)
    SELECT 'delete', old.search_regional_key, old.search_regional_title,
        old.search_regional_body
    WHERE old.status = 'published';
    INSERT INTO vacancy_regional_fts (rowid, search_regional_title, search_regional_body)
    SELECT new.search_regional_key, new.search_regional_title, new.search_regional_body
    WHERE new.status = 'published';
END;
INSERT INTO vacancy_regional_fts (rowid, search_regional_title, search_regional_body)
SELECT search_regional_key, search_regional_title, search_regional_body FROM vacancies
WHERE status = 'published';
INSERT INTO vacancy_regional_fts (vacancy_regional_fts) VALUES ('optimize');
