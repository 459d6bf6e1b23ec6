CREATE INDEX appeals_applicant_status ON appeals (applicant_id, status, created_at);
CREATE INDEX appeals_applicant_updated ON appeals (applicant_id, updated_at);
