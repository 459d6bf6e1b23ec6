-- The full-text index holds the published vacancies only: the search never shows any
-- other, and a national bank keeps many more closed vacancies than open ones, each of
-- which a word would otherwise find and the search then look up to drop it. With every
-- entry a published vacancy, a search by words alone is counted in the index itself.
-- One trigger per event, so that an entry leaves before it comes back (the order in
-- which several triggers of one event fire is not defined). To rebuild after a VACUUM
-- (which may renumber rowids): the two statements at the end of this file; FTS5's own
-- 'rebuild' would index every row, published or not.
DROP TRIGGER vacancy_fts_insert;
DROP TRIGGER vacancy_fts_delete;
DROP TRIGGER vacancy_fts_update;
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
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('delete-all');
INSERT INTO vacancy_fts (rowid, search_text, search_body)
SELECT rowid, search_text, search_body FROM vacancies WHERE status = 'published';
