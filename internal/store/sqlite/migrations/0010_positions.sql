-- 0010: positions files (internal/positions, docs/positions.md): each
-- party's dated stance on each term of a negotiation. A set is one file's
-- id; each import of changed content is the set's next version, numbered
-- by the store (the file carries no version), and versions are immutable
-- like an agreement's.
CREATE TABLE position_sets (
    id             TEXT PRIMARY KEY,
    latest_version INTEGER NOT NULL CHECK (latest_version > 0),
    title          TEXT NOT NULL
) STRICT;

CREATE TABLE position_versions (
    set_id    TEXT NOT NULL REFERENCES position_sets (id),
    version   INTEGER NOT NULL CHECK (version > 0),
    title     TEXT NOT NULL,
    hash      TEXT NOT NULL, -- SHA-256 of source, hex
    source    TEXT NOT NULL, -- the YAML as written
    stored_at TEXT NOT NULL,
    stored_by TEXT NOT NULL, -- the user, or 'local' on a store without users
    PRIMARY KEY (set_id, version)
) STRICT;
