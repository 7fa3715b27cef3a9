package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlstore"
)

// chunkRows is how many rows one lookup and COPY handle. Bigger chunks
// mean fewer round trips; three are held in memory (see sqlstore.Importer),
// at about 2.5 KB a row.
const chunkRows = 10_000

// BeginImport starts a batch on a pooled connection of its own, in a pgx
// transaction: database/sql cannot COPY, and its transactions and pgx's
// cannot be mixed. The shared sqlstore.Importer decides what is written;
// copyTx writes it.
func (s *Store) BeginImport(ctx context.Context, m store.ImportMeta) (store.Importer, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import of %s: %w", sqlstore.ImportName(m), err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		conn.Release()
		return nil, fmt.Errorf("begin import of %s: %w", sqlstore.ImportName(m), err)
	}
	t := &copyTx{conn: conn, tx: tx, staged: make(map[*sqlstore.Table]bool), types: map[string][]colType{}}
	return sqlstore.NewImporter(ctx, t, m, sqlstore.ImportOptions{ChunkRows: chunkRows, BindTime: bindTime,
		Lock: lockImport, SourceLock: lockSource, Indexes: importIndexes, PrepareLock: lockPrepare,
		RebuildSetup: rebuildSetup})
}

// lockPrepare is sqlstore.ImportOptions.PrepareLock: one key for every
// table, so that no two batches hold a table each that the other needs.
const lockPrepare = "SELECT pg_advisory_xact_lock(7723310043)"

// importIndexes is sqlstore.ImportOptions.Indexes: the indexes of a table
// that no constraint stands behind, and its unique constraints (the key
// index). Building events_time once after the first 200,000 ACLED rows
// instead of inserting into it row by row took the server's CPU time for
// the import from 5.4 s to 5.1 s (two runs each), and spares the full-page
// images that random inserts into it cause after each checkpoint of a
// larger import. The key's unique index was, at 1M rows, a quarter of the
// server's CPU: without it the server spent 11.6 s against 16.1 s, and
// building it at the end took 1.9 s.
const importIndexes = `WITH t AS (SELECT ?::text::regclass AS oid)
	SELECT coalesce(json_agg(ix), '[]')::text FROM (
		SELECT json_build_object('name', i.relname, 'create', pg_get_indexdef(i.oid)) AS ix
		FROM t, pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = t.oid
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
		UNION ALL
		SELECT json_build_object('name', c.conname,
			'create', 'ALTER TABLE ' || t.oid::regclass::text || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid),
			'drop', 'ALTER TABLE ' || t.oid::regclass::text || ' DROP CONSTRAINT ' || quote_ident(c.conname),
			'key', true)
		FROM t, pg_constraint c WHERE c.conrelid = t.oid AND c.contype = 'u'
		AND pg_get_constraintdef(c.oid) = 'UNIQUE (source, source_id)'
	) s`

// rebuildSetup is sqlstore.ImportOptions.RebuildSetup: the index builds at
// the end of a first import sort in memory, for this transaction only. The
// key's unique index and events_time over 1M ACLED rows: 2.97 s against
// 3.51 s with the default 64 MB.
const rebuildSetup = "SET LOCAL maintenance_work_mem = '256MB'"

// MarkDeleted runs a batch of deletions only.
func (s *Store) MarkDeleted(ctx context.Context, source string, sourceIDs []string) (int, error) {
	return sqlstore.MarkDeleted(ctx, s, source, sourceIDs)
}

// bindTime is a time as pgx encodes it for TIMESTAMPTZ, binary in COPY.
func bindTime(t time.Time) any { return t.UTC().Truncate(time.Microsecond) }

// copyTx is an sqlstore.ImportTx on one pgx transaction. New rows are
// copied straight into their table. Changed rows are copied into a
// temporary staging table (unlogged, private, dropped with the
// transaction) and merged from there by one statement.
type copyTx struct {
	conn   *pgxpool.Conn // nil once released
	tx     pgx.Tx
	staged map[*sqlstore.Table]bool // staging table created
	types  map[string][]colType     // table -> its columns' types, in COPY order (copybin.go)
}

