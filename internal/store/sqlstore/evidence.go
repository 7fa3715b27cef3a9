package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Evidence = (*Store)(nil)

// BeginImport starts a batch on a connection of its own, written by
// multi-row statements (see sqlTx). A backend with a faster bulk path
// overrides it.
func (s *Store) BeginImport(ctx context.Context, m store.ImportMeta) (store.Importer, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import of %s: %w", ImportName(m), err)
	}
	t := &sqlTx{s: s, conn: conn, stmts: make(map[string]*sql.Stmt)}
	// Cancelling ctx rolls the transaction back: database/sql sees to it.
	t.tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		t.release()
		return nil, fmt.Errorf("begin import of %s: %w", ImportName(m), err)
	}
	return NewImporter(ctx, t, m, ImportOptions{
		ChunkRows: 2000, BindTime: func(t time.Time) any { return timeArg(t) }, PackedRaw: "",
		Lock: s.dialect.LockImport,
		// InsertNew is set where the write lock keeps every other writer
		// out for the whole transaction: the same promise Exclusive needs.
		Exclusive: s.dialect.InsertNew != "",
		Indexes:   s.dialect.ImportIndexes,
	})
}

// MarkDeleted runs a batch of deletions only.
func (s *Store) MarkDeleted(ctx context.Context, source string, sourceIDs []string) (int, error) {
	return MarkDeleted(ctx, s, source, sourceIDs)
}

// MarkDeleted runs a batch on ev that only marks records deleted, the
// format "deletions".
func MarkDeleted(ctx context.Context, ev store.Evidence, source string, sourceIDs []string) (int, error) {
	im, err := ev.BeginImport(ctx, store.ImportMeta{Source: source, Format: "deletions"})
	if err != nil {
		return 0, err
	}
	defer im.Rollback()
	n, err := im.MarkDeleted(ctx, sourceIDs)
	if err != nil {
		return 0, err
	}
	if _, err := im.Commit(ctx); err != nil {
		return 0, err
	}
	return n, nil
}

// sqlTx is an ImportTx on database/sql. Rows are written by multi-row
// statements; the full-sized ones are prepared once per batch.
type sqlTx struct {
	s     *Store
	conn  *sql.Conn // nil once released
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // full-sized statements by SQL
}

// StatementRows is how many rows one statement writes or looks up: enough
// to make the per-statement cost small, few enough to stay far below the
// bound-parameter limits (SQLite 32766, PostgreSQL 65535).
const StatementRows = 500

func (t *sqlTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, t.s.rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t *sqlTx) QueryRow(ctx context.Context, query string, args ...any) Row {
	return t.tx.QueryRowContext(ctx, t.s.rebind(query), args...)
}

func (t *sqlTx) Stored(ctx context.Context, tb *Table, source string, ids []string, fn func(id, hash string, deleted bool)) error {
	args := make([]any, 0, 1+StatementRows)
	for part := range slices.Chunk(ids, StatementRows) {
		args = append(args[:0], source)
		for _, id := range part {
			args = append(args, id)
		}
		query := tb.StoredSQL(len(part))
		rows, err := t.query(ctx, query, len(part) == StatementRows, args)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, hash string
			var deleted bool
			if err := rows.Scan(&id, &hash, &deleted); err != nil {
				rows.Close()
				return err
			}
			fn(id, hash, deleted)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Insert writes rows with Dialect.InsertNew, or upserts them if it is not
// set.
func (t *sqlTx) Insert(ctx context.Context, tb *Table, vals []any, n int) error {
	if t.s.dialect.InsertNew == "" {
		_, _, err := t.Upsert(ctx, tb, vals, n)
		return err
	}
	cols := len(tb.Columns())
	for first := 0; first < n; first += StatementRows {
		k := min(StatementRows, n-first)
		query := tb.InsertSQL(t.s.dialect.InsertNew, k, "")
		if _, err := t.exec(ctx, query, k == StatementRows, vals[first*cols:(first+k)*cols]); err != nil {
			return err
		}
	}
	return nil
}

// Upsert merges n rows with tb.OnConflict.
func (t *sqlTx) Upsert(ctx context.Context, tb *Table, vals []any, n int) (inserted, updated int, err error) {
	cols := len(tb.Columns())
	for first := 0; first < n; first += StatementRows {
		k := min(StatementRows, n-first)
		query := tb.InsertSQL("INSERT", k, " "+tb.OnConflict())
		rows, err := t.query(ctx, query, k == StatementRows, vals[first*cols:(first+k)*cols])
		if err != nil {
			return inserted, updated, err
		}
		ins, upd, err := countVersions(rows)
		if err != nil {
			return inserted, updated, err
		}
		inserted, updated = inserted+ins, updated+upd
	}
	return inserted, updated, nil
}

// valueRows is n rows of cols placeholders for a VALUES clause.
func valueRows(n, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// query runs a query, from a statement prepared once if it is full-sized
// (others vary in size and are run once).
func (t *sqlTx) query(ctx context.Context, query string, full bool, args []any) (*sql.Rows, error) {
	if !full {
		return t.tx.QueryContext(ctx, t.s.rebind(query), args...)
	}
	st, err := t.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *sqlTx) exec(ctx context.Context, query string, full bool, args []any) (sql.Result, error) {
	if !full {
		return t.tx.ExecContext(ctx, t.s.rebind(query), args...)
	}
	st, err := t.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *sqlTx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.stmts[query]; st != nil {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, t.s.rebind(query))
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	return st, nil
}

// countVersions reads the versions an upsert returned: 1 for a new row.
func countVersions(rows *sql.Rows) (inserted, updated int, err error) {
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return inserted, updated, err
		}
		if v == 1 {
			inserted++
		} else {
			updated++
		}
	}
	return inserted, updated, rows.Err()
}

func (t *sqlTx) Commit(ctx context.Context) error {
	defer t.release()
	return t.tx.Commit()
}

func (t *sqlTx) Rollback(ctx context.Context) error {
	if t.conn == nil {
		return nil // released after Commit
	}
	defer t.release()
	err := t.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil // ended already, e.g. by its context
	}
	return err
}

