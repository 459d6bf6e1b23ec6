ALTER TABLE vacancy_fanouts DROP COLUMN told_through;
DROP INDEX saved_searches_region_owner;
ALTER TABLE saved_searches DROP COLUMN region_code;
