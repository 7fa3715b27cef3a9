// Package testdb gives tests fresh databases on both backends: a SQLite
// file in the test's temporary folder and a PostgreSQL database made on the
// server named by TRUCE_TEST_POSTGRES (dropped when the test ends). Tests
// only import it.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop databases
)

// SQLite returns the path of a new SQLite file (not yet created).
func SQLite(t testing.TB) string {
	return filepath.Join(t.TempDir(), "truce.db")
}

var seq atomic.Int64

// Postgres returns the URL of a new, empty PostgreSQL database, dropped
// when the test ends. Without TRUCE_TEST_POSTGRES the test is skipped,
// unless TRUCE_REQUIRE_POSTGRES=1 (as scripts/test.sh sets), which fails it.
func Postgres(t testing.TB) string {
	t.Helper()
	server := os.Getenv("TRUCE_TEST_POSTGRES")
	switch {
	case server == "" && os.Getenv("TRUCE_REQUIRE_POSTGRES") == "1":
		t.Fatal("TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES is not set")
	case server == "":
		t.Skip("TRUCE_TEST_POSTGRES is not set")
	}
	u, err := url.Parse(server)
	if err != nil || u.Scheme == "" {
		t.Fatalf("TRUCE_TEST_POSTGRES is not a URL: %v", err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("truce_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), seq.Add(1))
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// Both runs test as two subtests, "sqlite" and "postgres", each on a new
// database given by its DSN.
func Both(t *testing.T, test func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { test(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, Postgres(t)) })
}
