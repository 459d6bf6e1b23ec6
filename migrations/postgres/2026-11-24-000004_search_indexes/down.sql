DROP INDEX IF EXISTS vacancies_text_trgm;
DROP INDEX vacancies_text;
DROP INDEX appeals_organization_status;
DROP INDEX appeals_applicant_status;
DROP INDEX appeals_centre_status;
