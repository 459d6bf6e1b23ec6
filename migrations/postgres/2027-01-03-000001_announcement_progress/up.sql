-- A new vacancy is announced to the owners of matching saved searches a step at a
-- time (`persistence::vacancy_fanout`), each step its own transaction: a popular
-- vacancy no longer means every notification under one write lock, nor every saved
-- search of the country read at once.
--
-- A search's region, out of its JSON, so that a step reads only the searches of the
-- vacancy's region and those of any region, in order of owner.
ALTER TABLE saved_searches ADD COLUMN region_code TEXT;
UPDATE saved_searches SET region_code = filter::jsonb ->> 'region';
-- Owners in byte order (`COLLATE "C"`), as the server compares them and as SQLite
-- orders them, whatever the database's collation.
CREATE INDEX saved_searches_region_owner ON saved_searches (region_code, user_id COLLATE "C");
-- The last owner a step has told (owners are told in order of their ids), committed
-- with that step's notifications: the next step, in whichever process, goes on after
-- them.
ALTER TABLE vacancy_fanouts ADD COLUMN told_through TEXT;
