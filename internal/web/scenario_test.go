package web_test

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// scenario serves the bundled scenario (the demo's agreements and
// evidence, evaluated, incidents built) on a new database of dsn, as
// internal/server's tests load it, and returns the server's URL and the
// application on its store (to compare pages with use cases); configs
// change the server's configuration.
func scenario(t *testing.T, dsn string, configs ...func(*server.Config)) (string, *app.App) {
	t.Helper()
	ctx := t.Context()
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ap := app.New(st, app.Options{})
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
	for _, in := range []struct{ format, mapping, file string }{
		{"csv", "examples/mappings/scenario-events.yaml", "examples/evidence/moratorium-2025-events.csv"},
		{"claims", "examples/mappings/scenario-claims.yaml", "examples/evidence/moratorium-2025-claims.csv"},
	} {
		format, err := pipeline.Lookup(in.format)
		if err != nil {
			t.Fatal(err)
		}
		mp := copyOut(in.mapping)
		m, err := mapped.Load(mp)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ap.Ingest(ctx, app.IngestRequest{Format: format, Mapping: m, MappingFile: mp, Limits: pipeline.DefaultLimits(),
			YAML: strictyaml.DefaultLimits(), Files: []string{copyOut(in.file)}}, app.IngestEvents{})
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
	cfg := server.Config{Store: st, Workers: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, c := range configs {
		c(&cfg)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, ap
}
