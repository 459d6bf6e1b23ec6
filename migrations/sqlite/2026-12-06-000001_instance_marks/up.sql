-- What the database says about itself, e.g. that `serve --demo` created it and so may
-- seed it again. One row per mark.
CREATE TABLE instance_marks (
    name TEXT PRIMARY KEY NOT NULL,
    set_at TIMESTAMP NOT NULL
);

-- A database that demo mode seeded before this mark existed is demo mode's own.
INSERT INTO instance_marks (name, set_at)
SELECT 'demo', CURRENT_TIMESTAMP
WHERE EXISTS (SELECT 1 FROM users WHERE login = 'demo.staff');
