package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Ingest tells its events as it goes (progress ending with Done, each file
// imported, each refused) and records who imported each batch.
func TestIngestEvents(t *testing.T) {
	a := newApp(t)
	m, err := mapped.Load("../../examples/mappings/scenario-events.yaml")
	if err != nil {
		t.Fatal(err)
	}
	format, err := pipeline.Lookup("csv")
	if err != nil {
		t.Fatal(err)
	}
	var progress []pipeline.Progress
	var imported []app.IngestSummary
	var refused []string
	ev := app.IngestEvents{
		Progress:      func(p pipeline.Progress) { progress = append(progress, p) },
		ProgressEvery: time.Millisecond,
		Imported:      func(s app.IngestSummary) { imported = append(imported, s) },
		Refused:       func(file string, err error) { refused = append(refused, file+": "+err.Error()) },
	}
	events := "../../examples/evidence/moratorium-2025-events.csv"
	req := app.IngestRequest{Format: format, Mapping: m, YAML: strictyaml.DefaultLimits(),
		Files: []string{events, "no-such-file.csv"}}
	res, err := a.Ingest(t.Context(), req, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].New == 0 || res.Files[0].New != res.Files[0].Read || res.Refused != 1 {
		t.Fatalf("ingest: %+v", res)
	}
	if len(imported) != 1 || imported[0].File != events {
		t.Errorf("imported events: %+v", imported)
	}
	if len(refused) != 1 || !strings.HasPrefix(refused[0], "no-such-file.csv") {
		t.Errorf("refused events: %q", refused)
	}
	if n := len(progress); n == 0 || !progress[n-1].Done || progress[n-1].File != events || progress[n-1].Rows != int64(res.Files[0].Read) {
		t.Errorf("progress events: %+v", progress)
	}
	batches, err := a.Imports(t.Context())
	if err != nil || len(batches) != 1 || batches[0].By != app.LocalActor || batches[0].New != res.Files[0].New {
		t.Errorf("imports: %+v, %v", batches, err)
	}
	// Once the store has users, ingesting takes a token.
	if _, err := a.Store().AddUser(t.Context(), auth.User{Name: "ann", Role: vocab.RoleAnalyst}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ingest(t.Context(), req, app.IngestEvents{}); app.KindOf(err) != app.KindUnauthenticated {
		t.Errorf("ingest without a token on a store with users: %v", err)
	}
}
