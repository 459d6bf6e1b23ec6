-- Sign-in through Госуслуги (ESIA, OpenID Connect).

-- One started sign-in: the digest of its `state`, with the nonce and the PKCE verifier
-- the callback needs. Kept in the database so that any server process finishes what
-- another began; a row is deleted when used, so a state works once.
CREATE TABLE esia_logins (
    state_digest TEXT NOT NULL PRIMARY KEY,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX esia_logins_expires ON esia_logins (expires_at);

-- The ESIA person (`sub` of the ID token) behind an account.
CREATE TABLE esia_identities (
    subject TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);

-- Whether the citizen's SNILS was confirmed (by ESIA, or by centre staff who saw the
-- document) rather than typed in at self-registration.
ALTER TABLE citizens ADD COLUMN snils_verified BOOLEAN NOT NULL DEFAULT FALSE;
