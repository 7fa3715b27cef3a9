package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// The expected hashes were computed apart from Go, from the encoding
// AuditHash documents. If this test fails, existing audit chains no longer
// verify: change the version tag and keep the old encoding for old entries.
func TestAuditHashStable(t *testing.T) {
	at := time.Date(2025, 3, 18, 16, 5, 6, 123456000, time.FixedZone("EET", 2*3600))
	first := store.AuditEntry{
		Seq: 1, At: at, Actor: "analyst", Action: "agreement.add", Subject: "ua-ru-energy",
		Detail: json.RawMessage(`{"version":1}`),
	}
	second := store.AuditEntry{
		Seq: 2, At: at, Actor: "analyst", Action: "agreement.add", Subject: "ua-ru-energy",
		PrevHash: "a454ade3befc99d0f26f62fbce353ce6dac5f2b965f188aef15d97b93f5d8ae8",
	}
	tests := []struct {
		name string
		e    store.AuditEntry
		want string
	}{
		{"first entry, local time zone", first, "a454ade3befc99d0f26f62fbce353ce6dac5f2b965f188aef15d97b93f5d8ae8"},
		{"linked entry, no detail", second, "a5fd70a79303117d0b7a18d3c5d377d3508c9aa2f3f7f3f1833e21f291ae1987"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.AuditHash(tt.e); got != tt.want {
				t.Errorf("AuditHash = %s, want %s", got, tt.want)
			}
		})
	}
}

// Moving bytes from one field to the next must change the hash.
func TestAuditHashUnambiguous(t *testing.T) {
	base := store.AuditEntry{Seq: 1, At: time.Unix(0, 0), Actor: "ab", Action: "c"}
	shifted := base
	shifted.Actor, shifted.Action = "a", "bc"
	if store.AuditHash(base) == store.AuditHash(shifted) {
		t.Error("actor/action boundary is not part of the hash")
	}
	if store.AuditHash(base) != store.AuditHash(base) {
		t.Error("AuditHash is not deterministic")
	}
	withHash := base
	withHash.Hash = "anything"
	if store.AuditHash(withHash) != store.AuditHash(base) {
		t.Error("AuditHash covers Hash itself")
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ dsn, want string }{
		{"postgres://truce:s3cret@db:5432/truce?sslmode=disable", "postgres://truce:xxxxx@db:5432/truce?sslmode=disable"},
		{"postgresql://truce@db/truce", "postgresql://truce@db/truce"},
		{"postgres://db/truce?password=s3cret&user=truce", "postgres://db/truce?password=xxxxx&user=truce"},
		{"host=db user=truce password=s3cret dbname=truce", "host=db user=truce password=xxxxx dbname=truce"},
		{"host=db password = 'se cret' dbname=truce", "host=db password = xxxxx dbname=truce"},
		{"truce.db", "truce.db"},
		{"file:truce.db?mode=ro", "file:truce.db?mode=ro"},
	}
	for _, tt := range tests {
		if got := store.RedactDSN(tt.dsn); got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
