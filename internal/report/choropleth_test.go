package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/geo"
)

// Two square regions side by side; the report counts 3 findings in the
// first, none in the second, 2 in a region off the map and one that
// straddles the window's edge (not counted, as in the tables).
func TestChoropleth(t *testing.T) {
	o, err := geo.ParseOutlines([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"iso3166-2":"UA-01"},"geometry":{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,51],[30,50]]]}},
		{"type":"Feature","properties":{"Region_ISO_Code":"ua-02"},"geometry":{"type":"MultiPolygon","coordinates":[[[[31,50],[32,50],[32,51],[31,51],[31,50]]]]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Regions) != 2 || o.MinLon != 30 || o.MaxLon != 32 || o.MinLat != 50 || o.MaxLat != 51 {
		t.Fatalf("outlines %+v", o)
	}
	r := &compliance.Report{Regions: map[string]string{"UA-01": "One Oblast", "UA-02": "Two Oblast", "RU-KDA": "Krasnodar Krai"}}
	add := func(reading, code string, n int, ambiguous bool) {
		for range n {
			r.Annex = append(r.Annex, compliance.Item{Reading: reading, Admin1: code, TimeAmbiguous: ambiguous})
		}
	}
	add("UA", "UA-01", 3, false)
	add("UA", "UA-02", 1, true)
	add("UA", "RU-KDA", 2, false)
	add("RU", "UA-02", 4, false) // another reading's
	var b strings.Builder
	if err := Choropleth(&b, r, "UA", o); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	fills := map[string]string{}
	for _, m := range regexp.MustCompile(`fill="(#[0-9a-f]+)"[^>]*><title>([^<]+)</title>`).FindAllStringSubmatch(svg, -1) {
		fills[m[2]] = m[1]
	}
	if fills["One Oblast (UA-01): 3"] != choroplethColours[len(choroplethColours)-1] {
		t.Errorf("the region with the most findings: %v, want the darkest class", fills)
	}
	if fills["Two Oblast (UA-02): 0"] != noFindings {
		t.Errorf("a region without findings under this reading: %v", fills)
	}
	for _, want := range []string{`paint-order="stroke">3</text>`, "Not on this map: Krasnodar Krai (RU-KDA) 2", `aria-label="Map of findings per region under the UA reading"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the map lacks %q", want)
		}
	}
	if strings.Contains(svg, `paint-order="stroke">4</text>`) || strings.Contains(svg, `paint-order="stroke">1</text>`) {
		t.Error("counted another reading's or a time-ambiguous finding")
	}
}

func TestClassBreaks(t *testing.T) {
	for top, want := range map[int]string{0: "[]", 1: "[1]", 3: "[1 2 3]", 5: "[1 2 3 4 5]", 6: "[2 3 4 5 6]", 100: "[20 40 60 80 100]"} {
		if got := fmt.Sprint(classBreaks(top, 5)); got != want {
			t.Errorf("classBreaks(%d) = %s, want %s", top, got, want)
		}
	}
	// The top class is always the darkest colour, the others lighter.
	for _, top := range []int{1, 2, 5, 6, 37} {
		b := classBreaks(top, 5)
		if classOf(top, b) != len(choroplethColours)-1 || classOf(1, b) < 0 || (top > 1 && classOf(1, b) >= classOf(top, b)) {
			t.Errorf("top %d: classes %d..%d", top, classOf(1, b), classOf(top, b))
		}
	}
}

// An outline without a region code is an error naming the feature: a
// region silently missing would read as one without findings.
func TestParseOutlinesRefusesUncoded(t *testing.T) {
	_, err := geo.ParseOutlines([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`))
	if err == nil || !strings.Contains(err.Error(), "feature 0") {
		t.Errorf("err = %v", err)
	}
	// Projected metres, not degrees: refused, not drawn as a speck.
	_, err = geo.ParseOutlines([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"iso3166-2":"UA-14"},"geometry":{"type":"Polygon","coordinates":[[[3500000,6000000],[3600000,6000000],[3600000,6100000],[3500000,6000000]]]}}]}`))
	if err == nil || !strings.Contains(err.Error(), "WGS 84") {
		t.Errorf("projected coordinates: err = %v", err)
	}
}
