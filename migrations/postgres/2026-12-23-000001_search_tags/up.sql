-- Issue 19: a vacancy's filterable values as lexemes of its stored tsvector (weight D),
-- so that a search's words and filters are one look-up in the GIN index rather than
-- every match of the words read and tested row by row. The tags mirror
-- `domain::vacancy_tags::of_vacancy` (a test holds the two together): region,
-- employment type, schedule, category, experience, profession, salary band, benefits.
-- Words are asked for with weights A and B only, so a typed word never finds a tag.
DROP INDEX vacancies_search_vector;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, search_text), 'A')
    || setweight(to_tsvector('simple'::regconfig, search_body), 'B')
    || setweight(to_tsvector('simple'::regconfig,
        'reg' || replace(region_code, '_', '')
        || ' emp' || replace(employment_type, '_', '')
        || ' sch' || replace(schedule, '_', '')
        || ' cat' || replace(category, '_', '')
        || ' exp' || replace(experience, '_', '')
        || coalesce(' prof' || replace(profession_code, '_', ''), '')
        || ' band' || CASE
            WHEN salary_sort < 1 THEN 'notstated'
            WHEN salary_sort < 30000 THEN 'under30k'
            WHEN salary_sort < 60000 THEN 'from30kto60k'
            WHEN salary_sort < 100000 THEN 'from60kto100k'
            WHEN salary_sort < 150000 THEN 'from100kto150k'
            ELSE 'from150k'
        END
        || replace(replace(rtrim(benefits, ','), ',', ' ben'), '_', '')
    ), 'D')
) STORED;
CREATE INDEX vacancies_search_vector ON vacancies USING gin (search_vector);
