DROP TABLE job_search_found_vacancies;
DROP TABLE job_search_history;
DROP TABLE job_search_applications;
