package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The timeline in a real browser: the chart's canvas is drawn with a
// series per accused party the use case counts, a band per reading's
// window; the page logs no error. Its screenshot is saved.
func TestBrowserTimeline(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	dir := artifacts(t)
	tl, err := ap.Timeline(t.Context(), app.TimelineQuery{Agreement: "energy-moratorium-2025", Reading: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/timeline?agreement=energy-moratorium-2025&reading=UA"),
		chromedp.WaitVisible(chromedp.CSS(`#timeline[data-state="ready"]`)),
	)
	if err != nil {
		t.Fatalf("timeline: %v (the page logged: %v)", err, problems())
	}
	type drawing struct {
		Series   int `json:"series"`
		Legend   int `json:"legend"`
		Bands    int `json:"bands"`
		Canvases int `json:"canvases"`
		Width    int `json:"width"`
		Inked    int `json:"inked"` // canvas pixels not blank
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[drawing](`(() => {
		const el = document.getElementById("timeline");
		const c = el.querySelector("canvas");
		let inked = 0;
		if (c) {
			const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			for (let i = 3; i < px.length; i += 4) if (px[i] > 0) inked++;
		}
		return {
			series: Number(el.dataset.series),
			legend: el.querySelectorAll(".u-legend .u-series").length - 1,
			bands: Number(el.dataset.bands),
			canvases: el.querySelectorAll("canvas").length,
			width: c ? c.width : 0,
			inked,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "timeline.png", shot)
	if drawn.Series != len(tl.Parties) || drawn.Legend != len(tl.Parties) || drawn.Bands != len(tl.Readings) ||
		drawn.Canvases != 1 || drawn.Width == 0 || drawn.Inked < 1000 {
		t.Errorf("the timeline drew %+v; the use case has %d parties and %d readings", drawn, len(tl.Parties), len(tl.Readings))
	}
	t.Logf("timeline: %+v", drawn)
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}

// The map in a real browser with a filter and the operator's outlines:
// as many markers (alone or in a group's count) as the use case has
// located findings for the filter, the countries and the oblasts drawn as
// SVG paths. Its screenshot is saved.
func TestBrowserMapFilter(t *testing.T) {
	file := oblasts(t)
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t), func(c *server.Config) { c.Boundaries = file })
	dir := artifacts(t)
	_, want := located(t, ap, app.FindingQuery{Accused: "UA", Statuses: []string{"alleged"}})
	if want == 0 {
		t.Fatal("the filter selects no located finding")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/map?party=UA&status=alleged"),
		chromedp.WaitVisible(chromedp.CSS(`#map[data-state="ready"]`)),
		chromedp.Sleep(500*time.Millisecond), // the clusters' fade-in
	)
	if err != nil {
		t.Fatalf("map: %v (the page logged: %v)", err, problems())
	}
	type drawing struct {
		Clustered int `json:"clustered"`
		Alone     int `json:"alone"`
		Countries int `json:"countries"`
		Admin1    int `json:"admin1"`
		Features  int `json:"features"`
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[drawing](`(() => {
		const m = document.getElementById("map");
		const clusters = [...m.querySelectorAll(".leaflet-marker-icon .cluster")];
		return {
			clustered: clusters.reduce((n, c) => n + Number(c.dataset.count), 0),
			alone: m.querySelectorAll(".leaflet-marker-icon .pin").length,
			countries: m.querySelectorAll("svg path.country").length,
			admin1: m.querySelectorAll("svg path.admin1").length,
			features: Number(m.dataset.admin1),
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "map-filtered.png", shot)
	if drawn.Clustered+drawn.Alone != want || drawn.Countries < 100 || drawn.Admin1 != drawn.Features || drawn.Admin1 < 25 {
		t.Errorf("the map drew %+v; the use case has %d located findings for the filter", drawn, want)
	}
	t.Logf("map with a filter: %+v", drawn)
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}

// The browsing pages in a real browser: each renders its content and
// logs no error; a finding's clause-by-clause explanation opens with one
// click (keyboard: its summary is focusable). Screenshots of each.
func TestBrowserBrowsePages(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	dir := artifacts(t)
	f1, err := ap.ReviewPage(t.Context(), vocab.Ref{Kind: vocab.KindFinding, ID: 1})
	if err != nil || f1.InIncident == nil {
		t.Fatalf("finding 1: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, pg := range []struct {
		path, shot, ready string
		count             string // a selector of which the page has at least one
	}{
		{"/findings", "findings.png", "#findings", "#findings tbody tr"},
		{"/findings/1", "finding.png", "#summary", "#why summary"},
		{"/incidents", "incidents.png", "#incidents", "#incidents tbody tr"},
		{"/incidents/" + strconv.FormatInt(f1.InIncident.ID, 10), "incident.png", "#members", "#members tbody tr"},
		{"/records/event/2", "record.png", "#record-facts", "#categories li"},
		{"/agreements", "agreements.png", "#agreements", "#agreements tbody tr"},
		{"/agreements/energy-moratorium-2025", "agreement.png", "#readings", "#readings tbody tr"},
	} {
		var n int
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+pg.path),
			chromedp.WaitVisible(chromedp.CSS(pg.ready)),
		)
		if err == nil {
			n, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(pg.count)+`).length`))
		}
		if err != nil || n == 0 {
			t.Errorf("%s: %d of %s, %v (the page logged: %v)", pg.path, n, pg.count, err, problems())
			continue
		}
		if pg.path == "/findings/1" {
			// The explanation is one click away: closed, then open.
			closed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("why").open`))
			var open bool
			if err == nil {
				err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#why summary")))
			}
			if err == nil {
				open, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("why").open && document.querySelector("#why table.checks").offsetHeight > 0`))
			}
			if err != nil || !closed || !open {
				t.Errorf("the explanation did not open: %v", err)
			}
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		save(t, dir, pg.shot, shot)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}
