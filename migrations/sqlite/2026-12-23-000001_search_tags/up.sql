-- Issue 19: a vacancy's filterable values as terms of the full-text index, so that a
-- search with words and filters is one look-up in the index rather than every match
-- of its words read and tested row by row. The tags mirror
-- `domain::vacancy_tags::of_vacancy` (a persistence test holds the two together):
-- region, employment type, schedule, category, experience, profession, salary band,
-- benefits (not a salary floor: see the domain module).
-- A virtual generated column: computed when read, stored nowhere but in the index.
ALTER TABLE vacancies ADD COLUMN search_tags TEXT GENERATED ALWAYS AS (
    'reg' || replace(region_code, '_', '')
    || ' emp' || replace(employment_type, '_', '')
    || ' sch' || replace(schedule, '_', '')
    || ' cat' || replace(category, '_', '')
    || ' exp' || replace(experience, '_', '')
    || coalesce(' prof' || replace(profession_code, '_', ''), '')
    || ' band' || CASE
        WHEN salary_sort < 1 THEN 'notstated'
        WHEN salary_sort < 30000 THEN 'under30k'
        WHEN salary_sort < 60000 THEN 'from30kto60k'
        WHEN salary_sort < 100000 THEN 'from60kto100k'
        WHEN salary_sort < 150000 THEN 'from100kto150k'
        ELSE 'from150k'
    END
    || replace(replace(rtrim(benefits, ','), ',', ' ben'), '_', '')
) VIRTUAL;

DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
DROP TABLE vacancy_fts;
-- As in 2026-12-21-000001, with the tags as a third column. To rebuild: the two
-- statements at the end of this file.
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body, search_tags,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0'
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
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('delete-all');
INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
SELECT search_seq, search_text, search_body, search_tags FROM vacancies
WHERE status = 'published';
