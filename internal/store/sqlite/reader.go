package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	lib "modernc.org/sqlite/lib"

	"github.com/truce-monitor/truce/internal/store/sqlstore"
)

// reader is a connection of its own for one reader of a whole-table scan
// (sqlstore.Dialect.WholeReader), a cconn as imports use: it binds and
// reads columns without database/sql's conversions, and without the mutex
// modernc's driver opens every connection with (a connection here is only
// ever used by one goroutine). Neither matters for a page of a list; over
// a million events they were more than half of `truce evaluate --full`'s
// CPU. It maps no file pages: a command reading every event would
// otherwise hold them all in its memory.
type reader struct {
	conn *cconn
}

var _ sqlstore.RowReader = (*reader)(nil)

// openReader opens a read-only connection to the database file at name, a
// path or a "file:" URI as the driver was given it. It waits for a lock as
// the pool's connections do (see connParams), rather than block until
// interrupted.
func openReader(name string) (*reader, error) {
	conn, err := openCConn(name, openReadOnly, importPragmas[:1])
	if err != nil {
		return nil, fmt.Errorf("open reader: %w", err)
	}
	return &reader{conn: conn}, nil
}

// Query runs query, prepared once per connection, with args.
func (r *reader) Query(ctx context.Context, query string, args []any, row func(sqlstore.Scanner) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer r.conn.interrupt(ctx)()
	st, err := r.conn.prepare(query)
	if err != nil {
		return err
	}
	if err := st.bind(args); err != nil {
		return err
	}
	return run(ctx, st, func(st *cstmt) error { return row(stmtScanner{st}) })
}

func (r *reader) Close() error {
	r.conn.close()
	return nil
}

// run steps st to its end, calling row, if set, with each row.
func run(ctx context.Context, st *cstmt, row func(*cstmt) error) (err error) {
	defer func() {
		if rerr := st.Reset(); err == nil && rerr != nil {
			err = rerr
		}
	}()
	for {
		ok, err := st.Step()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		if !ok {
			return nil
		}
		if row != nil {
			if err := row(st); err != nil {
				return err
			}
		}
	}
}

// stmtScanner reads the current row of a statement into the destinations
// the store's scans use, converting as database/sql would.
type stmtScanner struct{ st *cstmt }

var errNull = errors.New("NULL in a column that cannot hold it")

func (s stmtScanner) Scan(dest ...any) error {
	st := s.st
	if n := st.ColumnCount(); n != len(dest) {
		return fmt.Errorf("scan: %d columns into %d destinations", n, len(dest))
	}
	for i, d := range dest {
		typ := st.ColumnType(i)
		if err := scanColumn(st, i, typ, d); err != nil {
			return fmt.Errorf("scan column %d (%s): %w", i, st.ColumnName(i), err)
		}
	}
	return nil
}

func scanColumn(st *cstmt, i int, typ int32, d any) error {
	null := typ == lib.SQLITE_NULL
	switch d := d.(type) {
	case *string:
		if null {
			return errNull
		}
		*d = st.ColumnText(i)
	case *[]byte:
		*d = columnBytes(st, i, typ)
	case *int64:
		if null {
			return errNull
		}
		*d = st.ColumnInt64(i)
	case *int:
		if null {
			return errNull
		}
		*d = int(st.ColumnInt64(i))
	case *bool:
		if null {
			return errNull
		}
		*d = st.ColumnInt64(i) != 0
	case *float64:
		if null {
			return errNull
		}
		*d = st.ColumnFloat(i)
	case *sql.NullFloat64:
		*d = sql.NullFloat64{Float64: st.ColumnFloat(i), Valid: !null}
	case *sql.NullInt64:
		*d = sql.NullInt64{Int64: st.ColumnInt64(i), Valid: !null}
	case *sql.NullString:
		*d = sql.NullString{String: st.ColumnText(i), Valid: !null}
	case sql.Scanner:
		return d.Scan(columnValue(st, i, typ))
	default:
		return fmt.Errorf("cannot scan into a %T", d)
	}
	return nil
}

// columnValue is column i as the driver.Value database/sql would pass a
// sql.Scanner.
func columnValue(st *cstmt, i int, typ int32) any {
	switch typ {
	case lib.SQLITE_INTEGER:
		return st.ColumnInt64(i)
	case lib.SQLITE_FLOAT:
		return st.ColumnFloat(i)
	case lib.SQLITE_TEXT:
		return st.ColumnText(i)
	case lib.SQLITE_BLOB:
		return columnBytes(st, i, typ)
	}
	return nil
}

// columnBytes is a copy of column i: nil for NULL and, as modernc's
// driver has it, for an empty BLOB (an empty TEXT is an empty slice).
func columnBytes(st *cstmt, i int, typ int32) []byte {
	n := st.ColumnLen(i)
	if typ == lib.SQLITE_NULL || typ == lib.SQLITE_BLOB && n == 0 {
		return nil
	}
	b := make([]byte, n)
	st.ColumnBytes(i, b)
	return b
}
