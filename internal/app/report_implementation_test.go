package app_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
)

const blackSeaID = "black-sea-2025"

// The Black Sea arrangements are obligations only: the report has no
// findings, and an Implementation section scoring each obligation as of
// the period's last day, each step with its source.
func TestComplianceReportImplementation(t *testing.T) {
	a := reportApp(t)
	rep, err := a.ComplianceReport(t.Context(), app.ReportRequest{Agreement: blackSeaID, From: "2025-03-18", To: "2025-05-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Annex) != 0 {
		t.Errorf("obligations gave findings: %+v", rep.Annex)
	}
	want := map[string]agreement.Level{"safe-navigation": agreement.LevelNotStarted, "energy-measures": agreement.LevelMinimal,
		"agricultural-exports": agreement.LevelNotStarted}
	if len(rep.Implementation) != len(want) {
		t.Fatalf("implementation %+v", rep.Implementation)
	}
	for _, o := range rep.Implementation {
		if o.Level != want[o.Commitment] || o.AsOf != "2025-04-30" || len(o.Steps) == 0 {
			t.Errorf("%s: level %s as of %s with %d steps", o.Commitment, o.Level, o.AsOf, len(o.Steps))
		}
		for _, st := range o.Steps {
			if st.Evidence.Title == "" || st.Evidence.Date == "" {
				t.Errorf("%s %s: evidence %+v", o.Commitment, st.Date, st.Evidence)
			}
		}
	}
	// Never in force, the agreement has no window to default the period
	// to: without dates the report runs to now, and scores as of today.
	now, err := a.ComplianceReport(t.Context(), app.ReportRequest{Agreement: blackSeaID})
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Implementation) != 3 || now.Implementation[0].AsOf != "2025-05-01" {
		t.Errorf("without dates: %+v", now.Implementation)
	}
	// Nor a period before it to compare with: no baseline from year -292
	// (which PostgreSQL refuses to be asked about).
	if !now.Baseline.From.IsZero() {
		t.Errorf("a report without a start has a baseline from %v", now.Baseline.From)
	}
	// Before the lapse of the energy moratorium its last step is not counted.
	early, err := a.ComplianceReport(t.Context(), app.ReportRequest{Agreement: blackSeaID, From: "2025-03-18", To: "2025-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range early.Implementation {
		if o.Commitment == "energy-measures" && (len(o.Steps) != 2 || o.AsOf != "2025-03-31") {
			t.Errorf("as of 31 March: %+v", o)
		}
	}

	var md, page bytes.Buffer
	if err := report.ComplianceMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if err := report.ComplianceHTML(&page, rep); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{md.String(), page.String()} {
		for _, w := range []string{"Implementation", "Peace Accords Matrix", "safe-navigation: Ensure safe navigation in the Black Sea",
			"Level as of 2025-04-30: not started.", "Level as of 2025-04-30: minimal.", "kremlin-2025-03-25-report; The Moscow Times",
			"peskov-2025-04-18"} {
			if !strings.Contains(s, w) {
				t.Errorf("report lacks %q", w)
			}
		}
	}
	// Obligations only: no count can be other than zero, so none is shown.
	if !strings.Contains(md.String(), "positive obligations only") || strings.Contains(md.String(), "## Under the") ||
		strings.Contains(md.String(), "## Baseline") || rep.Prohibitions != 0 {
		t.Errorf("an agreement of obligations only: want its implementation without empty counts (prohibitions %d)", rep.Prohibitions)
	}
	golden(t, "testdata/report/black-sea.md", md.Bytes())
	js, err := json.MarshalIndent(rep.Implementation, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report/black-sea-implementation.json", append(js, '\n'))

	// An agreement of prohibitions has no such section.
	mor, err := a.ComplianceReport(t.Context(), app.ReportRequest{Agreement: moratoriumID})
	if err != nil {
		t.Fatal(err)
	}
	md.Reset()
	if err := report.ComplianceMarkdown(&md, mor); err != nil {
		t.Fatal(err)
	}
	if mor.Implementation != nil || strings.Contains(md.String(), "## Implementation") {
		t.Error("the moratorium report has an implementation section")
	}
}
