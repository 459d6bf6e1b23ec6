DROP TABLE job_search_offers;
