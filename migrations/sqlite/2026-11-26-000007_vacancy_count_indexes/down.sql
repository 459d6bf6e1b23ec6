DROP INDEX vacancies_salary;
CREATE INDEX vacancies_salary ON vacancies (status, salary_sort);
DROP INDEX vacancies_region_salary;
CREATE INDEX vacancies_region_salary ON vacancies (region_code, status, salary_sort);
