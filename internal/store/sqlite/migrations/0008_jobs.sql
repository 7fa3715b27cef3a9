-- Work the team server runs in the background: an import of an uploaded
-- file, an evaluation, an incident build. Any server on the database may
-- claim a queued job, or one whose server stopped beating (a killed
-- server's job is run again by another: each kind is idempotent, and an
-- import commits a file in one transaction or not at all).
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('import', 'evaluate', 'incidents')),
    params       TEXT NOT NULL,            -- JSON: what to do
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    created_by   TEXT NOT NULL,            -- who asked; the job acts for them
    created_at   TEXT NOT NULL,
    owner        TEXT NOT NULL DEFAULT '', -- the server running it
    attempts     INTEGER NOT NULL DEFAULT 0,
    heartbeat_at TEXT,
    started_at   TEXT,
    finished_at  TEXT,
    progress     TEXT NOT NULL DEFAULT '{}', -- JSON, as the runner last told
    result       TEXT NOT NULL DEFAULT '',   -- JSON, once done
    error        TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX jobs_state ON jobs (state, id);

-- An uploaded file, in chunks, so that neither the upload nor the run
-- holds it whole in memory. Deleted when its job ends.
CREATE TABLE job_files (
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
) STRICT;
