DROP INDEX vacancies_region_rating;
DROP INDEX vacancies_region_salary;
DROP INDEX appeals_centre;
CREATE INDEX appeals_centre ON appeals (centre_id, created_at);
DROP INDEX appeals_centre_status;
CREATE INDEX appeals_centre_status ON appeals (centre_id, status, created_at);
