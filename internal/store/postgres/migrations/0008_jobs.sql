-- Work the team server runs in the background: an import of an uploaded
-- file, an evaluation, an incident build. Any server on the database may
-- claim a queued job, or one whose server stopped beating (a killed
-- server's job is run again by another: each kind is idempotent, and an
-- import commits a file in one transaction or not at all).
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('import', 'evaluate', 'incidents')),
    params       TEXT NOT NULL,            -- JSON: what to do
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    created_by   TEXT NOT NULL,            -- who asked; the job acts for them
    created_at   TIMESTAMPTZ NOT NULL,
    owner        TEXT NOT NULL DEFAULT '', -- the server running it
    attempts     INTEGER NOT NULL DEFAULT 0,
    heartbeat_at TIMESTAMPTZ,
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    progress     TEXT NOT NULL DEFAULT '{}', -- JSON, as the runner last told
    result       TEXT NOT NULL DEFAULT '',   -- JSON, once done
    error        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX jobs_state ON jobs (state, id);

-- An uploaded file, in chunks, so that neither the upload nor the run
-- holds it whole in memory. Deleted when its job ends.
CREATE TABLE job_files (
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    seq    INTEGER NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
