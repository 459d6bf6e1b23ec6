-- Idempotency keys of creating requests: the first answer to a request with a key,
-- kept for a day so that the client's retry gets it again instead of a second record.
-- A row without `status_code` is a request still running. Keys are the account's own.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    location TEXT,
    content_type TEXT,
    body TEXT,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
