DROP INDEX IF EXISTS search_suggestions_trgm;
