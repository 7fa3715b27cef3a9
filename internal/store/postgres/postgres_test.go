package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/postgres"
	"github.com/truce-monitor/truce/internal/store/storetest"
)

// serverDSN is the server the tests create their databases on, from
// TRUCE_TEST_POSTGRES. Without it the tests skip, unless
// TRUCE_REQUIRE_POSTGRES=1 (CI) makes that a failure, so the PostgreSQL half
// cannot quietly not run.
func serverDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TRUCE_TEST_POSTGRES")
	switch {
	case dsn != "":
		return dsn
	case os.Getenv("TRUCE_REQUIRE_POSTGRES") == "1":
		t.Fatal("TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES is not set: give a DSN of a server where the test may CREATE DATABASE, or run scripts/test.sh")
	default:
		t.Skip("TRUCE_TEST_POSTGRES is not set: skipping the PostgreSQL tests (scripts/test.sh starts a server and sets it)")
	}
	return ""
}

// newDatabase creates an empty database on the server, dropped when t ends,
// and returns a DSN for it.
func newDatabase(t testing.TB, server string) string {
	t.Helper()
	ctx := context.Background() // t.Context is gone by cleanup time
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "truce_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database on %s: %v", store.RedactDSN(server), err)
	}
	t.Cleanup(func() {
		// FORCE ends connections a failed test may have left open.
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(t, server, name)
}

// withDatabase is server with its database replaced by name.
func withDatabase(t testing.TB, server, name string) string {
	t.Helper()
	if !strings.Contains(server, "://") {
		return server + " dbname=" + name // key=value: the last setting wins
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("TRUCE_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func openStore(ctx context.Context, dsn string) (store.Store, error) {
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func TestConformance(t *testing.T) {
	storetest.Run(t, backend(serverDSN(t)))
}

func BenchmarkImport(b *testing.B) {
	storetest.BenchmarkImport(b, backend(serverDSN(b)), storetest.BenchEvents(b))
}

func backend(server string) storetest.Backend {
	return storetest.Backend{
		Name:     "postgres",
		NewDSN:   func(t testing.TB) string { return newDatabase(t, server) },
		Open:     openStore,
		Exec:     storetest.SQLExec("pgx"),
		QueryRow: storetest.SQLQueryRow("pgx"),
	}
}

// TestPoolCopyFrom checks the pool is usable for bulk paths that bypass
// database/sql, against the same schema.
func TestPoolCopyFrom(t *testing.T) {
	ctx := t.Context()
	s, err := postgres.Open(ctx, newDatabase(t, serverDSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.Pool().CopyFrom(ctx, pgx.Identifier{"import_batches"},
		[]string{"source", "file", "started_at"},
		pgx.CopyFromRows([][]any{{"acled", "a.csv", time.Now()}, {"acled", "b.csv", time.Now()}}))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("copied %d rows, want 2", n)
	}
}

func TestOpenErrorRedactsPassword(t *testing.T) {
	// Nothing listens on port 1; the error must still not show the password.
	_, err := postgres.Open(t.Context(), "postgres://truce:s3cret@127.0.0.1:1/truce?connect_timeout=2")
	if err == nil {
		t.Fatal("opened a database on port 1")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "postgres://truce:xxxxx@127.0.0.1:1/truce") {
		t.Errorf("error does not name the redacted DSN: %v", err)
	}
}
