-- Type-ahead that forgives a typo (issue 19): when no stored phrase starts with what
-- was typed («повр», «бугалтер»), phrases with a word that looks like it are offered,
-- found through trigrams. Where the pg_trgm extension cannot be had, the suggestions
-- stay prefix-only.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX search_suggestions_trgm ON search_suggestions USING gin (phrase gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: suggestions match prefixes only';
END
$$;
