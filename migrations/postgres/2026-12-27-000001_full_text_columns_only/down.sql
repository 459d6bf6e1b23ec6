-- SQLite's migration of this name stores its full-text index without positions;
-- PostgreSQL's tsvectors keep theirs (`setweight` needs them).
SELECT 1;
