-- Indexes measured with `make bench` at 100 000 appeals and vacancies: lists filtered
-- by status count within one index range, and the text search scans a covering index
-- instead of the table.
CREATE INDEX appeals_centre_status ON appeals (centre_id, status, created_at);
CREATE INDEX appeals_applicant_status ON appeals (applicant_id, status, created_at);
CREATE INDEX appeals_organization_status ON appeals (organization_id, status, created_at);
CREATE INDEX vacancies_text ON vacancies (status, published_at, search_text);
