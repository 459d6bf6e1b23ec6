-- Measured with `make bench` at 100 000 appeals and vacancies.
-- Staff work lists leave out removed appeals: with staff_deleted_at in the index the
-- list's count is answered from the index alone, without visiting each appeal.
DROP INDEX appeals_centre_status;
CREATE INDEX appeals_centre_status ON appeals (centre_id, status, created_at, staff_deleted_at);
DROP INDEX appeals_centre;
CREATE INDEX appeals_centre ON appeals (centre_id, created_at, staff_deleted_at);
-- A region's vacancies by salary or by employer rating: the page is read in index
-- order and the walk stops at its end instead of sorting every vacancy of the region.
CREATE INDEX vacancies_region_salary ON vacancies (region_code, status, salary_sort);
CREATE INDEX vacancies_region_rating ON vacancies (region_code, status, employer_rating);
