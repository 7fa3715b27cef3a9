-- 0013: an event's actors, the reason for its kind and its allegations,
-- and a claim's allegations (read beside an event's), are kept as json (their text, checked), not jsonb (parsed into a binary
-- form). No query looks inside them: they are read back whole and decoded
-- by truce. Parsing them into jsonb was the largest single cost of the
-- server's reading of an import's rows (2.7 s of its CPU for a million
-- ACLED rows), and jsonb's form is larger (about 40 bytes a row). targets
-- stays jsonb: filters by category look inside it. The tables are
-- rewritten once, here.
ALTER TABLE events ALTER COLUMN allegations DROP DEFAULT;
ALTER TABLE events ALTER COLUMN actors TYPE JSON USING actors::json,
    ALTER COLUMN kind_reason TYPE JSON USING kind_reason::json,
    ALTER COLUMN allegations TYPE JSON USING allegations::json;
ALTER TABLE events ALTER COLUMN allegations SET DEFAULT 'null'::json;
ALTER TABLE event_versions ALTER COLUMN allegations DROP DEFAULT;
ALTER TABLE event_versions ALTER COLUMN actors TYPE JSON USING actors::json,
    ALTER COLUMN kind_reason TYPE JSON USING kind_reason::json,
    ALTER COLUMN allegations TYPE JSON USING allegations::json;
ALTER TABLE event_versions ALTER COLUMN allegations SET DEFAULT 'null'::json;
ALTER TABLE claims ALTER COLUMN allegations DROP DEFAULT;
ALTER TABLE claims ALTER COLUMN allegations TYPE JSON USING allegations::json;
ALTER TABLE claims ALTER COLUMN allegations SET DEFAULT 'null'::json;
ALTER TABLE claim_versions ALTER COLUMN allegations DROP DEFAULT;
ALTER TABLE claim_versions ALTER COLUMN allegations TYPE JSON USING allegations::json;
ALTER TABLE claim_versions ALTER COLUMN allegations SET DEFAULT 'null'::json;
