package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlite"
	"github.com/truce-monitor/truce/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, backend)
}

func BenchmarkImport(b *testing.B) {
	storetest.BenchmarkImport(b, backend, storetest.BenchEvents(b))
}

var backend = storetest.Backend{
	Name: "sqlite",
	NewDSN: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "truce.db")
	},
	Open: func(ctx context.Context, dsn string) (store.Store, error) {
		s, err := sqlite.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return s, nil
	},
	Exec:     storetest.SQLExec("sqlite"),
	QueryRow: storetest.SQLQueryRow("sqlite"),
}

func TestOpenForms(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
	}{
		{"plain path", filepath.Join(dir, "a.db")},
		{"sqlite: prefix", "sqlite:" + filepath.Join(dir, "b.db")},
		{"sqlite:// prefix", "sqlite://" + filepath.Join(dir, "c.db")},
		{"file URI", "file:" + filepath.Join(dir, "d.db")},
		{"file URI with query", "file:" + filepath.Join(dir, "e.db") + "?mode=rwc"},
		{"in memory", ":memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			s, err := sqlite.Open(ctx, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "t", Action: "open"}); err != nil {
				t.Fatal(err)
			}
			// The pragmas are set per connection, by the DSN.
			for pragma, want := range map[string]string{"foreign_keys": "1", "synchronous": "1", "busy_timeout": "5000"} {
				var got string
				if err := s.DB().QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
				}
			}
		})
	}
}

func TestOpenErrorNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "truce.db")
	_, err := sqlite.Open(t.Context(), path)
	if err == nil {
		t.Fatal("opened a database in a directory that does not exist")
	}
	if got := err.Error(); !strings.Contains(got, path) {
		t.Errorf("error %q does not name %s", got, path)
	}
}

func TestFilePath(t *testing.T) {
	for in, want := range map[string]string{
		"truce.db":                          "truce.db",
		"sqlite:truce.db":                   "truce.db",
		"sqlite:///abs/truce.db":            "/abs/truce.db",
		"file:truce.db?mode=rw":             "truce.db",
		"sqlite:file:x.db?cache=shared":     "x.db",
		":memory:":                          "",
		"file:mem?mode=memory&cache=shared": "",
	} {
		if got := sqlite.FilePath(in); got != want {
			t.Errorf("FilePath(%q) = %q, want %q", in, got, want)
		}
	}
}
