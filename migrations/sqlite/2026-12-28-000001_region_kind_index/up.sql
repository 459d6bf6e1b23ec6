-- Issue 19: a search by region, employment type and schedule (the filters a job seeker
-- sets first), with or without a salary floor, counted its matches along the region's
-- salary index and tested the type and the schedule on each entry: a region of 50 000
-- vacancies holds one match in 36 entries, so counting to the exact bound read tens of
-- thousands of entries. Here the type and the schedule come before the salary: such a
-- count reads its matches only, and a page by salary stops after its rows. The
-- columns after the publication number make counts with the other filters read the
-- index alone, as the salary indexes do. Pages sorted by rating, or by date with the
-- type alone, test the type on the rows instead (`vacancy_search::load`): read from
-- here they would sort every match.
CREATE INDEX vacancies_region_kind_salary ON vacancies (region_code, status,
    employment_type, schedule, salary_sort, search_seq, experience, category,
    salary_from, salary_to, benefits, published_at);
