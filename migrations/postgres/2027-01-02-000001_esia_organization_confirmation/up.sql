-- A started Госуслуги sign-in that an employer admin began to confirm their
-- organisation registered by hand: only that account may finish it.
ALTER TABLE esia_logins ADD COLUMN account_id TEXT;
