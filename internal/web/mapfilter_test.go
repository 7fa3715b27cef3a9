package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/web"
)

// oblasts is the shared data set's admin-1 outlines of Ukraine, read where
// it lies (never copied into the repository); the test skips without it.
func oblasts(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../../../shared/data/ukraine-oblasts-geojson/UA_FULL_Ukraine_osm.geojson")
	if err == nil {
		_, err = os.Stat(p)
	}
	if err != nil {
		t.Skipf("no admin-1 outlines at %s (the shared data set ukraine-oblasts-geojson): %v", p, err)
	}
	return p
}

// located counts the findings q selects that have a place, as the use case
// gives them.
func located(t *testing.T, ap *app.App, q app.FindingQuery) (total, withPlace int) {
	t.Helper()
	page, err := ap.FindingsPage(t.Context(), q, "", app.MaxPage)
	if err != nil || page.Next != "" {
		t.Fatalf("%+v: %v (next %q)", q, err, page.Next)
	}
	for _, f := range page.Findings {
		total++
		if f.Place.Lat != nil && f.Place.Lon != nil {
			withPlace++
		}
	}
	return total, withPlace
}

// The map's filters: the page and its data count what the use case
// selects; a bad value is the page with the form and the error (400),
// never an empty map; the operator's outlines are served.
func TestMapFilters(t *testing.T) {
	file := oblasts(t)
	base, ap := scenario(t, testdb.SQLite(t), func(c *server.Config) { c.Boundaries = file })
	ruTotal, ruLocated := located(t, ap, app.FindingQuery{Accused: "RU", Category: "energy.electricity"})
	dayTotal, dayLocated := located(t, ap, app.FindingQuery{From: mustDate(t, "2025-03-18"), To: mustDate(t, "2025-03-21"), Statuses: []string{"alleged"}})
	if ruTotal == 0 || dayTotal == 0 {
		t.Fatalf("the scenario selects %d and %d findings", ruTotal, dayTotal)
	}
	for _, tc := range []pageCase{
		{name: "party and category", method: "GET", path: "/map?party=RU&category=energy.electricity", status: 200, contentType: html, want: []string{
			fmt.Sprintf(`%d of %d findings that the filter selects`, ruLocated, ruTotal), `<option value="RU" selected>RU</option>`,
			`<option value="energy.electricity" selected>`, `data-src="/map/findings.json?category=energy.electricity&amp;party=RU"`,
			`data-boundaries="/map/boundaries.geojson"`, `<a href="/map">Clear</a>`, `<label for="f-status">Review status</label>`,
		}, absent: []string{`data-party="UA"`}},
		// A party keeps its colour whatever the filter leaves (RU is the
		// first of the stored parties, UA the second), and every party
		// can be chosen.
		{name: "one party keeps its colour", method: "GET", path: "/map/findings.json?party=UA", status: 200, contentType: js,
			want: []string{`"id":"UA","name":"UA","label":"U","index":0,"colour":1`}},
		{name: "every party offered", method: "GET", path: "/map?party=UA", status: 200, contentType: html,
			want: []string{`<option value="RU">RU</option>`, `<option value="UA" selected>UA</option>`}},
		{name: "days and status, data", method: "GET", path: "/map/findings.json?from=2025-03-18&to=2025-03-20&status=alleged", status: 200, contentType: js,
			want: []string{fmt.Sprintf(`"total":%d,"located":%d`, dayTotal, dayLocated)}},
		{name: "unknown status", method: "GET", path: "/map?status=approved", status: 400, contentType: html, want: []string{
			`id="map-error"`, "unknown status &#34;approved&#34;: use one of alleged, corroborated", `id="map-filters"`,
		}, absent: []string{`id="map"`}},
		{name: "unknown category", method: "GET", path: "/map?category=energy.nope", status: 400, contentType: html,
			want: []string{"unknown target category &#34;energy.nope&#34;"}},
		{name: "unknown party, data", method: "GET", path: "/map/findings.json?party=XX", status: 400, contentType: js,
			want: []string{`{"error":{"message":"`, "XX"}},
		{name: "a bad date", method: "GET", path: "/map?from=18.03.2025", status: 400, contentType: html,
			want: []string{"from=&#34;18.03.2025&#34;: want a date"}},
		{name: "empty range", method: "GET", path: "/map?from=2025-03-20&to=2025-03-18", status: 400, contentType: html,
			want: []string{"is not before to"}},
		{name: "outlines", method: "GET", path: "/map/boundaries.geojson", status: 200, contentType: "application/geo+json",
			want: []string{`"FeatureCollection"`, `"UA-14"`}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
	}

	// Without --boundaries there are none to serve, and the page asks none.
	plain, _ := scenario(t, testdb.SQLite(t))
	pageCase{method: "GET", path: "/map/boundaries.geojson", status: 404}.run(t, plain)
	pageCase{method: "GET", path: "/map", status: 200, absent: []string{"data-boundaries"}}.run(t, plain)
}

// A boundaries file that is not GeoJSON outlines stops the server at
// start, naming the file.
func TestLoadBoundaries(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, body, want string }{
		{"notjson.geojson", "<kml/>", "not GeoJSON"},
		{"feature.geojson", `{"type":"Feature","geometry":null}`, `not a GeoJSON FeatureCollection (its type is "Feature")`},
		{"empty.geojson", `{"type":"FeatureCollection","features":[]}`, "no feature"},
		{"points.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[30,50]}}]}`, "feature 0: a Point"},
		{"big.geojson", `{"type":"FeatureCollection","features":[` + strings.Repeat(" ", web.MaxBoundaries) + `]}`, "over 32 MiB"},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := web.LoadBoundaries(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming the file and %q", tc.name, err, tc.want)
		}
	}
	if _, err := web.LoadBoundaries(filepath.Join(dir, "none.geojson")); err == nil || !strings.Contains(err.Error(), "none.geojson") {
		t.Errorf("a missing file: %v", err)
	}
	if b, err := web.LoadBoundaries(oblasts(t)); err != nil || len(b) < 100000 {
		t.Errorf("the oblasts: %d bytes, %v", len(b), err)
	}
}

func mustDate(t *testing.T, s string) (d time.Time) {
	t.Helper()
	d, err := app.ParseTime("test", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
