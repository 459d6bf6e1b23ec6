-- Issue 19: the sorts by rating and by salary show vacancies of one rating or salary
-- newest first (publication number descending, `vacancies.search_seq`), but their
-- indexes ended at the rating or the salary. Eight ratings share a million vacancies,
-- so every page sorted by rating read and sorted the eighth of the bank holding the
-- top one (160–330 ms a page against 1–3 ms with the number in the key). With the
-- number after the sort's column the index holds the order shown and a page stops
-- after its rows. The salary indexes keep every filterable column, for the counts.
DROP INDEX vacancies_rating;
CREATE INDEX vacancies_rating ON vacancies (status, employer_rating, search_seq);
DROP INDEX vacancies_region_rating;
CREATE INDEX vacancies_region_rating ON vacancies (region_code, status, employer_rating,
    search_seq);
DROP INDEX vacancies_salary;
CREATE INDEX vacancies_salary ON vacancies (status, salary_sort, search_seq)
    INCLUDE (region_code, employment_type, schedule, experience, category, salary_from,
    salary_to, benefits, published_at);
DROP INDEX vacancies_region_salary;
CREATE INDEX vacancies_region_salary ON vacancies (region_code, status, salary_sort,
    search_seq)
    INCLUDE (employment_type, schedule, experience, category, salary_from, salary_to,
    benefits, published_at);
