-- 0012: on PostgreSQL the record keys were made to compare byte by byte,
-- as SQLite's always have (BINARY): nothing to do here but keep the two
-- stores' schema versions in step.
SELECT 1;
