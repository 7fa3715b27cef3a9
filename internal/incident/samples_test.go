package incident

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
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
}{
	{"acled", "", []string{"acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"}},
	{"ucdp", "", []string{"ucdp-ged-sample", "ged231_sample_ukraine.csv"}},
	{"strikes", "", []string{"missile-attacks-ukraine", "missile_attacks_daily.csv"}},
	{"claims", "../../examples/mappings/mod-russia-telegram.yaml", []string{"russian-mod-telegram-2023-2024", "mod_russia_posts_2023_2024.csv"}},
}

// loadSamples reads every sample file into records, giving them ids as a
// store would.
func loadSamples(t testing.TB) []Record {
	t.Helper()
	enr := pipeline.NewEnricher(classify.New(), geo.Builtin(), nil)
	var out []Record
	var id int64
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
		path := ingesttest.File(t, sf.path...)
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
			id++
			if e := rec.Event; e != nil {
				enr.Event(f, e)
				e.ID = id
				out = append(out, FromEvent(e, false))
			} else {
				c := rec.Claim
				enr.Claim(f, c)
				c.ID = id
				out = append(out, FromClaim(c, false))
			}
		}
		in.Close()
	}
	return out
}
