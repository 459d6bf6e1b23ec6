-- Lists that apps poll take `updated_since`: each row they list carries when it last
-- changed. Notifications change when read; until now only their creation was kept.
ALTER TABLE notifications ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE notifications SET updated_at = COALESCE(read_at, created_at);
-- One index per polled list, by its owner and the change time.
CREATE INDEX notifications_user_updated ON notifications (user_id, updated_at);
CREATE INDEX appeals_applicant_updated ON appeals (applicant_id, updated_at);
CREATE INDEX vacancies_status_updated ON vacancies (status, updated_at);
CREATE INDEX vacancies_organization_updated ON vacancies (organization_id, updated_at);
CREATE INDEX job_search_applications_citizen_updated ON job_search_applications (citizen_id, updated_at);
CREATE INDEX job_search_responses_organization_updated ON job_search_responses (organization_id, updated_at);
