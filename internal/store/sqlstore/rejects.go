package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/store"
)

// rejectChunk is how many rejected rows an Importer holds before writing
// them: a file of bad rows must not fill memory.
const rejectChunk = 100

// AddReject keeps a rejected row with the batch.
func (im *Importer) AddReject(ctx context.Context, r store.Reject) error {
	if err := im.usable(); err != nil {
		return err
	}
	r.Field, r.Reason, r.Value, r.Raw = cleanText(r.Field), cleanText(r.Reason), cleanText(r.Value), cleanText(r.Raw)
	im.rejects = append(im.rejects, r)
	if len(im.rejects) >= rejectChunk {
		return im.flushRejects(ctx)
	}
	return nil
}

// flushRejects writes the rejected rows held, on the writer goroutine (the
// transaction is not for concurrent use), without flushing the records'
// chunks: the order of rejects and records does not matter.
func (im *Importer) flushRejects(ctx context.Context) error {
	if len(im.rejects) == 0 {
		return nil
	}
	rs := im.rejects
	im.rejects = make([]store.Reject, 0, rejectChunk)
	result := make(chan error, 1)
	im.jobs <- job{ctx: ctx, result: result, fn: func(ctx context.Context) error {
		args := make([]any, 0, 6*len(rs))
		for _, r := range rs {
			args = append(args, im.enc.batch, r.Line, r.Field, r.Reason, r.Value, r.Raw)
		}
		q := "INSERT INTO import_rejects (batch_id, line, field, reason, value, raw) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(rs)), ", ")
		if _, err := im.tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("keep rejected rows: %w", err)
		}
		return nil
	}}
	return <-result
}

// cleanText makes s valid UTF-8 without NUL bytes, as both stores can hold
// it (PostgreSQL refuses either; SQLite would keep them raw).
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// ListImports returns the committed import batches, oldest first.
func (s *Store) ListImports(ctx context.Context) ([]store.ImportBatch, error) {
	out, err := queryAll(ctx, s, func(row scanner) (store.ImportBatch, error) {
		var b store.ImportBatch
		err := row.Scan(&b.ID, &b.Source, &b.Format, &b.File, &b.By, timeDest{&b.StartedAt}, timeDest{&b.FinishedAt},
			&b.Read, &b.New, &b.Updated, &b.Unchanged, &b.Deleted, &b.Rejected)
		return b, err
	}, `SELECT id, source, format, file, imported_by, started_at, finished_at, read_count, inserted_count,
		updated_count, unchanged_count, deleted_count, rejected_count FROM import_batches WHERE status = 'done' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	return out, nil
}

// ImportRejects calls fn with the rejected rows of a batch, in line order
// (rows of one line in a fixed order, so a page can resume after one).
func (s *Store) ImportRejects(ctx context.Context, batch int64, fn func(store.Reject) error) error {
	var one int
	err := s.queryRow(ctx, "SELECT 1 FROM import_batches WHERE id = ? AND status = 'done'", batch).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("import batch %d: %w", batch, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("import batch %d: %w", batch, err)
	}
	rows, err := s.query(ctx, "SELECT line, field, reason, value, raw FROM import_rejects WHERE batch_id = ? ORDER BY line, field, reason, value, raw", batch)
	if err != nil {
		return fmt.Errorf("rejects of import batch %d: %w", batch, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.Reject
		if err := rows.Scan(&r.Line, &r.Field, &r.Reason, &r.Value, &r.Raw); err != nil {
			return fmt.Errorf("rejects of import batch %d: %w", batch, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
