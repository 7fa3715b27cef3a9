-- 0012: the record keys compare byte by byte (COLLATE "C"), as SQLite's do.
-- Every row an import writes goes into the unique index on (source,
-- source_id), and under the database's locale each comparison there went
-- through strcoll: a seventh of the server's CPU for a million ACLED rows.
-- Keys are identifiers, not words: no order of theirs is meant for reading.
-- Only the indexes on the columns are rebuilt, not the tables.
ALTER TABLE events ALTER COLUMN source TYPE TEXT COLLATE "C", ALTER COLUMN source_id TYPE TEXT COLLATE "C";
ALTER TABLE claims ALTER COLUMN source TYPE TEXT COLLATE "C", ALTER COLUMN source_id TYPE TEXT COLLATE "C";
