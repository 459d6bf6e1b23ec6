ALTER TABLE organizations DROP COLUMN rating;
DROP TABLE outbox;
DROP TABLE subscriptions;
DROP TABLE notifications;
DROP TABLE drafts;
DROP TABLE saved_searches;
DROP TABLE resumes;
DROP TABLE favourite_vacancies;
DROP TABLE vacancies;
