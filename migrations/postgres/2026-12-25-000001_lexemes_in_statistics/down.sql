DROP FUNCTION vacancy_lexemes_in_statistics(TEXT[]);
