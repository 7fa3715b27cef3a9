// Package scenariotest loads the bundled scenario (examples/, as `truce
// demo` runs it) into a store for tests: its agreements, its evidence
// through their mappings, evaluated, with incidents built.
package scenariotest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Evidence is one evidence file of the scenario with its format and
// mapping.
type Evidence struct{ Format, Mapping, File string }

// The scenario's evidence files, as the demo ingests them.
var (
	Events   = Evidence{"csv", "examples/mappings/scenario-events.yaml", "examples/evidence/moratorium-2025-events.csv"}
	Claims   = Evidence{"claims", "examples/mappings/scenario-claims.yaml", "examples/evidence/moratorium-2025-claims.csv"}
	Telegram = Evidence{"claims", "examples/mappings/mod-russia-telegram.yaml", "examples/evidence/mod-telegram-2025-moratorium.csv"}
)

// Load runs the scenario through ap, which must be allowed to import,
// evaluate and build incidents: every agreement, and the evidence given
// (all of it if none is).
func Load(t testing.TB, ap *app.App, evidence ...Evidence) {
	t.Helper()
	ctx := t.Context()
	names, err := fs.Glob(truce.Examples, "examples/agreements/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("agreements: %v %v", names, err)
	}
	for _, n := range names {
		src, _ := fs.ReadFile(truce.Examples, n)
		f, err := app.ParseAgreement(n, src, strictyaml.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ap.ImportAgreements(ctx, []app.AgreementFile{f}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	copyOut := func(name string) string {
		b, err := fs.ReadFile(truce.Examples, name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if len(evidence) == 0 {
		evidence = []Evidence{Events, Claims, Telegram}
	}
	for _, in := range evidence {
		format, err := pipeline.Lookup(in.Format)
		if err != nil {
			t.Fatal(err)
		}
		mp := copyOut(in.Mapping)
		m, err := mapped.Load(mp)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ap.Ingest(ctx, app.IngestRequest{Format: format, Mapping: m, MappingFile: mp, Limits: pipeline.DefaultLimits(),
			YAML: strictyaml.DefaultLimits(), Files: []string{copyOut(in.File)}}, app.IngestEvents{})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ap.Evaluate(ctx, app.EvaluateRequest{YAML: strictyaml.DefaultLimits()}); err != nil {
		t.Fatal(err)
	}
	if _, err := ap.BuildIncidents(ctx, ""); err != nil {
		t.Fatal(err)
	}
}
