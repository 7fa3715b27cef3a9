-- 0001: the schema truce starts with. Never edit a released migration: add
-- the next one. Keep internal/store/sqlite/migrations in step.
--
-- Types: times are TIMESTAMPTZ. JSON that is queried is JSONB; JSON kept as
-- evidence (raw records, audit detail) is JSON, which stores the text
-- verbatim where JSONB would reorder keys and break hashes over it.

CREATE TABLE agreements (
    id             TEXT PRIMARY KEY,
    latest_version INTEGER NOT NULL CHECK (latest_version > 0),
    title          TEXT NOT NULL
);

-- Versions are immutable: a changed file is a new version.
CREATE TABLE agreement_versions (
    agreement_id TEXT NOT NULL REFERENCES agreements (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    title        TEXT NOT NULL,
    hash         TEXT NOT NULL, -- SHA-256 of source, hex
    source       TEXT NOT NULL, -- the YAML as written
    normalized   JSONB NOT NULL,
    stored_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, version)
);

-- One run of an importer over one file.
CREATE TABLE import_batches (
    id              BIGSERIAL PRIMARY KEY,
    source          TEXT NOT NULL,
    file            TEXT NOT NULL DEFAULT '',
    file_hash       TEXT NOT NULL DEFAULT '',
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    error           TEXT NOT NULL DEFAULT '',
    read_count      INTEGER NOT NULL DEFAULT 0,
    inserted_count  INTEGER NOT NULL DEFAULT 0,
    updated_count   INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    deleted_count   INTEGER NOT NULL DEFAULT 0,
    rejected_count  INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX import_batches_source ON import_batches (source, started_at);

-- The current version of each dataset record; older versions move to
-- event_versions when the source edits or deletes the record.
CREATE TABLE events (
    id             BIGSERIAL PRIMARY KEY,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    place_name     TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    admin1         TEXT NOT NULL DEFAULT '',
    admin2         TEXT NOT NULL DEFAULT '',
    admin3         TEXT NOT NULL DEFAULT '',
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  TEXT NOT NULL DEFAULT 'unknown',
    kind           TEXT NOT NULL DEFAULT '',
    kind_reason    JSONB,                       -- event.Reason
    targets        JSONB NOT NULL DEFAULT '[]', -- []event.Reason
    actors         JSONB NOT NULL DEFAULT '[]', -- []event.Actor
    fatalities     INTEGER,
    text           TEXT NOT NULL DEFAULT '',
    raw            JSON NOT NULL,               -- the source record verbatim
    hash           TEXT NOT NULL,
    batch_id       BIGINT REFERENCES import_batches (id),
    first_seen_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (source, source_id), -- also serves lookups by source
    CHECK (time_end >= time_start)
);

CREATE INDEX events_time ON events (time_start, time_end);
CREATE INDEX events_place_time ON events (country, admin1, time_start);
CREATE INDEX events_kind_time ON events (kind, time_start);
CREATE INDEX events_batch ON events (batch_id);

-- Superseded versions of events, whole, as the store had them.
CREATE TABLE event_versions (
    event_id      BIGINT NOT NULL REFERENCES events (id),
    version       INTEGER NOT NULL CHECK (version > 0),
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    hash          TEXT NOT NULL,
    record        JSONB NOT NULL, -- event.Event
    raw           JSON NOT NULL,  -- the source record verbatim
    batch_id      BIGINT REFERENCES import_batches (id),
    stored_at     TIMESTAMPTZ NOT NULL,
    superseded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, version)
);

-- Allegations, counts and denials by parties or outlets.
CREATE TABLE claims (
    id             BIGSERIAL PRIMARY KEY,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    claim_type     TEXT NOT NULL CHECK (claim_type IN ('allegation', 'count', 'denial')),
    claimant       TEXT NOT NULL,
    accused        TEXT NOT NULL DEFAULT '',
    published_at   TIMESTAMPTZ NOT NULL,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    places         JSONB NOT NULL DEFAULT '[]', -- []event.Place
    kind           TEXT NOT NULL DEFAULT '',
    targets        JSONB NOT NULL DEFAULT '[]', -- []event.Reason
    claimed_count  INTEGER,                     -- for count claims, never expanded into events
    answers        TEXT NOT NULL DEFAULT '',    -- the claim this one answers, e.g. denies
    text           TEXT NOT NULL DEFAULT '',
    url            TEXT NOT NULL DEFAULT '',
    raw            JSON NOT NULL,
    hash           TEXT NOT NULL,
    batch_id       BIGINT REFERENCES import_batches (id),
    first_seen_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (source, source_id),
    CHECK (time_end >= time_start)
);

