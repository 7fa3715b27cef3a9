-- Incidents: events and claims judged to describe the same occurrence,
-- built by `truce incident build` and corrected by analysts.

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    time_start      TEXT NOT NULL,
    time_end        TEXT NOT NULL,
    country         TEXT NOT NULL DEFAULT '',
    admin1          TEXT NOT NULL DEFAULT '',
    lat             REAL,
    lon             REAL,
    kind            TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    grade           TEXT NOT NULL CHECK (grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')),
    grade_reason    TEXT NOT NULL, -- JSON: how the grade was reached
    machine_only    INTEGER NOT NULL DEFAULT 0 CHECK (machine_only IN (0, 1)), -- rests only on machine-coded sources
    status          TEXT NOT NULL DEFAULT 'alleged', -- the review's
    needs_review    INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
    review_revision INTEGER NOT NULL DEFAULT 0, -- transitions so far, for compare-and-set
    dissolved_at    TEXT, -- a rebuild gave it no members; kept for its reviews
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (time_end >= time_start)
) STRICT;

CREATE INDEX incidents_time ON incidents (time_start, time_end);
CREATE INDEX incidents_review ON incidents (needs_review, status);

CREATE TABLE incident_members (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    event_id    INTEGER REFERENCES events (id),
    claim_id    INTEGER REFERENCES claims (id),
    role        TEXT NOT NULL CHECK (role IN ('report', 'claim', 'denial')),
    machine     INTEGER NOT NULL DEFAULT 0 CHECK (machine IN (0, 1)),
    manual      INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    reason      TEXT NOT NULL, -- JSON: why the record was linked
    added_at    TEXT NOT NULL,
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    UNIQUE (event_id),  -- a record belongs to one incident at most
    UNIQUE (claim_id)
) STRICT;

CREATE INDEX incident_members_incident ON incident_members (incident_id);

-- An analyst's join (link = 1) or split (link = 0) of two records; every
-- rebuild obeys the latest decision on each pair.
CREATE TABLE incident_links (
    id         INTEGER PRIMARY KEY,
    a_type     TEXT NOT NULL CHECK (a_type IN ('event', 'claim')),
    a_id       INTEGER NOT NULL,
    b_type     TEXT NOT NULL CHECK (b_type IN ('event', 'claim')),
    b_id       INTEGER NOT NULL,
    link       INTEGER NOT NULL CHECK (link IN (0, 1)),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    audit_seq  INTEGER NOT NULL
) STRICT;

-- A new version of a member record (an edit or a deletion upstream) sends
-- its incident back for review, as it does the record's findings.
CREATE TRIGGER events_flag_incidents AFTER UPDATE OF version ON events
WHEN NEW.version <> OLD.version
BEGIN
    UPDATE incidents SET needs_review = 1
    WHERE needs_review = 0 AND id IN (SELECT incident_id FROM incident_members WHERE event_id = OLD.id);
END;

CREATE TRIGGER claims_flag_incidents AFTER UPDATE OF version ON claims
WHEN NEW.version <> OLD.version
BEGIN
    UPDATE incidents SET needs_review = 1
    WHERE needs_review = 0 AND id IN (SELECT incident_id FROM incident_members WHERE claim_id = OLD.id);
END;