func (t *copyTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, sqlstore.NumberParams(query), args...)
	return tag.RowsAffected(), err
}

func (t *copyTx) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return t.tx.QueryRow(ctx, sqlstore.NumberParams(query), args...)
}

func (t *copyTx) Stored(ctx context.Context, tb *sqlstore.Table, source string, ids []string, fn func(id, hash string, deleted bool)) error {
	rows, err := t.tx.Query(ctx, "SELECT source_id, hash, deleted FROM "+tb.Name()+
		" WHERE source = $1 AND source_id = ANY($2)", source, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id, hash string
	var deleted bool
	_, err = pgx.ForEachRow(rows, []any{&id, &hash, &deleted}, func() error {
		fn(id, hash, deleted)
		return nil
	})
	return err
}

// Insert copies new rows into their table. Another batch could store one
// of the keys between the lookup and the copy; the unique index then fails
// this batch rather than let it store the key twice.
func (t *copyTx) Insert(ctx context.Context, tb *sqlstore.Table, vals []any, n int) error {
	return t.copyInto(ctx, tb, tb.Name(), vals, n)
}

// copyInto copies n rows of tb's columns into table (tb's or its staging
// table) in one COPY.
func (t *copyTx) copyInto(ctx context.Context, tb *sqlstore.Table, table string, vals []any, n int) error {
	cols := tb.Columns()
	types, ok := t.types[tb.Name()]
	if !ok {
		var err error
		if types, err = columnTypes(ctx, t.tx, tb.Name(), cols); err != nil {
			return fmt.Errorf("column types of %s: %w", tb.Name(), err)
		}
		t.types[tb.Name()] = types
	}
	stream := copyStream(table, types, vals, n)
	_, err := t.tx.Conn().PgConn().CopyFrom(ctx, stream, copyQuery(table, cols))
	stream.close() // vals are the importer's again
	return err
}

func (t *copyTx) Upsert(ctx context.Context, tb *sqlstore.Table, vals []any, n int) (inserted, updated int, err error) {
	cols := tb.Columns()
	stage := "truce_import_" + tb.Name()
	if t.staged[tb] {
		_, err = t.tx.Exec(ctx, "TRUNCATE "+stage)
	} else {
		_, err = t.tx.Exec(ctx, "CREATE TEMPORARY TABLE "+stage+" ON COMMIT DROP AS SELECT "+
			strings.Join(cols, ", ")+" FROM "+tb.Name()+" WITH NO DATA")
		t.staged[tb] = true
	}
	if err != nil {
		return 0, 0, fmt.Errorf("prepare staging table: %w", err)
	}
	if err := t.copyInto(ctx, tb, stage, vals, n); err != nil {
		return 0, 0, fmt.Errorf("copy to staging table: %w", err)
	}
	list := strings.Join(cols, ", ")
	err = t.tx.QueryRow(ctx, `WITH merged AS (
		INSERT INTO `+tb.Name()+` (`+list+`) SELECT `+list+` FROM `+stage+` `+tb.OnConflict()+`)
		SELECT count(*) FILTER (WHERE version = 1), count(*) FILTER (WHERE version > 1) FROM merged`).Scan(&inserted, &updated)
	if err != nil {
		return 0, 0, fmt.Errorf("merge: %w", err)
	}
	return inserted, updated, nil
}

func (t *copyTx) Commit(ctx context.Context) error {
	defer t.release()
	return t.tx.Commit(ctx)
}

func (t *copyTx) Rollback(ctx context.Context) error {
	if t.conn == nil {
		return nil // released after Commit
	}
	defer t.release()
	err := t.tx.Rollback(ctx)
	if errors.Is(err, pgx.ErrTxClosed) || t.conn.Conn().IsClosed() {
		return nil // ended already; a lost connection ends it on the server
	}
	return err
}

// release returns the connection to the pool, once.
func (t *copyTx) release() {
	if t.conn != nil {
		t.conn.Release()
		t.conn = nil
	}
}
