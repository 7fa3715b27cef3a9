-- Incident membership by allegation: a record whose text alleges several
-- acts (claim/17#1, claim/17#2) can have each act in its own incident.
-- part 0 is the record as a whole, as before. SQLite cannot change a
-- UNIQUE constraint in place, so incident_members is rebuilt; the version
-- triggers that read it are dropped first (a rename checks the triggers
-- that name the table) and made again as they were, with its index.
DROP TRIGGER events_flag_incidents;
DROP TRIGGER claims_flag_incidents;

CREATE TABLE incident_members_new (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    event_id    INTEGER REFERENCES events (id),
    claim_id    INTEGER REFERENCES claims (id),
    part        INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0), -- the allegation; 0: the whole record
    role        TEXT NOT NULL CHECK (role IN ('report', 'claim', 'denial')),
    machine     INTEGER NOT NULL DEFAULT 0 CHECK (machine IN (0, 1)),
    manual      INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    reason      TEXT NOT NULL, -- JSON: why the record was linked
    added_at    TEXT NOT NULL,
    CHECK ((event_id IS NULL) <> (claim_id IS NULL)),
    UNIQUE (event_id, part),  -- an allegation belongs to one incident at most
    UNIQUE (claim_id, part)
) STRICT;

INSERT INTO incident_members_new (incident_id, event_id, claim_id, part, role, machine, manual, reason, added_at)
    SELECT incident_id, event_id, claim_id, 0, role, machine, manual, reason, added_at FROM incident_members;
DROP TABLE incident_members;
ALTER TABLE incident_members_new RENAME TO incident_members;

CREATE INDEX incident_members_incident ON incident_members (incident_id);

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

-- A join or split names the allegations it is about (0: the whole record).
ALTER TABLE incident_links ADD COLUMN a_part INTEGER NOT NULL DEFAULT 0 CHECK (a_part >= 0);
ALTER TABLE incident_links ADD COLUMN b_part INTEGER NOT NULL DEFAULT 0 CHECK (b_part >= 0);
