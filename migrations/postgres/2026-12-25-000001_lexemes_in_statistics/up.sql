-- Which of `terms` ANALYZE keeps among the most common lexemes of
-- vacancies.search_vector: the planner's estimate of a full-text search rests on
-- counted frequencies only for those (persistence::vacancy_totals). A PL/pgSQL
-- function so that each connection plans the catalog query once.
CREATE FUNCTION vacancy_lexemes_in_statistics(terms TEXT[]) RETURNS TEXT[]
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN ARRAY(
        SELECT e
        FROM pg_stats, unnest(most_common_elems::text::text[]) AS e
        WHERE schemaname = current_schema()
          AND tablename = 'vacancies'
          AND attname = 'search_vector'
          AND e = ANY (terms)
    );
END
$$;
