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

// The Positions page in a real browser: the matrix has a row per term and
// a column per party of the use case's matrix, the common ground of 18
// March 2025 one package; picking 1 March with the date picker shows that
// only the empty package is acceptable, and what would open one. The page
// logs no error; its screenshots are saved.
func TestBrowserPositions(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	importPositions(t, ap)
	dir := artifacts(t)
	m, err := ap.PositionsMatrix(t.Context(), app.PositionsQuery{ID: "ceasefire-positions-2025"}, app.MatrixRequest{At: "2025-03-18"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/positions?at=2025-03-18"),
		chromedp.WaitVisible(chromedp.CSS(`#positions-matrix`)),
	)
	if err != nil {
		t.Fatalf("positions: %v (the page logged: %v)", err, problems())
	}
	type page struct {
		Rows     int    `json:"rows"`
		Columns  int    `json:"columns"`
		Packages int    `json:"packages"`
		First    string `json:"first"`
		Steps    int    `json:"steps"`
	}
	const measure = `(() => ({
		rows: document.querySelectorAll("#positions-matrix tbody tr").length,
		columns: document.querySelectorAll("#positions-matrix thead th").length - 1,
		packages: document.querySelectorAll("#packages > li").length,
		first: (document.querySelector("#packages > li > strong") || {}).textContent || "",
		steps: document.querySelectorAll("#positions-timeline tbody tr").length,
	}))()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](measure))
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != len(m.Terms) || got.Columns != len(m.Parties) || got.Packages != 1 ||
		got.First != "4 term(s): energy-moratorium, black-sea, verification, neutral-peacekeepers" || got.Steps != len(m.Dates) {
		t.Errorf("the page shows %+v; the use case has %d terms, %d parties, %d dates", got, len(m.Terms), len(m.Parties), len(m.Dates))
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "positions.png", shot)

	// The date picker: another date, submitted.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("pos-at"), "2025-03-01"),
		chromedp.Click(chromedp.CSS(`#positions-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#only-empty`)),
	)
	if err != nil {
		t.Fatalf("positions on 1 March: %v (the page logged: %v)", err, problems())
	}
	openings, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#openings > li").length`))
	if err != nil {
		t.Fatal(err)
	}
	if openings == 0 {
		t.Error("1 March: no stance changes that would open a package")
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page logged errors:\n%s", strings.Join(p, "\n"))
	}
}
