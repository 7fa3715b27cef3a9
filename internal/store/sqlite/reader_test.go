package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store/sqlstore"
)

// row holds every kind of destination the store's scans use.
type row struct {
	id    int64
	n     int
	ok    bool
	s     string
	b     []byte
	f     sql.NullFloat64
	i     sql.NullInt64
	ns    sql.NullString
	t     time.Time
	blobs []byte
}

func (r *row) dest() []any {
	return []any{&r.id, &r.n, &r.ok, &r.s, &r.b, &r.f, &r.i, &r.ns, timeScanner{&r.t}, &r.blobs}
}

type timeScanner struct{ t *time.Time }

func (d timeScanner) Scan(v any) error {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	*d.t = t
	return err
}

// TestReaderScansAsDatabaseSQL reads the same rows through the reader of
// whole-table scans and through database/sql: every value, NULL and empty
// alike, must come out the same.
func TestReaderScansAsDatabaseSQL(t *testing.T) {
	ctx := context.Background()
	path, db := newFile(t,
		`CREATE TABLE x (id INTEGER PRIMARY KEY, n INTEGER, ok INTEGER, s TEXT, b TEXT, f REAL, i INTEGER, ns TEXT, t TEXT, blobs BLOB)`,
		`INSERT INTO x VALUES (1, 7, 1, 'héllo', '{"a":1}', 2.5, 3, 'x', '2022-03-01T10:00:00.000000Z', x'00ff')`,
		`INSERT INTO x VALUES (2, 0, 0, '', '', NULL, NULL, NULL, '2022-03-02T00:00:00.000001Z', x'')`,
		`INSERT INTO x VALUES (3, -1, 0, 'a' || char(10) || 'b', NULL, -0.5, -9, '', '2022-03-03T00:00:00.000000Z', NULL)`,
	)
	const query = "SELECT id, n, ok, s, b, f, i, ns, t, blobs FROM x WHERE id >= ? AND s <> ? ORDER BY id"
	args := []any{int64(1), "none"}

	var want []row
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(r.dest()...); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	r, err := openReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 2 { // the second run reuses the prepared statement
		var got []row
		err = r.Query(ctx, query, args, func(sc sqlstore.Scanner) error {
			var x row
			if err := sc.Scan(x.dest()...); err != nil {
				return err
			}
			got = append(got, x)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != 3 || !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("row %d: reader read\n%#v\ndatabase/sql\n%#v", i, got[i], want[i])
				}
			}
			t.Fatalf("reader read %d rows, database/sql %d", len(got), len(want))
		}
	}
}

// newFile makes a database file with stmts run on it, and returns its
// path and a database/sql handle on it.
func newFile(t *testing.T, stmts ...string) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path, db
}

func TestReaderErrors(t *testing.T) {
	ctx := context.Background()
	path, _ := newFile(t, "CREATE TABLE x (s TEXT)", "INSERT INTO x VALUES (NULL)")
	r, err := openReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	scanString := func(sc sqlstore.Scanner) error {
		var s string
		return sc.Scan(&s)
	}
	if err := r.Query(ctx, "SELECT s FROM x", nil, scanString); err == nil || !strings.Contains(err.Error(), "NULL") {
		t.Errorf("NULL into a string: %v, want an error naming NULL", err)
	}
	if err := r.Query(ctx, "SELECT s FROM x WHERE s = ?", nil, scanString); err == nil {
		t.Error("a missing argument: no error")
	}
	if err := r.Query(ctx, "SELECT s FROM x WHERE s = ?", []any{struct{}{}}, scanString); err == nil {
		t.Error("an argument of an unknown type: no error")
	}
	if err := r.Query(ctx, "SELECT s FROM nowhere", nil, scanString); err == nil {
		t.Error("an unknown table: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := r.Query(cancelled, "SELECT s FROM x", nil, scanString); err != context.Canceled {
		t.Errorf("cancelled context: %v, want context.Canceled", err)
	}
	if _, err := openReader(filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("a missing file: no error")
	}
}
