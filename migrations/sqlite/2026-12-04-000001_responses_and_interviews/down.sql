ALTER TABLE job_search_applications DROP COLUMN finish_choice;
DROP TABLE interviews;
DROP TABLE job_search_responses;
