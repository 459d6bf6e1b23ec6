-- Indexes measured with `make bench` at 100 000 appeals and vacancies: lists filtered
-- by status count within one index range; the text search (LIKE '%…%') uses trigrams
-- where the pg_trgm extension can be had, and a covering index otherwise.
CREATE INDEX appeals_centre_status ON appeals (centre_id, status, created_at);
CREATE INDEX appeals_applicant_status ON appeals (applicant_id, status, created_at);
CREATE INDEX appeals_organization_status ON appeals (organization_id, status, created_at);
CREATE INDEX vacancies_text ON vacancies (status, published_at, search_text);
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX vacancies_text_trgm ON vacancies USING gin (search_text gin_trgm_ops)';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: vacancy text search uses the covering index';
END
$$;
