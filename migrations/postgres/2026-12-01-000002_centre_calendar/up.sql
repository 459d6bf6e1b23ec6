-- The centre's calendar (SPEC §7 «Appointment booking»; seed 004 «Личная явка»).
CREATE TABLE centre_slots (
    id TEXT PRIMARY KEY NOT NULL,
    centre_id TEXT NOT NULL REFERENCES centres (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (centre_id, starts_at)
);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY NOT NULL,
    slot_id TEXT NOT NULL REFERENCES centre_slots (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    application_id TEXT REFERENCES job_search_applications (id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
-- A slot is never booked twice: the database refuses a second live booking.
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (slot_id) WHERE cancelled_at IS NULL;
CREATE INDEX appointments_user ON appointments (user_id, created_at);
