-- SQLite's migration of this name adds an index for searches by region, type and
-- schedule; PostgreSQL's planner was not measured with it (issue 19), so it has none.
SELECT 1;
