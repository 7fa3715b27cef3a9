-- 0011: raw records stored packed (internal/store/sqlstore/rawpack.go).
-- A record in the usual canonical form (an object of strings) is stored in
-- raw_packed, its keys by number and its text not again, and raw holds ''.
-- Any other record stays in raw, raw_packed NULL. Reads unpack it byte for
-- byte, so the hash still covers what is read. Rows stored before keep raw.
ALTER TABLE events ADD COLUMN raw_packed BLOB;
ALTER TABLE event_versions ADD COLUMN raw_packed BLOB;
ALTER TABLE claims ADD COLUMN raw_packed BLOB;
ALTER TABLE claim_versions ADD COLUMN raw_packed BLOB;

-- The version triggers keep raw_packed with the rest of the old row.
DROP TRIGGER events_keep_version;
CREATE TRIGGER events_keep_version AFTER UPDATE OF version ON events
WHEN NEW.version <> OLD.version
BEGIN
    INSERT INTO event_versions (event_id, version, deleted, time_start, time_end, time_precision,
        place_name, country, admin1, admin1_id, admin2, admin3, lat, lon, geo_precision, kind, kind_reason,
        targets, actors, fatalities, text, raw, raw_packed, hash, batch_id, stored_at, superseded_at)
    VALUES (OLD.id, OLD.version, OLD.deleted, OLD.time_start, OLD.time_end, OLD.time_precision,
        OLD.place_name, OLD.country, OLD.admin1, OLD.admin1_id, OLD.admin2, OLD.admin3, OLD.lat, OLD.lon, OLD.geo_precision, OLD.kind, OLD.kind_reason,
        OLD.targets, OLD.actors, OLD.fatalities, OLD.text, OLD.raw, OLD.raw_packed, OLD.hash, OLD.batch_id, OLD.updated_at, NEW.updated_at);
    UPDATE findings SET needs_review = 1 WHERE event_id = OLD.id AND needs_review = 0;
END;

DROP TRIGGER claims_keep_version;
CREATE TRIGGER claims_keep_version AFTER UPDATE OF version ON claims
WHEN NEW.version <> OLD.version
BEGIN
    INSERT INTO claim_versions (claim_id, version, deleted, claim_type, claimant, accused, published_at,
        time_start, time_end, time_precision, places, kind, targets, claimed_count, answers, text, url,
        raw, raw_packed, hash, batch_id, stored_at, superseded_at)
    VALUES (OLD.id, OLD.version, OLD.deleted, OLD.claim_type, OLD.claimant, OLD.accused, OLD.published_at,
        OLD.time_start, OLD.time_end, OLD.time_precision, OLD.places, OLD.kind, OLD.targets, OLD.claimed_count, OLD.answers, OLD.text, OLD.url,
        OLD.raw, OLD.raw_packed, OLD.hash, OLD.batch_id, OLD.updated_at, NEW.updated_at);
    UPDATE findings SET needs_review = 1 WHERE claim_id = OLD.id AND needs_review = 0;
END;
