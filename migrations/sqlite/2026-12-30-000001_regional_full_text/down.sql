DROP TRIGGER vacancy_regional_fts_update;
DROP TRIGGER vacancy_regional_fts_delete;
DROP TRIGGER vacancy_regional_fts_insert;
DROP TABLE vacancy_regional_fts;
ALTER TABLE vacancies DROP COLUMN search_regional;
