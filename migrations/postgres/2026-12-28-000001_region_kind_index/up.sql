-- Issue 19: a search by region, employment type and schedule (the filters a job seeker
-- sets first), with or without a salary floor, counted its matches through the
-- region's indexes and tested the type and the schedule on each row. Here the type and
-- the schedule come before the salary, so such a count and a page by salary read the
-- matches only; pages by date and rating take their publication numbers (and
-- ratings) from here before reading their rows (`vacancy_search::load`). SQLite's
-- migration of this name holds the first six columns, then the other filter columns.
CREATE INDEX vacancies_region_kind_salary ON vacancies (region_code, status,
    employment_type, schedule, salary_sort, search_seq, employer_rating);
