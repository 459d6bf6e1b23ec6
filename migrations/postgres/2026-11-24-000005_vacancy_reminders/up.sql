-- When the organisation was last reminded to confirm a vacancy is still open.
ALTER TABLE vacancies ADD COLUMN confirmation_reminded_at TIMESTAMP;
