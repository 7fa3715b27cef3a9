package app_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/scenariotest"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const moratoriumID = "energy-moratorium-2025"

// reportApp is an App on the bundled scenario with a fixed clock.
func reportApp(t *testing.T) *app.App {
	t.Helper()
	st, err := backend.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := app.New(st, app.Options{Now: func() time.Time { return time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC) }})
	scenariotest.Load(t, a)
	return a
}

// Every number of the summary is the count of its annex rows, and the
// annex is what the findings list gives for the same agreement, verdicts
// and period: the report adds nothing and loses nothing.
func TestComplianceReportCountsFromItsAnnex(t *testing.T) {
	a := reportApp(t)
	ctx := t.Context()
	rep, err := a.ComplianceReport(ctx, app.ReportRequest{Agreement: moratoriumID})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Readings) != 2 || len(rep.Annex) == 0 {
		t.Fatalf("readings %d, annex %d", len(rep.Readings), len(rep.Annex))
	}
	// The annex against the findings list.
	var listed []string
	err = a.Findings(ctx, app.FindingQuery{Agreement: moratoriumID, Verdicts: []string{"candidate", "ambiguous"}}, func(f *app.Finding) error {
		t := f.Stored
		if !f.Span.Start.Before(rep.From) && f.Span.Start.Before(rep.To) {
			listed = append(listed, fmt.Sprintf("finding/%d", t.ID))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var annexed []string
	for _, it := range rep.Annex {
		annexed = append(annexed, it.Finding.String())
	}
	if strings.Join(listed, " ") != strings.Join(annexed, " ") {
		t.Errorf("the annex is not the findings list:\nannex %v\nlist  %v", annexed, listed)
	}
	// Every count, recounted from the annex.
	type key struct{ reading, party, bucket, value string }
	want := map[key]int{}
	for _, it := range rep.Annex {
		if it.TimeAmbiguous {
			want[key{it.Reading, it.Accused, "ambiguous", string(it.Status)}]++
			continue
		}
		grade := string(it.Grade)
		if grade == "" {
			grade = compliance.NoIncident
		}
		want[key{it.Reading, it.Accused, "status", string(it.Status)}]++
		want[key{it.Reading, it.Accused, "grade", grade}]++
		want[key{it.Reading, it.Accused, "category", it.Category + "/" + string(it.Status)}]++
		want[key{it.Reading, it.Accused, "region", it.Admin1 + "/" + string(it.Status)}]++
	}
	got := map[key]int{}
	for _, rd := range rep.Readings {
		for _, p := range rd.Parties {
			for s, n := range p.Timely.ByStatus {
				got[key{rd.Reading, p.Party, "status", string(s)}] += n
			}
			for g, n := range p.Timely.ByGrade {
				got[key{rd.Reading, p.Party, "grade", g}] += n
			}
			for s, n := range p.Ambiguous.ByStatus {
				got[key{rd.Reading, p.Party, "ambiguous", string(s)}] += n
			}
			for c, counts := range p.ByCategory {
				for s, n := range counts.ByStatus {
					got[key{rd.Reading, p.Party, "category", c + "/" + string(s)}] += n
				}
			}
			for r, counts := range p.ByRegion {
				for s, n := range counts.ByStatus {
					got[key{rd.Reading, p.Party, "region", r + "/" + string(s)}] += n
				}
			}
		}
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%+v: summary says %d, the annex %d", k, got[k], n)
		}
	}
	for k, n := range got {
		if n != 0 && want[k] != n {
			t.Errorf("%+v: summary says %d, the annex %d", k, n, want[k])
		}
	}
}

// A confirmation moves a finding from one column to another; a viewer's
// report counts published findings only.
func TestComplianceReportFollowsReview(t *testing.T) {
	local := reportApp(t)
	ctx := t.Context()
	admin, err := local.AddUser(ctx, app.NewUser{Name: "ada", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	a := local.As(admin.Token)
	user := func(name string, role vocab.Role) *app.App {
		u, err := a.AddUser(ctx, app.NewUser{Name: name, Role: string(role)})
		if err != nil {
			t.Fatal(err)
		}
		return local.As(u.Token)
	}
	mona, moses, vic := user("mona", vocab.RoleMonitor), user("moses", vocab.RoleMonitor), user("vic", vocab.RoleViewer)
	before, err := a.ComplianceReport(ctx, app.ReportRequest{Agreement: moratoriumID, Reading: "ua"})
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Readings) != 1 || before.Readings[0].Reading != "UA" {
		t.Fatalf("reading ua: %+v", before.Readings)
	}
	var target compliance.Item
	for _, it := range before.Annex {
		if !it.TimeAmbiguous && it.Status == vocab.StatusAlleged && it.Verdict == vocab.VerdictCandidate {
			target = it
			break
		}
	}
	from := vocab.StatusAlleged
	for i, to := range []vocab.Status{vocab.StatusCorroborated, vocab.StatusConfirmed} {
		by := []*app.App{mona, moses}[i]
		res, err := by.Transition(ctx, target.Finding, app.Step{To: to, Reason: "test", AcceptRelease: true, Seen: review.Seen{Status: from}})
		from = to
		if err != nil || res.Err != nil {
			t.Fatalf("to %s: %v %v", to, err, res.Err)
		}
	}
	after, err := a.ComplianceReport(ctx, app.ReportRequest{Agreement: moratoriumID, Reading: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	count := func(r *compliance.Report, s vocab.Status) int {
		for _, p := range r.Readings[0].Parties {
			if p.Party == target.Accused {
				return p.Timely.ByStatus[s]
			}
		}
		return -1
	}
	if count(after, vocab.StatusAlleged) != count(before, vocab.StatusAlleged)-1 || count(after, vocab.StatusConfirmed) != count(before, vocab.StatusConfirmed)+1 {
		t.Errorf("%s confirmed: alleged %d -> %d, confirmed %d -> %d", target.Finding,
			count(before, vocab.StatusAlleged), count(after, vocab.StatusAlleged), count(before, vocab.StatusConfirmed), count(after, vocab.StatusConfirmed))
	}
	if len(after.Releases) == 0 {
		t.Error("a confirmed violation released no one in the report")
	}
	seen, err := vic.ComplianceReport(ctx, app.ReportRequest{Agreement: moratoriumID, Reading: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.Annex) == 0 || len(seen.Annex) >= len(after.Annex) {
		t.Errorf("a viewer's annex has %d of %d findings", len(seen.Annex), len(after.Annex))
	}
	for _, it := range seen.Annex {
		if !review.Published(it.Status, false) {
			t.Errorf("a viewer's report counts %s, %s", it.Finding, it.Status)
		}
	}
}

func TestComplianceReportRefuses(t *testing.T) {
	a := reportApp(t)
	ctx := t.Context()
	for _, tc := range []struct {
		req  app.ReportRequest
		kind app.Kind
		want string
	}{
		{app.ReportRequest{Agreement: "no-such"}, app.KindNotFound, "no-such"},
		{app.ReportRequest{Agreement: moratoriumID, Reading: "XX"}, app.KindInvalid, "RU, UA"},
		{app.ReportRequest{Agreement: moratoriumID, From: "18 March"}, app.KindInvalid, "18 March"},
		{app.ReportRequest{Agreement: moratoriumID, From: "2025-04-10", To: "2025-04-01"}, app.KindInvalid, "empty"},
	} {
		_, err := a.ComplianceReport(ctx, tc.req)
		if app.KindOf(err) != tc.kind || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v (%v), want %v naming %q", tc.req, err, app.KindOf(err), tc.kind, tc.want)
		}
	}
}

// The report of the bundled moratorium, as Markdown and JSON, under both
// readings and under one: golden files, reviewed when they change.
func TestComplianceReportGolden(t *testing.T) {
	a := reportApp(t)
	for _, tc := range []struct{ name, reading, from, to string }{
		{"moratorium-all", "all", "", ""},
		{"moratorium-ua-week", "UA", "2025-03-25", "2025-04-01"},
	} {
		rep, err := a.ComplianceReport(t.Context(), app.ReportRequest{Agreement: moratoriumID, Reading: tc.reading, From: tc.from, To: tc.to})
		if err != nil {
			t.Fatal(err)
		}
		var md bytes.Buffer
		if err := report.ComplianceMarkdown(&md, rep); err != nil {
			t.Fatal(err)
		}
		var page bytes.Buffer
		if err := report.ComplianceHTML(&page, rep); err != nil {
			t.Fatal(err)
		}
		golden(t, "testdata/report/"+tc.name+".html", page.Bytes())
		js, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "testdata/report/"+tc.name+".md", md.Bytes())
		golden(t, "testdata/report/"+tc.name+".json", append(js, '\n'))
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/app -run Golden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the report gives: run go test ./internal/app -run Golden -update and review the change", path)
	}
}

// The baseline of a period is what the same rules find before it: for a
// fortnight inside the RU reading's window, the fortnight before is inside
// it too, so moved forward its records give the findings they have.
func TestComplianceReportBaseline(t *testing.T) {
	a := reportApp(t)
	ctx := t.Context()
	rep, err := a.ComplianceReport(ctx, app.ReportRequest{Agreement: moratoriumID, Reading: "RU", From: "2025-04-01", To: "2025-04-15"})
	if err != nil {
		t.Fatal(err)
	}
	b := rep.Baseline
	if !b.To.Equal(rep.From) || b.To.Sub(b.From) != rep.To.Sub(rep.From) {
		t.Fatalf("baseline %s..%s for the period %s..%s", b.From, b.To, rep.From, rep.To)
	}
	want := map[string]int{}
	err = a.Findings(ctx, app.FindingQuery{Agreement: moratoriumID, Reading: "RU", Verdicts: []string{"candidate", "ambiguous"}}, func(f *app.Finding) error {
		if !f.Span.Start.Before(b.From) && f.Span.Start.Before(b.To) {
			want[f.Accused]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no findings in the fortnight before")
	}
	for _, p := range b.Readings[0].Parties {
		if got := p.Before.Candidate + p.Before.Ambiguous; got != want[p.Party] {
			t.Errorf("%s: baseline %d, the findings of the fortnight before %d", p.Party, got, want[p.Party])
		}
		now := 0
		for _, it := range rep.Annex {
			if it.Accused == p.Party {
				now++
			}
		}
		if p.Now.Candidate+p.Now.Ambiguous != now {
			t.Errorf("%s: now %+v, the annex %d", p.Party, p.Now, now)
		}
	}
	if len(rep.Disputes) != 0 {
		t.Errorf("one reading disputes nothing: %+v", rep.Disputes)
	}
}

// The daily report mentions every record with a finding that started in
// the 24 hours up to its hour, once, in the fixed vocabulary; review moves
// an entry's word.
func TestDailyReport(t *testing.T) {
	a := reportApp(t)
	ctx := t.Context()
	req := app.DailyRequest{Agreement: moratoriumID, Date: "2025-03-27"}
	d, err := a.DailyReport(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	moscow, _ := time.LoadLocation("Europe/Moscow")
	if want := time.Date(2025, 3, 27, 19, 30, 0, 0, moscow); !d.AsOf.Equal(want) || !d.Since.Equal(want.AddDate(0, 0, -1)) {
		t.Fatalf("as of %s since %s", d.AsOf, d.Since)
	}
	want := map[string]bool{}
	err = a.Findings(ctx, app.FindingQuery{Agreement: moratoriumID, Verdicts: []string{"candidate", "ambiguous"}}, func(f *app.Finding) error {
		if f.Span.Start.After(d.Since) && !f.Span.Start.After(d.AsOf) {
			want[f.RecordID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]compliance.Entry{}
	for _, area := range d.Areas {
		for _, e := range area.Entries {
			if _, dup := got[e.Record]; dup {
				t.Errorf("%s mentioned twice", e.Record)
			}
			got[e.Record] = e
		}
	}
	if len(got) != len(want) || len(want) == 0 {
		t.Errorf("entries %d, records with findings in the day %d", len(got), len(want))
	}
	for r := range want {
		e, ok := got[r]
		switch {
		case !ok:
			t.Errorf("%s is not in the report", r)
		case strings.HasPrefix(r, "claim/") && e.Word != compliance.Alleged, strings.HasPrefix(r, "event/") && e.Word != compliance.Recorded:
			t.Errorf("%s is %q before any review", r, e.Word)
		}
	}
	// Corroborate one event's finding: its entry is corroborated.
	var ev compliance.Entry
	for _, e := range got {
		if strings.HasPrefix(e.Record, "event/") {
			ev = e
		}
	}
	res, err := a.Transition(ctx, ev.Findings[0], app.Step{To: vocab.StatusCorroborated, Reason: "two sources", Seen: review.Seen{Status: vocab.StatusAlleged}})
	if err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	d, err = a.DailyReport(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	for _, area := range d.Areas {
		for _, e := range area.Entries {
			if e.Record == ev.Record && e.Word != compliance.Corroborated {
				t.Errorf("%s after a corroboration: %q", e.Record, e.Word)
			}
		}
	}
	var md bytes.Buffer
	if err := report.DailyMarkdown(&md, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report/daily-2025-03-27.md", md.Bytes())
	var page bytes.Buffer
	if err := report.DailyHTML(&page, d); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/report/daily-2025-03-27.html", page.Bytes())
	for _, bad := range []app.DailyRequest{{Agreement: moratoriumID}, {Agreement: moratoriumID, Date: "27/03/2025"}, {Agreement: moratoriumID, Date: "2025-03-27", At: "25:00"}} {
		if _, err := a.DailyReport(ctx, bad); app.KindOf(err) != app.KindInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
