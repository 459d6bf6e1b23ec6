DROP INDEX vacancies_regional_words;
DROP FUNCTION vacancy_regional_lexemes(TEXT, TEXT, TEXT, TEXT);
