-- Budgets of the requests a stranger can repeat (sign-in attempts per account and per
-- client address, registrations, refreshes), shared by every server process on one
-- database. One row per budget and key, kept by the generic cell rate algorithm:
-- `full_at` is when the budget is whole again, moved on by a minute's share of the
-- budget at each request granted. A row whose `full_at` has passed says nothing a
-- missing row does not, so it is deleted. `key` is a SHA-256 digest of the login or
-- address counted, never the login or address itself.
CREATE TABLE throttle_budgets (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    full_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bucket, key)
);