CREATE INDEX claims_time ON claims (time_start, time_end);
CREATE INDEX claims_claimant ON claims (claimant, published_at);
CREATE INDEX claims_accused ON claims (accused, time_start);
CREATE INDEX claims_batch ON claims (batch_id);

CREATE TABLE claim_versions (
    claim_id      BIGINT NOT NULL REFERENCES claims (id),
    version       INTEGER NOT NULL CHECK (version > 0),
    deleted       BOOLEAN NOT NULL DEFAULT FALSE,
    hash          TEXT NOT NULL,
    record        JSONB NOT NULL, -- event.Claim
    raw           JSON NOT NULL,
    batch_id      BIGINT REFERENCES import_batches (id),
    stored_at     TIMESTAMPTZ NOT NULL,
    superseded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (claim_id, version)
);

-- Events and claims judged to describe the same happening.
CREATE TABLE incidents (
    id         BIGSERIAL PRIMARY KEY,
    time_start TIMESTAMPTZ NOT NULL,
    time_end   TIMESTAMPTZ NOT NULL,
    country    TEXT NOT NULL DEFAULT '',
    admin1     TEXT NOT NULL DEFAULT '',
    admin2     TEXT NOT NULL DEFAULT '',
    lat        DOUBLE PRECISION,
    lon        DOUBLE PRECISION,
    kind       TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CHECK (time_end >= time_start)
);

CREATE INDEX incidents_time ON incidents (time_start, time_end);

CREATE TABLE incident_members (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    event_id    BIGINT REFERENCES events (id),
    claim_id    BIGINT REFERENCES claims (id),
    reason      JSONB, -- why the record was linked
    added_at    TIMESTAMPTZ NOT NULL,
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    UNIQUE (incident_id, event_id),
    UNIQUE (incident_id, claim_id)
);

CREATE INDEX incident_members_event ON incident_members (event_id);
CREATE INDEX incident_members_claim ON incident_members (claim_id);

-- What matching concluded about one event or claim under one reading of one
-- commitment of one agreement version.
CREATE TABLE findings (
    id                BIGSERIAL PRIMARY KEY,
    agreement_id      TEXT NOT NULL,
    agreement_version INTEGER NOT NULL,
    commitment_id     TEXT NOT NULL,
    reading           TEXT NOT NULL,
    accused           TEXT NOT NULL DEFAULT '',
    event_id          BIGINT REFERENCES events (id),
    claim_id          BIGINT REFERENCES claims (id),
    evidence_hash     TEXT NOT NULL DEFAULT '', -- hash of the record as judged, to spot stale findings
    explanation       JSONB NOT NULL,
    status            TEXT NOT NULL,
    needs_review      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_versions (agreement_id, version),
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    -- NULLs are distinct, so each constraint binds only its own kind of row.
    UNIQUE (agreement_id, agreement_version, commitment_id, reading, event_id),
    UNIQUE (agreement_id, agreement_version, commitment_id, reading, claim_id)
);

CREATE INDEX findings_event ON findings (event_id);
CREATE INDEX findings_claim ON findings (claim_id);
CREATE INDEX findings_review ON findings (needs_review, status);

-- The append-only, hash-chained log. seq is assigned by the store, not by
-- the database, so it has no gaps for `audit verify` to stumble on.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY CHECK (seq > 0),
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    JSON, -- compact JSON, exactly as hashed
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

-- The hash chain shows tampering; these stop accidents.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- An analyst's judgement of a finding or an incident; the latest counts,
-- earlier ones stay as history.
CREATE TABLE assessments (
    id          BIGSERIAL PRIMARY KEY,
    finding_id  BIGINT REFERENCES findings (id),
    incident_id BIGINT REFERENCES incidents (id),
    state       TEXT NOT NULL,
    assessed_by TEXT NOT NULL,
    assessed_at TIMESTAMPTZ NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    audit_seq   BIGINT REFERENCES audit_log (seq), -- the entry that recorded it
    CHECK ((finding_id IS NULL) <> (incident_id IS NULL))
);

CREATE INDEX assessments_finding ON assessments (finding_id, assessed_at);
CREATE INDEX assessments_incident ON assessments (incident_id, assessed_at);
