DROP INDEX vacancies_rating;
CREATE INDEX vacancies_rating ON vacancies (status, employer_rating);
DROP INDEX vacancies_region_rating;
CREATE INDEX vacancies_region_rating ON vacancies (region_code, status, employer_rating);
DROP INDEX vacancies_salary;
CREATE INDEX vacancies_salary ON vacancies (status, salary_sort)
    INCLUDE (region_code, employment_type, schedule, experience, category, salary_from,
    salary_to, benefits, published_at);
DROP INDEX vacancies_region_salary;
CREATE INDEX vacancies_region_salary ON vacancies (region_code, status, salary_sort)
    INCLUDE (employment_type, schedule, experience, category, salary_from, salary_to,
    benefits, published_at);
