DROP TABLE stream_tickets;
DROP TABLE notification_counters;
DROP INDEX notifications_user_seq;
ALTER TABLE notifications DROP COLUMN seq;
