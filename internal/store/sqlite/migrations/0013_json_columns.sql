-- 0013: on PostgreSQL some JSON columns of events went from jsonb to json;
-- SQLite keeps JSON as text anyway: nothing to do here but keep the two
-- stores' schema versions in step.
SELECT 1;
