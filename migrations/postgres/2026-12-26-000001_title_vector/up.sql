-- The title's words (and profession name) apart, with a GIN index of their own: a
-- relevance page reads the vacancies whose title holds the words, and asked of
-- `search_vector` with weight A the planner knew only how often the words occur
-- anywhere. For a word common in descriptions («отпуск») it expected title matches
-- everywhere and walked the whole bank to find none; this column's statistics know
-- the titles.
ALTER TABLE vacancies ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
) STORED;
CREATE INDEX vacancies_title_vector ON vacancies USING gin (title_vector);
ANALYZE vacancies;

-- Which of `terms` ANALYZE keeps among the most common lexemes of the titles: for
-- the others the planner guesses how many titles hold them (persistence::
-- vacancy_statistics). As `vacancy_lexemes_in_statistics`, planned once per connection.
CREATE FUNCTION vacancy_title_lexemes_in_statistics(terms TEXT[]) RETURNS TEXT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(
        SELECT e
        FROM pg_stats, unnest(most_common_elems::text::text[]) AS e
        WHERE schemaname = current_schema()
          AND tablename = 'vacancies'
          AND attname = 'title_vector'
          AND e = ANY (terms)
    );
END
$$;
