DROP TRIGGER suggestion_trigrams_delete;
DROP TRIGGER suggestion_trigrams_insert;
DROP TABLE suggestion_trigrams;
