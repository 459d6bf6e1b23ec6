-- The vocational-training catalogue and enrolments. `taken` counts active
-- enrolments: an enrolment raises it with `UPDATE ... WHERE taken < capacity` in the
-- transaction that inserts the enrolment, so the capacity holds across processes;
-- the CHECK keeps it even against a faulty writer.
CREATE TABLE training_courses (
    id TEXT PRIMARY KEY NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    provider TEXT NOT NULL,
    theme TEXT NOT NULL,
    level TEXT NOT NULL,
    format TEXT NOT NULL,
    region_code TEXT NOT NULL,
    address TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    hours INTEGER NOT NULL,
    cost_kopecks BIGINT NOT NULL,
    capacity INTEGER NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (taken >= 0 AND taken <= capacity),
    CHECK (hours > 0 AND cost_kopecks >= 0)
);
CREATE INDEX training_courses_catalogue ON training_courses (status, starts_on);
CREATE INDEX training_courses_centre ON training_courses (centre_id, created_at);

CREATE TABLE training_enrolments (
    id TEXT PRIMARY KEY NOT NULL,
    course_id TEXT NOT NULL REFERENCES training_courses (id),
    citizen_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX training_enrolments_citizen ON training_enrolments (citizen_id, created_at);
-- One active enrolment per citizen and course, even when two race.
CREATE UNIQUE INDEX training_enrolments_one_active ON training_enrolments (course_id, citizen_id)
    WHERE status = 'active';
