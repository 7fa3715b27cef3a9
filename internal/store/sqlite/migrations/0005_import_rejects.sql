-- The rows an import turned away, kept with their batch so that
-- `truce imports rejects BATCH` can show them: the line, the field and why,
-- the value and the whole record as read (made valid UTF-8, NUL bytes
-- replaced, so that no raw byte of a hostile file reaches the store).
CREATE TABLE import_rejects (
    batch_id INTEGER NOT NULL REFERENCES import_batches (id),
    line     INTEGER NOT NULL,
    field    TEXT NOT NULL DEFAULT '',
    reason   TEXT NOT NULL,
    value    TEXT NOT NULL DEFAULT '',
    raw      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX import_rejects_batch ON import_rejects (batch_id, line);
