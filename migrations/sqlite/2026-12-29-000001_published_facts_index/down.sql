CREATE INDEX vacancies_published_seq ON vacancies (status, search_seq);
DROP INDEX vacancies_published_facts;
