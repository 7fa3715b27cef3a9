-- Incident membership by allegation: a record whose text alleges several
-- acts (claim/17#1, claim/17#2) can have each act in its own incident.
-- part 0 is the record as a whole, as before.
ALTER TABLE incident_members ADD COLUMN part INTEGER NOT NULL DEFAULT 0 CHECK (part >= 0);
ALTER TABLE incident_members DROP CONSTRAINT incident_members_event_id_key;
ALTER TABLE incident_members DROP CONSTRAINT incident_members_claim_id_key;
-- an allegation belongs to one incident at most
ALTER TABLE incident_members ADD CONSTRAINT incident_members_event_part_key UNIQUE (event_id, part);
ALTER TABLE incident_members ADD CONSTRAINT incident_members_claim_part_key UNIQUE (claim_id, part);

-- A join or split names the allegations it is about (0: the whole record).
ALTER TABLE incident_links ADD COLUMN a_part INTEGER NOT NULL DEFAULT 0 CHECK (a_part >= 0);
ALTER TABLE incident_links ADD COLUMN b_part INTEGER NOT NULL DEFAULT 0 CHECK (b_part >= 0);
