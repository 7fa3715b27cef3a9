package web_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
)

// axeViolation is what the test reports of one axe-core rule a page
// breaks.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeScan runs axe-core (testdata/axe.js, built from web/'s lockfile) on
// the page the browser shows and returns its serious and critical
// violations.
func axeScan(ctx context.Context, axeJS string) ([]axeViolation, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`,
		chromedp.EvalAwaitPromise))
}

// Every page of the dashboard passes an axe-core scan with no serious or
// critical violation (contrast, names of controls and images, structure),
// on the bundled scenario.
func TestBrowserAccessibility(t *testing.T) {
	ctx, problems := browser(t)
	axeJS, err := os.ReadFile("testdata/axe.js")
	if err != nil {
		t.Fatalf("the accessibility engine (cd web && npm ci && npm run build): %v", err)
	}
	base, ap := scenario(t, testdb.SQLite(t))
	page, err := ap.FindingsPage(t.Context(), app.FindingQuery{}, "", 1)
	if err != nil || len(page.Findings) == 0 {
		t.Fatalf("a finding of the scenario: %v", err)
	}
	f := page.Findings[0].Stored
	incidents, err := ap.IncidentsPage(t.Context(), app.IncidentQuery{}, "", 1)
	if err != nil || len(incidents.Incidents) == 0 {
		t.Fatalf("an incident of the scenario: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	// A control: a page with an unnamed image and field must fail, or the
	// scan below proves nothing.
	bad := `data:text/html,<!doctype html><html lang="en"><title>bad</title><main><img src="x.png"><input type="text"></main></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate(bad), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	vs, err := axeScan(ctx, string(axeJS))
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	if err != nil || !ids["image-alt"] || !ids["label"] {
		t.Fatalf("the control page: %+v, %v; want image-alt and label", vs, err)
	}
	paths := []string{"/", "/map", "/timeline?agreement=energy-moratorium-2025&reading=UA", "/review",
		fmt.Sprintf("/review/finding/%d", f.ID), "/findings", fmt.Sprintf("/findings/%d", f.ID), "/records/" + f.Record,
		"/incidents", fmt.Sprintf("/incidents/%d", incidents.Incidents[0].ID), "/agreements", "/agreements/energy-moratorium-2025",
		"/imports", "/imports/1", "/audit", "/users", "/reports?agreement=energy-moratorium-2025", "/positions", "/login"}
	for _, path := range paths {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		vs, err := axeScan(ctx, string(axeJS))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, v := range vs {
			t.Errorf("%s: %s (%s): %s; at %s", path, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		}
		t.Logf("%s: %d serious or critical violations", path, len(vs))
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}
