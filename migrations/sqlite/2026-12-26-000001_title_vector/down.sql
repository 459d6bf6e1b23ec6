-- PostgreSQL's migration of this name gives the titles' words an index of their own;
-- SQLite's full-text index already asks a column alone (`search_text : …`).
SELECT 1;
