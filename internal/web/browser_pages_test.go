package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
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
