package incident_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
)

// sampleFiles are the shared samples the labelled pairs come from, read as
// `truce ingest` reads them: the format's parser, then enrichment (admin-1
// units, target categories).
var sampleFiles = []struct {
	format, mapping string
	path            []string
	// local: path is in this repository (the demo's scenario), not the
	// shared samples.
	local bool
}{
	{"acled", "", []string{"acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"}, false},
	// World-wide rows of the same half-year (Russia's among them), for
	// the cross-country pairs; rows also in the Ukraine sample are read once.
	{"acled", "", []string{"acled-sample-acledR", "acled_sample_9000_2022H1.csv"}, false},
	{"ucdp", "", []string{"ucdp-ged-sample", "ged231_sample_ukraine.csv"}, false},
	{"strikes", "", []string{"missile-attacks-ukraine", "missile_attacks_daily.csv"}, false},
	{"claims", "../../examples/mappings/mod-russia-telegram.yaml", []string{"russian-mod-telegram-2023-2024", "mod_russia_posts_2023_2024.csv"}, false},
	// The demo's scenario, for the cross-party pairs.
	{"csv", "../../examples/mappings/scenario-events.yaml", []string{"../../examples/evidence/moratorium-2025-events.csv"}, true},
	{"claims", "../../examples/mappings/scenario-claims.yaml", []string{"../../examples/evidence/moratorium-2025-claims.csv"}, true},
	{"claims", "../../examples/mappings/mod-russia-telegram.yaml", []string{"../../examples/evidence/mod-telegram-2025-moratorium.csv"}, true},
}

// sampleParties are the demo agreements' alias tables, as `truce ingest`
// reads actors' parties from the stored agreements.
func sampleParties(t testing.TB) *pipeline.Parties {
	t.Helper()
	paths, err := filepath.Glob("../../examples/agreements/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("agreements: %v (%d files)", err, len(paths))
	}
	var ags []*agreement.Agreement
	for _, p := range paths {
		a, err := agreement.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ags = append(ags, a)
	}
	return pipeline.NewParties(ags...)
}

// loadSamples reads every sample file into records, giving them ids as a
// store would.
func loadSamples(t testing.TB) []incident.Record {
	t.Helper()
	base := pipeline.NewEnricher(classify.New(), geo.Builtin(), sampleParties(t))
	var out []incident.Record
	var id int64
	seen := map[string]bool{}
	for _, sf := range sampleFiles {
		f, err := pipeline.Lookup(sf.format)
		if err != nil {
			t.Fatal(err)
		}
		var m *mapped.Mapping
		if sf.mapping != "" {
			if m, err = mapped.Load(sf.mapping); err != nil {
				t.Fatal(err)
			}
			f = f.WithMapping(m)
		}
		// Claims read through a mapping with allegations as ingest reads
		// them: acts, acting sides and places from the text.
		enr := base
		if m != nil {
			if enr, err = base.WithAllegations(m.Allegations); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(sf.path...)
		if !sf.local {
			path = ingesttest.File(t, sf.path...)
		}
		in, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Open(in, path, m)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if k := recordKey(rec.Event, rec.Claim); seen[k] {
				continue
			} else {
				seen[k] = true
			}
			id++
			if e := rec.Event; e != nil {
				enr.Event(f, e)
				e.ID = id
				out = append(out, incident.EventRecords(e, false)...)
			} else {
				c := rec.Claim
				enr.Claim(f, c)
				c.ID = id
				out = append(out, incident.ClaimRecords(c, false)...)
			}
		}
		in.Close()
	}
	return out
}

func recordKey(e *event.Event, c *event.Claim) string {
	if e != nil {
		return e.Source + ":" + e.SourceID
	}
	return c.Source + ":" + c.SourceID
}
