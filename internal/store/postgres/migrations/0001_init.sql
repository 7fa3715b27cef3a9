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
    stored_by    TEXT NOT NULL, -- the user, or 'local' on a store without users
    PRIMARY KEY (agreement_id, version)
);

-- One import batch: one input file (or deletion list) of one source,
-- written in one transaction, so only finished batches are ever seen.
CREATE TABLE import_batches (
    id              BIGSERIAL PRIMARY KEY,
    source          TEXT NOT NULL,
    format          TEXT NOT NULL DEFAULT '',
    file            TEXT NOT NULL DEFAULT '',
    imported_by     TEXT NOT NULL DEFAULT '', -- the user, or 'local' on a store without users
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

-- The current version of each dataset record. id is the record's identity
-- for everything that refers to it (findings, incidents): an edit or a
-- deletion upstream updates the row in place with version + 1, and the
-- trigger below keeps the old row in event_versions.
--
-- Indexes are few on purpose: each one slows a bulk import. batch_id, the
-- batch that wrote the current version, has no foreign key for the same
-- reason (the import creates the batch first, in the same transaction).
-- A row with its raw record is about 2 KB, just over the size at which
-- PostgreSQL compresses it (pglz, slow); toast_tuple_target keeps rows up
-- to a page inline and uncompressed, for import and read speed, at the
-- cost of space. The other record tables do the same.
CREATE TABLE events (
    id             BIGSERIAL PRIMARY KEY,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    place_name     TEXT NOT NULL,
    country        TEXT NOT NULL,
    admin1         TEXT NOT NULL,
    admin1_id      TEXT NOT NULL, -- ISO 3166-2, as resolved
    admin2         TEXT NOT NULL,
    admin3         TEXT NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    kind_reason    JSONB,          -- event.Reason
    targets        JSONB NOT NULL, -- []event.Reason, null for none
    actors         JSONB NOT NULL, -- []event.Actor, null for none
    fatalities     INTEGER,
    text           TEXT NOT NULL,
    raw            JSON NOT NULL,  -- the source record verbatim
    hash           TEXT NOT NULL,
    batch_id       BIGINT NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL, -- when this version was stored
    UNIQUE (source, source_id),          -- also serves lookups by source
    CHECK (time_end >= time_start)
) WITH (toast_tuple_target = 8160);

CREATE INDEX events_time ON events (time_start, id);
CREATE INDEX events_batch ON events (batch_id);

-- Superseded versions of events, each the whole row as it was.
CREATE TABLE event_versions (
    event_id       BIGINT NOT NULL REFERENCES events (id),
    version        INTEGER NOT NULL,
    deleted        BOOLEAN NOT NULL,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    place_name     TEXT NOT NULL,
    country        TEXT NOT NULL,
    admin1         TEXT NOT NULL,
    admin1_id      TEXT NOT NULL,
    admin2         TEXT NOT NULL,
    admin3         TEXT NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    kind_reason    JSONB,
    targets        JSONB NOT NULL,
    actors         JSONB NOT NULL,
    fatalities     INTEGER,
    text           TEXT NOT NULL,
    raw            JSON NOT NULL,
    hash           TEXT NOT NULL,
    batch_id       BIGINT NOT NULL,
    stored_at      TIMESTAMPTZ NOT NULL,
    superseded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, version)
) WITH (toast_tuple_target = 8160);

-- Every change of version, by import or deletion, keeps the old row and
-- sends the findings on the event back for review.
CREATE FUNCTION events_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_versions (event_id, version, deleted, time_start, time_end, time_precision,
        place_name, country, admin1, admin1_id, admin2, admin3, lat, lon, geo_precision, kind, kind_reason,
        targets, actors, fatalities, text, raw, hash, batch_id, stored_at, superseded_at)
    VALUES (OLD.id, OLD.version, OLD.deleted, OLD.time_start, OLD.time_end, OLD.time_precision,
        OLD.place_name, OLD.country, OLD.admin1, OLD.admin1_id, OLD.admin2, OLD.admin3, OLD.lat, OLD.lon, OLD.geo_precision, OLD.kind, OLD.kind_reason,
        OLD.targets, OLD.actors, OLD.fatalities, OLD.text, OLD.raw, OLD.hash, OLD.batch_id, OLD.updated_at, NEW.updated_at);
    UPDATE findings SET needs_review = TRUE WHERE event_id = OLD.id AND NOT needs_review;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_keep_version AFTER UPDATE OF version ON events
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION events_keep_version();

-- Allegations, counts and denials by parties or outlets; versioned like
-- events.
CREATE TABLE claims (
    id             BIGSERIAL PRIMARY KEY,
    source         TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    claim_type     TEXT NOT NULL CHECK (claim_type IN ('allegation', 'count', 'denial')),
    claimant       TEXT NOT NULL,
    accused        TEXT NOT NULL,
    published_at   TIMESTAMPTZ NOT NULL,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    places         JSONB NOT NULL, -- []event.Place, null for none
    kind           TEXT NOT NULL,
    targets        JSONB NOT NULL, -- []event.Reason, null for none
    claimed_count  INTEGER,        -- for count claims, never expanded into events
    answers        TEXT NOT NULL,  -- the claim this one answers, e.g. denies
    text           TEXT NOT NULL,
    url            TEXT NOT NULL,
    raw            JSON NOT NULL,
    hash           TEXT NOT NULL,
    batch_id       BIGINT NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (source, source_id),
    CHECK (time_end >= time_start)
) WITH (toast_tuple_target = 8160);

CREATE INDEX claims_time ON claims (time_start, id);
CREATE INDEX claims_claimant ON claims (claimant, published_at);
CREATE INDEX claims_accused ON claims (accused, time_start);
CREATE INDEX claims_batch ON claims (batch_id);

