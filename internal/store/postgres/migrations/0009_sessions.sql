-- Dashboard sessions: a user signed in with their password, known by
-- the cookie's token. Only the token's SHA-256 is kept, as for API
-- tokens; logging in and out is not audited (nothing monitored changes).
CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,        -- hex SHA-256 of the session token
    user_name  TEXT NOT NULL REFERENCES users (name),
    created_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL,    -- last use: the idle timeout counts from it
    expires_at TIMESTAMPTZ NOT NULL     -- the absolute end
);

CREATE INDEX sessions_user ON sessions (user_name);
