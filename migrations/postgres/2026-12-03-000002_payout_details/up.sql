-- Where the citizen's benefit is paid, kept in the profile (seed 002: «банковскую
-- карту, привязанную к профилю»): `bank_account` with bik and account, or `card`
-- with card_number. A benefit application copies them when it is filed.
CREATE TABLE payout_details (
    citizen_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    payout_kind TEXT NOT NULL,
    bik TEXT,
    account TEXT,
    card_number TEXT,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
