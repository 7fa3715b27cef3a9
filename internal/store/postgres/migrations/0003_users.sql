-- People who act on the store, and the API tokens they act with.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'monitor', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL DEFAULT '', -- PHC string (argon2id); '' = no password
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- Only a hash of each token is kept: the token is shown once, when made.
CREATE TABLE api_tokens (
    id         BIGSERIAL PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    label      TEXT NOT NULL DEFAULT '',
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
