-- People who act on the store, and the API tokens they act with.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'monitor', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL DEFAULT '', -- PHC string (argon2id); '' = no password
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- Only a hash of each token is kept: the token is shown once, when made.
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    label      TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
