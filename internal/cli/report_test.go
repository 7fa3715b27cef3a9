package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/report"
)

// The tour's GeoJSON export places every finding located to a region at
// least: the record's own point, or its region's centroid, saying which.
func TestGeoJSONPlacesRegionalFindings(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	var fc struct {
		Features []struct {
			Geometry *struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Place struct {
					Admin1ID string `json:"admin1_id"`
				} `json:"place"`
				GeometrySource string `json:"geometry_source"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(s.want(0, nil, "findings", "--output", "geojson")), &fc); err != nil {
		t.Fatal(err)
	}
	var regional, centroid, none int
	for _, f := range fc.Features {
		switch {
		case f.Properties.Place.Admin1ID != "" && f.Geometry == nil:
			t.Errorf("a finding in %s has no geometry", f.Properties.Place.Admin1ID)
		case f.Geometry == nil:
			none++
		case f.Properties.GeometrySource == report.GeometryAdmin1:
			centroid++
			regional++
		case f.Properties.GeometrySource == report.GeometryRecorded:
			regional++
		default:
			t.Errorf("a point without its source: %+v", f.Properties)
		}
	}
	if centroid == 0 || len(fc.Features) == 0 {
		t.Errorf("%d features, %d at a centroid", len(fc.Features), centroid)
	}
	t.Logf("%d findings: %d placed (%d at their region's centroid), %d not located below country", len(fc.Features), regional, centroid, none)
}

// truce report writes the report whole to --out, or nothing at all.
func TestReportCommand(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	md := s.want(0, nil, "report", "--agreement", "energy-moratorium-2025")
	for _, want := range []string{"# Compliance report", "## Under the RU reading", "## Under the UA reading", "## Annex", "finding/"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	out := filepath.Join(t.TempDir(), "r.json")
	s.want(0, []string{"wrote " + out}, "report", "--agreement", "energy-moratorium-2025", "--reading", "UA", "--format", "json", "--out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Readings []struct{ Reading string } }
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Readings) != 1 || rep.Readings[0].Reading != "UA" {
		t.Errorf("--format json --reading UA: %v %.200s", err, b)
	}
	s.want(1, []string{"no reading", "RU, UA"}, "report", "--agreement", "energy-moratorium-2025", "--reading", "XX", "--out", filepath.Join(t.TempDir(), "x.md"))
	s.want(2, []string{"--format"}, "report", "--agreement", "energy-moratorium-2025", "--format", "docx")
	s.want(2, []string{"--agreement"}, "report")
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}
