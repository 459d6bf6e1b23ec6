-- The job-search matching reads a region's published vacancies of one category, and of
-- one profession, newest first: each read walks one of these indexes in date order.
CREATE INDEX vacancies_match_category ON vacancies (region_code, category, status, published_at);
CREATE INDEX vacancies_match_profession ON vacancies (region_code, profession_code, status, published_at);
