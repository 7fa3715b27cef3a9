-- Incidents: events and claims judged to describe the same occurrence,
-- built by `truce incident build` and corrected by analysts.

CREATE TABLE incidents (
    id              BIGSERIAL PRIMARY KEY,
    time_start      TIMESTAMPTZ NOT NULL,
    time_end        TIMESTAMPTZ NOT NULL,
    country         TEXT NOT NULL DEFAULT '',
    admin1          TEXT NOT NULL DEFAULT '',
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    kind            TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    grade           TEXT NOT NULL CHECK (grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')),
    grade_reason    JSONB NOT NULL, -- how the grade was reached
    machine_only    BOOLEAN NOT NULL DEFAULT FALSE, -- rests only on machine-coded sources
    status          TEXT NOT NULL DEFAULT 'alleged', -- the review's
    needs_review    BOOLEAN NOT NULL DEFAULT FALSE,
    review_revision INTEGER NOT NULL DEFAULT 0, -- transitions so far, for compare-and-set
    dissolved_at    TIMESTAMPTZ, -- a rebuild gave it no members; kept for its reviews
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (time_end >= time_start)
);

CREATE INDEX incidents_time ON incidents (time_start, time_end);
CREATE INDEX incidents_review ON incidents (needs_review, status);

CREATE TABLE incident_members (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    event_id    BIGINT REFERENCES events (id),
    claim_id    BIGINT REFERENCES claims (id),
    role        TEXT NOT NULL CHECK (role IN ('report', 'claim', 'denial')),
    machine     BOOLEAN NOT NULL DEFAULT FALSE,
    manual      BOOLEAN NOT NULL DEFAULT FALSE,
    reason      JSONB NOT NULL, -- why the record was linked
    added_at    TIMESTAMPTZ NOT NULL,
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    UNIQUE (event_id),  -- a record belongs to one incident at most
    UNIQUE (claim_id)
);

CREATE INDEX incident_members_incident ON incident_members (incident_id);

-- An analyst's join (link) or split (not link) of two records; every
-- rebuild obeys the latest decision on each pair.
CREATE TABLE incident_links (
    id         BIGSERIAL PRIMARY KEY,
    a_type     TEXT NOT NULL CHECK (a_type IN ('event', 'claim')),
    a_id       BIGINT NOT NULL,
    b_type     TEXT NOT NULL CHECK (b_type IN ('event', 'claim')),
    b_id       BIGINT NOT NULL,
    link       BOOLEAN NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    audit_seq  BIGINT NOT NULL
);

-- A new version of a member record (an edit or a deletion upstream) sends
-- its incident back for review, as it does the record's findings.
CREATE FUNCTION flag_member_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'events' THEN
        UPDATE incidents SET needs_review = TRUE
        WHERE NOT needs_review AND id IN (SELECT incident_id FROM incident_members WHERE event_id = OLD.id);
    ELSE
        UPDATE incidents SET needs_review = TRUE
        WHERE NOT needs_review AND id IN (SELECT incident_id FROM incident_members WHERE claim_id = OLD.id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_flag_incidents AFTER UPDATE OF version ON events
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION flag_member_incidents();

CREATE TRIGGER claims_flag_incidents AFTER UPDATE OF version ON claims
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION flag_member_incidents();
