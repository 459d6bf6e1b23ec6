-- Every start of the server looks for vacancies written before the search indexed
-- stems (an empty `search_body`, `vacancies::restem_unindexed`): without an index that
-- read the whole table, more than a second at a million vacancies, in every process
-- that starts. This index holds only such rows, so it is empty and costs writes
-- nothing; the look-up names its condition as a literal so that both planners see it.
CREATE INDEX vacancies_unstemmed ON vacancies (id) WHERE search_body = '';
