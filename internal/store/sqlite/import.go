package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlstore"
)

// chunkRows is how many rows the writer takes at a time: one lookup of
// their keys, then their inserts.
const chunkRows = 2000

// importPragmas tune an import's connection for bulk writes. The pool's
// connections get the first four from connParams; the connection is
// closed after the batch, so nothing has to be undone.
//
// A 128 MB page cache (the default is 2 MB) keeps the indexes in memory
// through a large import, and the statement journals of upserts stay in
// memory. The file is not mapped: every mapped page an import looks up
// counts toward its resident memory, and a re-import of 1M ACLED rows
// peaked at 1.3 GB mapped against 290 MB unmapped, in the same time.
var importPragmas = []string{
	fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout.Milliseconds()),
	"PRAGMA foreign_keys = ON",
	"PRAGMA synchronous = NORMAL",
	"PRAGMA journal_size_limit = 67108864",
	"PRAGMA cache_size = -131072",
	"PRAGMA temp_store = MEMORY",
}

// importIndexes is sqlstore.ImportOptions.Indexes: the indexes that no
// constraint stands behind (those have no SQL).
const importIndexes = `SELECT json_group_array(json_object('name', name, 'create', sql)) FROM sqlite_schema
	WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`

// BeginImport starts a batch on a connection of its own, opened through
// SQLite's C API over the same engine as the pool (cconn): each of a
// million rows' thirty values is bound straight into SQLite, where
// database/sql converted each, and modernc's driver, which opens every
// connection fully serialized, took a mutex around each, then cleared
// every binding again (a quarter of the writer's time). The shared
// sqlstore.Importer decides what is written; connTx writes it.
//
// An in-memory database has one connection, the pool's: it imports
// through database/sql.
func (s *Store) BeginImport(ctx context.Context, m store.ImportMeta) (store.Importer, error) {
	if s.memory {
		return s.Store.BeginImport(ctx, m)
	}
	conn, err := openCConn(s.name, openReadWrite, importPragmas)
	if err != nil {
		return nil, fmt.Errorf("begin import of %s: %w", sqlstore.ImportName(m), err)
	}
	t := &connTx{conn: conn}
	if m.Sole {
		if t.alone, err = s.takeAlone(conn); err != nil {
			t.close()
			return nil, fmt.Errorf("begin import of %s: %w", sqlstore.ImportName(m), err)
		}
	}
	// BEGIN IMMEDIATE takes the write lock at once (see connParams): an
	// import is one write transaction, and holds it throughout.
	if _, err := t.Exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.leaveAlone()
		t.close()
		return nil, fmt.Errorf("begin import of %s: %w", sqlstore.ImportName(m), err)
	}
	t.open = true
	return sqlstore.NewImporter(ctx, t, m, sqlstore.ImportOptions{
		ChunkRows: chunkRows, BindTime: func(t time.Time) any { return sqlstore.TimeText(t) }, PackedRaw: "",
		// The write lock keeps every other writer out until the end.
		Exclusive: true,
		Indexes:   importIndexes,
	})
}

// connTx is an sqlstore.ImportTx on one connection of its own, with
// statements prepared once per batch.
type connTx struct {
	conn  *cconn // nil once closed
	open  bool   // a transaction is open
	alone bool   // the batch holds the file alone (alone.go)
}

var _ sqlstore.ImportTx = (*connTx)(nil)

// interrupt makes ctx's end interrupt the statements run until the
// returned function is called.
func (t *connTx) interrupt(ctx context.Context) func() {
	if t.conn == nil {
		return func() {}
	}
	return t.conn.interrupt(ctx)
}

// prepare returns query prepared, kept by the connection for the batch,
// with args bound.
func (t *connTx) prepare(query string, args []any) (*cstmt, error) {
	if t.conn == nil {
		return nil, errors.New("import connection closed")
	}
	st, err := t.conn.prepare(query)
	if err != nil {
		return nil, err
	}
	if err := st.bind(args); err != nil {
		return nil, err
	}
	return st, nil
}

func (t *connTx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	defer t.interrupt(ctx)()
	st, err := t.prepare(query, args)
	if err != nil {
		return 0, err
	}
	if err := run(ctx, st, nil); err != nil {
		return 0, err
	}
	return t.conn.changes(), nil
}

func (t *connTx) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return rowFunc(func(dest ...any) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		defer t.interrupt(ctx)()
		st, err := t.prepare(query, args)
		if err != nil {
			return err
		}
		found := false
		err = run(ctx, st, func(st *cstmt) error {
			if found {
				return nil // the statement runs to its end; the first row counts
			}
			found = true
			return stmtScanner{st}.Scan(dest...)
		})
		if err == nil && !found {
			err = sql.ErrNoRows
		}
		return err
	})
}

