DROP INDEX vacancies_match_profession;
DROP INDEX vacancies_match_category;