// release returns the connection to the pool, once.
func (t *sqlTx) release() {
	if t.conn != nil {
		t.conn.Close()
		t.conn = nil
	}
}

// GetEvent returns the current version of an event.
func (s *Store) GetEvent(ctx context.Context, source, sourceID string) (event.Event, error) {
	e, err := scanEvent(s.queryRow(ctx, "SELECT "+eventsTable.columns("")+" FROM events WHERE source = ? AND source_id = ?", source, sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return event.Event{}, fmt.Errorf("get event %s %q: %w", source, sourceID, err)
	}
	return e, nil
}

// GetClaim returns the current version of a claim.
func (s *Store) GetClaim(ctx context.Context, source, sourceID string) (event.Claim, error) {
	c, err := scanClaim(s.queryRow(ctx, "SELECT "+claimsTable.columns("")+" FROM claims WHERE source = ? AND source_id = ?", source, sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return event.Claim{}, fmt.Errorf("get claim %s %q: %w", source, sourceID, err)
	}
	return c, nil
}

// EventHistory returns the superseded versions of an event, oldest first.
func (s *Store) EventHistory(ctx context.Context, source, sourceID string) ([]event.Event, error) {
	es, err := history(ctx, s, eventsTable, scanEvent, source, sourceID)
	if err != nil {
		return nil, fmt.Errorf("history of event %s %q: %w", source, sourceID, err)
	}
	return es, nil
}

// ClaimHistory returns the superseded versions of a claim, oldest first.
func (s *Store) ClaimHistory(ctx context.Context, source, sourceID string) ([]event.Claim, error) {
	cs, err := history(ctx, s, claimsTable, scanClaim, source, sourceID)
	if err != nil {
		return nil, fmt.Errorf("history of claim %s %q: %w", source, sourceID, err)
	}
	return cs, nil
}

func history[T any](ctx context.Context, s *Store, t *Table, scan func(scanner) (T, error), source, sourceID string) ([]T, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT id FROM "+t.name+" WHERE source = ? AND source_id = ?",
		source, sourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scan, "SELECT "+t.historyColumns()+" FROM "+t.versions+" v JOIN "+t.name+
		" r ON r.id = v."+t.versOf+" WHERE v."+t.versOf+" = ? ORDER BY v.version", id)
}

// ScanEvents calls fn with each event f selects, in (time_start, id) order
// or id order.
func (s *Store) ScanEvents(ctx context.Context, f store.EventFilter, fn func(*event.Event) error) error {
	fnErr, err := scanPages(ctx, s, eventsTable, f, scanEventRow,
		func(r *eventRow) (time.Time, int64) { return r.e.Time.Start, r.e.ID }, (*eventRow).decode, fn)
	if err != nil {
		return fmt.Errorf("scan events: %w", err)
	}
	return fnErr
}

// ScanClaims calls fn with each claim f selects, in (time_start, id) order
// or id order.
func (s *Store) ScanClaims(ctx context.Context, f store.EventFilter, fn func(*event.Claim) error) error {
	fnErr, err := scanPages(ctx, s, claimsTable, f, scanClaimRow,
		func(r *claimRow) (time.Time, int64) { return r.c.Time.Start, r.c.ID }, (*claimRow).decode, fn)
	if err != nil {
		return fmt.Errorf("scan claims: %w", err)
	}
	return fnErr
}

// CountEvents counts the events f selects.
func (s *Store) CountEvents(ctx context.Context, f store.EventFilter) (int, error) {
	n, err := count(ctx, s, eventsTable, f)
	if err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// CountClaims counts the claims f selects.
func (s *Store) CountClaims(ctx context.Context, f store.EventFilter) (int, error) {
	n, err := count(ctx, s, claimsTable, f)
	if err != nil {
		return 0, fmt.Errorf("count claims: %w", err)
	}
	return n, nil
}

func count(ctx context.Context, s *Store, t *Table, f store.EventFilter) (int, error) {
	where, args := filterSQL(t, f, s.dialect.JSONMember)
	var n int
	err := s.queryRow(ctx, "SELECT count(*) FROM "+t.name+" WHERE "+where, args...).Scan(&n)
	return n, err
}

// likeEscape quotes LIKE's wildcards in s, for ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// filterSQL is the WHERE condition that selects what f does in t;
// jsonMember is the dialect's (Dialect.JSONMember).
func filterSQL(t *Table, f store.EventFilter, jsonMember func(col, key string) string) (string, []any) {
	conds := []string{"TRUE"}
	var args []any
	if !f.IncludeDeleted {
		conds = append(conds, "deleted = FALSE")
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "time_start >= ?"), append(args, timeArg(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "time_start < ?"), append(args, timeArg(f.To))
	}
	if f.ChangedSince > 0 {
		conds, args = append(conds, "batch_id > ?"), append(args, f.ChangedSince)
	}
	cols := eventCols
	if t != eventsTable {
		cols = claimCols
	}
	nc, na := narrowSQL(cols, recordNarrowing{f.Source, f.Kind, f.Category, f.Country, f.Admin1}, jsonMember)
	conds, args = append(conds, nc...), append(args, na...)
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			conds = append(conds, "FALSE")
		} else {
			conds = append(conds, "id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.IDs)), ", ")+")")
			for _, id := range f.IDs {
				args = append(args, id)
			}
		}
	}
	return strings.Join(conds, " AND "), args
}
