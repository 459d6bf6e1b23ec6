-- Typos in the search (issue 19): the single words of `search_suggestions` indexed by
-- their trigrams (FTS5's trigram tokenizer), as PostgreSQL indexes the phrases with
-- pg_trgm. A look-up for a misspelt word reads the few words sharing its trigrams
-- instead of every word of its first letter. The table holds its own copy of each
-- word (a word is a few bytes) and follows the suggestions' inserts and deletes.
CREATE VIRTUAL TABLE suggestion_trigrams USING fts5(word, tokenize = 'trigram');
INSERT INTO suggestion_trigrams (word)
    SELECT phrase FROM search_suggestions WHERE phrase NOT LIKE '% %';
CREATE TRIGGER suggestion_trigrams_insert AFTER INSERT ON search_suggestions
WHEN new.phrase NOT LIKE '% %'
BEGIN
    INSERT INTO suggestion_trigrams (word) VALUES (new.phrase);
END;
CREATE TRIGGER suggestion_trigrams_delete AFTER DELETE ON search_suggestions
WHEN old.phrase NOT LIKE '% %'
BEGIN
    DELETE FROM suggestion_trigrams WHERE word = old.phrase;
END;
