-- What a record's text alleges, act by act (package allege): kind, actor,
-- targets, count and place with the words behind each; null for none.
-- The versions tables get the column for their shared row shape; versions
-- saved before this migration, and by the version triggers, keep null:
-- allegations are read from the text again at import, never edited.
ALTER TABLE events ADD COLUMN allegations TEXT NOT NULL DEFAULT 'null';
ALTER TABLE event_versions ADD COLUMN allegations TEXT NOT NULL DEFAULT 'null';
ALTER TABLE claims ADD COLUMN allegations TEXT NOT NULL DEFAULT 'null';
ALTER TABLE claim_versions ADD COLUMN allegations TEXT NOT NULL DEFAULT 'null';
-- The allegation of the record a finding is about (0: the record as coded
-- or as a whole). A record gives one finding per commitment, reading and
-- accused: the strongest of its allegations, named here.
ALTER TABLE findings ADD COLUMN part INTEGER NOT NULL DEFAULT 0;
