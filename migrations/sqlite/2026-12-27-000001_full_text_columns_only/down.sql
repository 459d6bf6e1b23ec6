-- Back to 2026-12-23-000001's full-text index, with positions (its triggers stayed).
DROP TABLE vacancy_fts;
CREATE VIRTUAL TABLE vacancy_fts USING fts5(
    search_text, search_body, search_tags,
    content = 'vacancies', content_rowid = 'search_seq',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO vacancy_fts (rowid, search_text, search_body, search_tags)
SELECT search_seq, search_text, search_body, search_tags FROM vacancies
WHERE status = 'published';
INSERT INTO vacancy_fts (vacancy_fts) VALUES ('optimize');
