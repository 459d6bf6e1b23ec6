-- The job-search matching reads the newest published vacancies of a region's category
-- and of its profession and scores them: these indexes hold every column it reads, in
-- the order it reads them, so the read can be answered from the index alone.
DROP INDEX vacancies_match_category;
DROP INDEX vacancies_match_profession;
CREATE INDEX vacancies_match_category ON vacancies (region_code, category, status, published_at, id)
    INCLUDE (profession_code, employment_type, schedule, experience, salary_from, salary_to);
CREATE INDEX vacancies_match_profession ON vacancies (region_code, profession_code, status, published_at, id)
    INCLUDE (category, employment_type, schedule, experience, salary_from, salary_to);
