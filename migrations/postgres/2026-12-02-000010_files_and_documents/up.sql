-- Files the portal keeps (SPEC §7): the bytes live in the object store under a random
-- key; this row is their metadata. Documents under review and appeal attachments
-- point at their file.

CREATE TABLE files (
    id TEXT PRIMARY KEY NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id),
    -- Where the bytes are: random, never built from what the client sent.
    storage_key TEXT NOT NULL UNIQUE,
    -- What the file is for: `document` or `appeal_attachment`.
    purpose TEXT NOT NULL,
    -- The name shown and downloaded under, with the extension of its real type.
    name TEXT NOT NULL,
    -- The type judged from the content: `pdf`, `jpeg` or `png`.
    file_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- Hex SHA-256 of the content; also the download's ETag.
    sha256 TEXT NOT NULL,
    -- `stored` once the bytes are in the object store for good.
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX files_owner ON files (owner_id, created_at);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    citizen_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    file_id TEXT NOT NULL REFERENCES files (id),
    status TEXT NOT NULL,
    -- Why it was rejected.
    reason TEXT,
    reviewed_by TEXT REFERENCES users (id),
    reviewed_at TIMESTAMP,
    -- The rejected document this one replaces, and the one that replaced this.
    replaces_id TEXT UNIQUE REFERENCES documents (id),
    replaced_by_id TEXT UNIQUE REFERENCES documents (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_citizen ON documents (citizen_id, created_at);
CREATE INDEX documents_status ON documents (status, created_at);

CREATE TABLE appeal_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    appeal_id TEXT NOT NULL REFERENCES appeals (id),
    file_id TEXT NOT NULL UNIQUE REFERENCES files (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX appeal_attachments_appeal ON appeal_attachments (appeal_id, created_at);
