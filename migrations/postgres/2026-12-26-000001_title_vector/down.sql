DROP FUNCTION vacancy_title_lexemes_in_statistics(TEXT[]);
DROP INDEX vacancies_title_vector;
ALTER TABLE vacancies DROP COLUMN title_vector;
