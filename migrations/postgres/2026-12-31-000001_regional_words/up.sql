-- Issue 19: a search with words in one region asked the GIN index of `search_vector`
-- for the words AND the region's tag, and GIN intersected the two lists: «повар»
-- (37 000 entries) and `reg77` (90 000) took 2.7 ms to give the 3 294 that hold both,
-- whose rows were then read again to check the words' weights. This index holds each
-- word of a published vacancy's title and description once more, joined to its region
-- (`r77zповар`, as SQLite's `vacancy_regional_fts` of migration 2026-12-30-000001): a
-- region's matches of a word are one list, as long as they are, and a query without
-- weights reads no row to check them. An expression index rather than a column, so
-- that the table does not grow; its statistics (ANALYZE gathers them for an index's
-- expression) tell the planner how often a word occurs in a region. Searches ask it
-- through `vacancy_full_text::regional_tsquery` with the same call. Not a partial index:
-- the planner uses an expression index's statistics only when it has no predicate, so
-- a vacancy that is not published has no entries instead. `COST 500`: a plan that
-- checks the call on rows it walked (not through the index) computes each row's words
-- again, and the planner must know that it is dear.
CREATE FUNCTION vacancy_regional_lexemes(
    status TEXT, region_code TEXT, search_text TEXT, search_body TEXT
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
    SELECT CASE WHEN status = 'published' THEN array_to_tsvector(ARRAY(
        SELECT 'r' || region_code || 'z' || lexeme
        FROM unnest(tsvector_to_array(
            to_tsvector('simple'::regconfig, search_text || ' ' || search_body)
        )) AS lexeme
    )) END
$$;
CREATE INDEX vacancies_regional_words ON vacancies
    USING gin (vacancy_regional_lexemes(status, region_code, search_text, search_body));
ANALYZE vacancies;
