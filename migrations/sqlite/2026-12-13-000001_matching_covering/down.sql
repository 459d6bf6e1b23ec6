DROP INDEX vacancies_match_profession;
DROP INDEX vacancies_match_category;
CREATE INDEX vacancies_match_category ON vacancies (region_code, category, status, published_at);
CREATE INDEX vacancies_match_profession ON vacancies (region_code, profession_code, status, published_at);
