package cli

import (
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/pdf"
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
	// --boundaries: a choropleth in the HTML, from the operator's outlines.
	outlines, err := filepath.Abs("../../../shared/data/ukraine-oblasts-geojson/ukraine_oblasts_directrelief.geojson")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outlines); err != nil {
		t.Fatalf("the shared oblast outlines (../shared/data beside the clone): %v", err)
	}
	page := s.want(0, nil, "report", "--agreement", "energy-moratorium-2025", "--format", "html", "--boundaries", outlines)
	for _, want := range []string{"Map of findings per region under the RU reading", "Map of findings per region under the UA reading", "Not on this map: "} {
		if !strings.Contains(page, want) {
			t.Errorf("--boundaries: the page lacks %q", want)
		}
	}
	s.want(2, []string{"--boundaries", "html and pdf"}, "report", "--agreement", "energy-moratorium-2025", "--boundaries", outlines)
	notGeo := filepath.Join(t.TempDir(), "x.geojson")
	os.WriteFile(notGeo, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	s.want(1, []string{notGeo}, "report", "--agreement", "energy-moratorium-2025", "--format", "html", "--boundaries", notGeo)
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// The PDF form is the HTML page printed by Chromium: A4 pages whose text
// can be extracted, each turned into a PNG (saved to $TRUCE_ARTIFACTS, if
// set) to look at.
func TestReportPDF(t *testing.T) {
	if _, err := pdf.Browser(); err != nil {
		if os.Getenv("TRUCE_REQUIRE_BROWSER") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("TRUCE_REQUIRE_BROWSER") == "1" {
				t.Fatalf("%s is missing: apt-get install poppler-utils", tool)
			}
			t.Skipf("%s is missing: apt-get install poppler-utils", tool)
		}
	}
	s := newSession(t)
	s.want(0, nil, "demo")
	dir := t.TempDir()
	out := filepath.Join(dir, "moratorium.pdf")
	s.want(0, []string{"wrote " + out}, "report", "--agreement", "energy-moratorium-2025", "--format", "pdf", "--out", out)
	info, err := exec.Command("pdfinfo", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: %s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	if pages < 3 || !strings.Contains(string(info), "(A4)") {
		t.Errorf("%d pages, want 3 or more A4 ones:\n%s", pages, info)
	}
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Compliance report: 30-day moratorium", "Under the RU reading", "Under the UA reading", "Disputed terms", "Annex: every finding counted", "finding/1"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	shots := cmp.Or(os.Getenv("TRUCE_ARTIFACTS"), dir)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(shots, "report-moratorium")
	if b, err := exec.Command("pdftoppm", "-r", "60", "-png", out, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	pngs, _ := filepath.Glob(prefix + "-*.png")
	if len(pngs) != pages {
		t.Errorf("%d PNG pages of %d", len(pngs), pages)
	}
	t.Logf("%d pages, as PNG in %s-*.png", pages, prefix)
}
