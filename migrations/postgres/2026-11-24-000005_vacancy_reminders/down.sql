ALTER TABLE vacancies DROP COLUMN confirmation_reminded_at;
