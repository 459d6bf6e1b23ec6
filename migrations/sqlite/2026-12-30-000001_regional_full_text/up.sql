-- Issue 19: a search with words in one region asked the full-text index for the words
-- AND the region's tag, and FTS5 intersected the two lists by reading them: «повар»
-- (37 000 entries) and `reg77` (90 000) cost 0.7 ms to find the newest 1 001 matches,
-- either list alone 0.06 ms. This index holds each word of a vacancy's title and
-- description once more, joined to its region (`r77zповар`): the words of a region are
-- one list, as short as their matches. Only the totals read it
-- (`vacancy_totals`, when the region is the search's only tag); pages and relevance keep
-- `vacancy_fts`. Positions are not kept; `detail = column` rather than `none`: counts
-- read as fast, and a publication writes its entries several times faster
-- (bench/RESULTS.md, «SQLite's words by region in an index of their own»).
-- The `z` keeps a region's code apart from a word that starts with a digit.
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
