ALTER TABLE esia_logins DROP COLUMN account_id;
