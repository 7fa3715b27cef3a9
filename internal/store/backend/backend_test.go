package backend_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/store/backend"
)

func TestKind(t *testing.T) {
	tests := []struct {
		dsn     string
		want    string
		wantErr bool
	}{
		{"truce.db", "sqlite", false},
		{"/var/lib/truce/truce.db", "sqlite", false},
		{"sqlite:truce.db", "sqlite", false},
		{"sqlite:///var/lib/truce.db", "sqlite", false},
		{"file:truce.db?mode=ro", "sqlite", false},
		{":memory:", "sqlite", false},
		{"./odd://name.db", "sqlite", false},
		{"postgres://truce@db/truce", "postgres", false},
		{"postgresql://truce@db/truce", "postgres", false},
		{"POSTGRES://truce@db/truce", "postgres", false},
		{"mysql://root:pw@db/truce", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := backend.Kind(tt.dsn)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Kind(%q) = %q, %v; want %q, error %v", tt.dsn, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	s, err := backend.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Backend() != "sqlite" {
		t.Errorf("Backend() = %q", s.Backend())
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, dsn, want, hidden string
	}{
		{"unknown scheme, password hidden", "mysql://root:s3cret@db/truce", "mysql://root:xxxxx@db/truce", "s3cret"},
		// The messages also show which backend got the DSN.
		{"postgres unreachable, password hidden", "postgres://truce:s3cret@127.0.0.1:1/truce?connect_timeout=2",
			"open postgres database postgres://truce:xxxxx@127.0.0.1:1/truce", "s3cret"},
		{"sqlite in a missing directory", filepath.Join(t.TempDir(), "no", "truce.db"), "open sqlite database /", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := backend.Open(t.Context(), tt.dsn)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if s != nil {
				t.Errorf("store %#v is not nil on error", s)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %q", err, tt.want)
			}
			if tt.hidden != "" && strings.Contains(err.Error(), tt.hidden) {
				t.Errorf("error %q shows %q", err, tt.hidden)
			}
		})
	}
}
