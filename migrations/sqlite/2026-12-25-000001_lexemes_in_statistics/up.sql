-- PostgreSQL's migration of this name adds a function over its planner's statistics;
-- SQLite keeps none, and its estimates are read from the full-text index instead.
SELECT 1;
