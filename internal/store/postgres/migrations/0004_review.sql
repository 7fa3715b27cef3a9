-- The review of findings and incidents: every status change, and the
-- evidence reviewers attach.

ALTER TABLE findings ADD COLUMN review_revision INTEGER NOT NULL DEFAULT 0;

-- One status change of a finding or an incident, with the audit entry that
-- recorded it. Never updated or deleted.
CREATE TABLE review_transitions (
    id          BIGSERIAL PRIMARY KEY,
    finding_id  BIGINT REFERENCES findings (id),
    incident_id BIGINT REFERENCES incidents (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    reason      TEXT NOT NULL,
    -- A finding's record version when the step was taken: what was judged.
    record_version INTEGER,
    audit_seq   BIGINT NOT NULL REFERENCES audit_log (seq),
    CHECK ((finding_id IS NULL) <> (incident_id IS NULL))
);

CREATE INDEX review_transitions_finding ON review_transitions (finding_id, id);
CREATE INDEX review_transitions_incident ON review_transitions (incident_id, id);

-- Uploaded files, by content: stored once however many items cite them.
CREATE TABLE evidence_files (
    sha256     TEXT PRIMARY KEY,
    size       BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    content    BYTEA NOT NULL,
    stored_at  TIMESTAMPTZ NOT NULL
);

-- Evidence on a finding or an incident. Never deleted: a correction is a
-- new item that supersedes the old.
CREATE TABLE evidence_items (
    id             BIGSERIAL PRIMARY KEY,
    finding_id     BIGINT REFERENCES findings (id),
    incident_id    BIGINT REFERENCES incidents (id),
    url            TEXT NOT NULL DEFAULT '',
    sha256         TEXT REFERENCES evidence_files (sha256),
    file_name      TEXT NOT NULL DEFAULT '',
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_method     TEXT NOT NULL DEFAULT '',
    chronolocation TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    supersedes     BIGINT UNIQUE REFERENCES evidence_items (id),
    added_by       TEXT NOT NULL,
    added_at       TIMESTAMPTZ NOT NULL,
    audit_seq      BIGINT NOT NULL REFERENCES audit_log (seq),
    CHECK ((finding_id IS NULL) <> (incident_id IS NULL))
);

CREATE INDEX evidence_items_finding ON evidence_items (finding_id);
CREATE INDEX evidence_items_incident ON evidence_items (incident_id);

-- The workflow's record is append-only, like the audit log it points into:
-- evidence is superseded, never edited or deleted.
CREATE FUNCTION review_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER review_transitions_no_change BEFORE UPDATE OR DELETE ON review_transitions
    FOR EACH ROW EXECUTE FUNCTION review_append_only();
CREATE TRIGGER review_transitions_no_truncate BEFORE TRUNCATE ON review_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION review_append_only();
CREATE TRIGGER evidence_items_no_change BEFORE UPDATE OR DELETE ON evidence_items
    FOR EACH ROW EXECUTE FUNCTION review_append_only();
CREATE TRIGGER evidence_items_no_truncate BEFORE TRUNCATE ON evidence_items
    FOR EACH STATEMENT EXECUTE FUNCTION review_append_only();
CREATE TRIGGER evidence_files_no_change BEFORE UPDATE OR DELETE ON evidence_files
    FOR EACH ROW EXECUTE FUNCTION review_append_only();
CREATE TRIGGER evidence_files_no_truncate BEFORE TRUNCATE ON evidence_files
    FOR EACH STATEMENT EXECUTE FUNCTION review_append_only();