CREATE TABLE claim_versions (
    claim_id       BIGINT NOT NULL REFERENCES claims (id),
    version        INTEGER NOT NULL,
    deleted        BOOLEAN NOT NULL,
    claim_type     TEXT NOT NULL,
    claimant       TEXT NOT NULL,
    accused        TEXT NOT NULL,
    published_at   TIMESTAMPTZ NOT NULL,
    time_start     TIMESTAMPTZ NOT NULL,
    time_end       TIMESTAMPTZ NOT NULL,
    time_precision TEXT NOT NULL,
    places         JSONB NOT NULL,
    kind           TEXT NOT NULL,
    targets        JSONB NOT NULL,
    claimed_count  INTEGER,
    answers        TEXT NOT NULL,
    text           TEXT NOT NULL,
    url            TEXT NOT NULL,
    raw            JSON NOT NULL,
    hash           TEXT NOT NULL,
    batch_id       BIGINT NOT NULL,
    stored_at      TIMESTAMPTZ NOT NULL,
    superseded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (claim_id, version)
) WITH (toast_tuple_target = 8160);

CREATE FUNCTION claims_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claim_versions (claim_id, version, deleted, claim_type, claimant, accused, published_at,
        time_start, time_end, time_precision, places, kind, targets, claimed_count, answers, text, url,
        raw, hash, batch_id, stored_at, superseded_at)
    VALUES (OLD.id, OLD.version, OLD.deleted, OLD.claim_type, OLD.claimant, OLD.accused, OLD.published_at,
        OLD.time_start, OLD.time_end, OLD.time_precision, OLD.places, OLD.kind, OLD.targets, OLD.claimed_count, OLD.answers, OLD.text, OLD.url,
        OLD.raw, OLD.hash, OLD.batch_id, OLD.updated_at, NEW.updated_at);
    UPDATE findings SET needs_review = TRUE WHERE claim_id = OLD.id AND NOT needs_review;
    RETURN NULL;
END;
$$;

CREATE TRIGGER claims_keep_version AFTER UPDATE OF version ON claims
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION claims_keep_version();

-- What matching concluded about one event or claim under one reading of one
-- commitment of one agreement version, for one accused party (a record in
-- which two bound parties act gives two). `truce evaluate` replaces the
-- findings of a re-evaluated record as a set: a finding keeps its row (id,
-- created_at, status) while its key stands; a changed one is updated and
-- flagged for review; one no longer given is withdrawn, never deleted, so
-- reviews of it survive. Findings of a superseded agreement version stay
-- under that version.
CREATE TABLE findings (
    id                BIGSERIAL PRIMARY KEY,
    agreement_id      TEXT NOT NULL,
    agreement_version INTEGER NOT NULL,
    commitment_id     TEXT NOT NULL,
    reading           TEXT NOT NULL,
    accused           TEXT NOT NULL DEFAULT '',
    event_id          BIGINT REFERENCES events (id),
    claim_id          BIGINT REFERENCES claims (id),
    -- The record as judged: its version, hash (to spot stale findings) and
    -- start (the listing order, without a join).
    record_version    INTEGER NOT NULL,
    evidence_hash     TEXT NOT NULL,
    record_time       TIMESTAMPTZ NOT NULL,
    verdict           TEXT NOT NULL CHECK (verdict IN ('candidate', 'ambiguous', 'excepted', 'near_miss')),
    claimant          TEXT NOT NULL DEFAULT '',
    failed_clause     TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    time_position     TEXT NOT NULL DEFAULT '',
    exception_id      TEXT NOT NULL DEFAULT '',
    explanation       JSONB NOT NULL, -- the clause checks and notes
    explanation_text  TEXT NOT NULL,  -- the same in one line
    content_hash      TEXT NOT NULL,  -- of verdict .. explanation_text: what "changed" means
    status            TEXT NOT NULL DEFAULT 'alleged', -- the review's; evaluation never sets it
    needs_review      BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawn_at      TIMESTAMPTZ,    -- when re-evaluation stopped giving it
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL, -- content last changed
    evaluated_at      TIMESTAMPTZ NOT NULL, -- last evaluated, changed or not
    -- The finding under the newest earlier agreement version with the same
    -- key (commitment, reading, accused, record): what this one supersedes.
    supersedes        BIGINT REFERENCES findings (id),
    FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_versions (agreement_id, version),
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    -- NULLs are distinct, so each constraint binds only its own kind of row.
    -- They also serve the lookups by agreement version.
    UNIQUE (agreement_id, agreement_version, commitment_id, reading, accused, event_id),
    UNIQUE (agreement_id, agreement_version, commitment_id, reading, accused, claim_id)
);

CREATE INDEX findings_event ON findings (event_id);
CREATE INDEX findings_claim ON findings (claim_id);
CREATE INDEX findings_time ON findings (agreement_id, agreement_version, record_time, id);
CREATE INDEX findings_review ON findings (needs_review, status);

-- How far `truce evaluate` has got with each agreement version: every
-- record whose current version an import batch up to last_batch wrote has
-- been evaluated. near_misses: whether near misses were stored.
CREATE TABLE evaluations (
    agreement_id      TEXT NOT NULL,
    agreement_version INTEGER NOT NULL,
    last_batch        BIGINT NOT NULL,
    near_misses       BOOLEAN NOT NULL,
    violations        TEXT NOT NULL DEFAULT '', -- the confirmed violations noted (release rules)
    evaluated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, agreement_version),
    FOREIGN KEY (agreement_id, agreement_version) REFERENCES agreement_versions (agreement_id, version)
);

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
