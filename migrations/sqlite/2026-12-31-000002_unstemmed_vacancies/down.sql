DROP INDEX vacancies_unstemmed;
