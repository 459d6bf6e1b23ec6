-- The unemployment benefit application (its statuses are the appeal machine's) with
-- its history, and payments with the history of their operations. Amounts are whole
-- kopecks.

CREATE TABLE benefit_applications (
    id TEXT PRIMARY KEY NOT NULL,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    centre_id TEXT NOT NULL REFERENCES centres (id),
    status TEXT NOT NULL,
    -- `bank_account` (with bik and account) or `card` (with card_number).
    payout_kind TEXT NOT NULL,
    bik TEXT,
    account TEXT,
    card_number TEXT,
    -- The cited documents' ids, comma-separated.
    document_ids TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX benefit_applications_citizen ON benefit_applications (citizen_id, created_at);
CREATE INDEX benefit_applications_centre ON benefit_applications (centre_id, status, created_at);
-- One application under consideration per citizen, even when two race.
CREATE UNIQUE INDEX benefit_applications_one_open ON benefit_applications (citizen_id)
    WHERE status NOT IN ('completed', 'rejected');

CREATE TABLE benefit_application_history (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES benefit_applications (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    comment TEXT,
    actor_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX benefit_application_history_application
    ON benefit_application_history (application_id, created_at);

CREATE TABLE payments (
    id TEXT PRIMARY KEY NOT NULL,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    application_id TEXT REFERENCES benefit_applications (id),
    kind TEXT NOT NULL,
    amount_kopecks BIGINT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    pay_date DATE NOT NULL,
    status TEXT NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_citizen ON payments (citizen_id, pay_date);

CREATE TABLE payment_operations (
    id TEXT PRIMARY KEY NOT NULL,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    operation TEXT NOT NULL,
    comment TEXT,
    actor_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX payment_operations_payment ON payment_operations (payment_id, created_at);