// rowFunc is an sqlstore.Row that runs its query when scanned.
type rowFunc func(dest ...any) error

func (f rowFunc) Scan(dest ...any) error { return f(dest...) }

func (t *connTx) Stored(ctx context.Context, tb *sqlstore.Table, source string, ids []string, fn func(id, hash string, deleted bool)) error {
	defer t.interrupt(ctx)()
	args := make([]any, 0, 1+sqlstore.StatementRows)
	for part := range slices.Chunk(ids, sqlstore.StatementRows) {
		args = append(args[:0], source)
		for _, id := range part {
			args = append(args, id)
		}
		st, err := t.prepare(tb.StoredSQL(len(part)), args)
		if err != nil {
			return err
		}
		err = run(ctx, st, func(st *cstmt) error {
			fn(st.ColumnText(0), st.ColumnText(1), st.ColumnInt64(2) != 0)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// insertRows is how many rows one execution of Insert's statement writes:
// its program opens the table and its indexes once for them all, not once
// a row.
const insertRows = 100

// Insert writes rows that no stored record has the key of, insertRows at
// a time and the rest one by one (two statements, each prepared once).
// The write lock keeps out anyone who could store one in between; OR
// ROLLBACK spares the statement journal an ABORT needs (a failure ends the
// transaction, which fails the import anyway).
func (t *connTx) Insert(ctx context.Context, tb *sqlstore.Table, vals []any, n int) error {
	defer t.interrupt(ctx)()
	cols := len(tb.Columns())
	many, one := tb.InsertSQL("INSERT OR ROLLBACK", insertRows, ""), tb.InsertSQL("INSERT OR ROLLBACK", 1, "")
	for first := 0; first < n; {
		query, k := many, insertRows
		if n-first < insertRows {
			query, k = one, 1
		}
		st, err := t.prepare(query, vals[first*cols:(first+k)*cols])
		if err != nil {
			return err
		}
		if err := run(ctx, st, nil); err != nil {
			return err
		}
		first += k
	}
	return nil
}

// Upsert merges rows with tb.OnConflict, which returns the version of
// each row it wrote: 1 for a new one.
func (t *connTx) Upsert(ctx context.Context, tb *sqlstore.Table, vals []any, n int) (inserted, updated int, err error) {
	defer t.interrupt(ctx)()
	query, cols := tb.InsertSQL("INSERT", 1, " "+tb.OnConflict()), len(tb.Columns())
	for row := range slices.Chunk(vals[:n*cols], cols) {
		st, err := t.prepare(query, row)
		if err != nil {
			return inserted, updated, err
		}
		err = run(ctx, st, func(st *cstmt) error {
			if st.ColumnInt64(0) == 1 {
				inserted++
			} else {
				updated++
			}
			return nil
		})
		if err != nil {
			return inserted, updated, err
		}
	}
	return inserted, updated, nil
}

// Commit commits, then truncates the write-ahead log (see finish).
func (t *connTx) Commit(ctx context.Context) error {
	if _, err := t.Exec(ctx, "COMMIT"); err != nil {
		return err
	}
	t.open = false
	t.leaveAlone()
	t.finish()
	return nil
}

// Rollback rolls back whatever the batch wrote, even when ctx has ended
// (often why it is called), and closes the connection.
func (t *connTx) Rollback(ctx context.Context) error {
	if t.conn == nil {
		return nil
	}
	defer t.close()
	defer t.leaveAlone() // after the rollback, before the close
	if !t.open || t.conn.autocommit() {
		return nil // ended already: an OR ROLLBACK failure, or Commit
	}
	t.open = false
	_, err := t.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	return err
}

// finish ends the batch's connection after a commit. The commit's
// checkpoint copied the import into the database file but left the
// write-ahead log its size: truncating it now means that the next process
// to open the file has no log to read through (its recovery). It waits
// for no reader: with one still reading, the next writer resets the log
// instead. Closing frees the page cache (0.3 s after 1M ACLED rows); not
// in the background, where it could be the file's last connection, whose
// close checkpoints under a lock that fails a reader opening the file
// without a busy timeout.
func (t *connTx) finish() {
	if t.conn == nil {
		return
	}
	_ = t.conn.exec("PRAGMA busy_timeout = 0")
	_ = t.conn.exec("PRAGMA wal_checkpoint(TRUNCATE)")
	t.close()
}

// close closes the connection, which rolls back an open transaction.
func (t *connTx) close() {
	if t.conn != nil {
		t.conn.close()
		t.conn = nil
	}
}
