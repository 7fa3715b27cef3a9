package web_test

import (
	"fmt"
	htmlpkg "html"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// esc is s as html/template writes it in a page.
func esc(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;").Replace(htmlpkg.EscapeString(s))
}

// The browsing pages on the bundled scenario, for the holder of a store
// without users: each page shows what its use case gives (a finding's
// sentence, a record's categories with their words, the readings side by
// side, an incident's members and findings); an unknown id is a 404 page,
// a filter value that names nothing a 400 page naming it.
func TestBrowsePages(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := scenario(t, dsn)
		ctx := t.Context()
		first, err := ap.FindingsPage(ctx, app.FindingQuery{}, "", 50)
		if err != nil || len(first.Findings) < 20 || first.Next == "" {
			t.Fatalf("the scenario's first page: %d findings, next %q, %v", len(first.Findings), first.Next, err)
		}
		// Each row of the list is the use case's finding, in its sentence.
		var rows []string
		for _, f := range first.Findings {
			if f.Summary == "" {
				t.Fatalf("finding %d has no sentence", f.Stored.ID)
			}
			rows = append(rows, fmt.Sprintf(`<a href="/findings/%d">`, f.Stored.ID), esc(f.Summary))
		}
		second, err := ap.FindingsPage(ctx, app.FindingQuery{}, first.Next, 50)
		if err != nil || len(second.Findings) == 0 {
			t.Fatalf("second page: %v", err)
		}
		// Finding 1: a drone strike on Sloviansk's grid under Russia's
		// reading, its record event/2, in incident 5.
		f1, err := ap.ReviewPage(ctx, vocab.Ref{Kind: vocab.KindFinding, ID: 1})
		if err != nil || f1.InIncident == nil {
			t.Fatalf("finding 1: %+v %v", f1, err)
		}
		rec, err := ap.Record(ctx, f1.Finding.Record.Whole().String())
		if err != nil || rec.Event == nil || len(rec.Event.Targets) == 0 {
			t.Fatalf("its record: %+v %v", rec, err)
		}
		var categories []string
		for _, r := range rec.Event.Targets {
			categories = append(categories, "<strong>"+r.Term+"</strong>: <q>"+esc(r.Match)+"</q> in "+r.Field)
		}
		inc, err := ap.IncidentFindings(ctx, 1)
		if err != nil || len(inc) == 0 {
			t.Fatalf("incident 1's findings: %d, %v", len(inc), err)
		}
		incident1 := []string{"<h1>Incident 1</h1>", `id="grade">Grade <strong>`, `<table class="origins" id="origins">`,
			`<a href="/records/claim/2">claim/2</a>`, `<a href="/records/event/3">event/3</a>`, `<a href="/review/incident/1">Its review page</a>`}
		for _, f := range inc {
			incident1 = append(incident1, fmt.Sprintf(`<a href="/findings/%d">`, f.Stored.ID), esc(f.Summary))
		}
		for _, tc := range []pageCase{
			{name: "findings", method: "GET", path: "/findings", status: 200, contentType: html, want: append(rows,
				`<a href="/findings" aria-current="page">Findings</a>`, `<label for="f-verdict">Verdict</label>`,
				`<option value="energy-moratorium-2025">`, `id="next-page" href="/findings?after=`+first.Next+`"`),
				absent: []string{"First page", "You see published findings only"}},
			{name: "findings, second page", method: "GET", path: "/findings?after=" + first.Next, status: 200, contentType: html,
				want:   []string{fmt.Sprintf(`<tr data-finding="%d">`, second.Findings[0].Stored.ID), `<a href="/findings">First page</a>`},
				absent: []string{fmt.Sprintf(`<tr data-finding="%d">`, first.Findings[0].Stored.ID)}},
			{name: "findings filtered", method: "GET", path: "/findings?agreement=energy-moratorium-2025&reading=UA&accused=RU&verdict=candidate&from=2025-03-25&to=2025-04-24",
				status: 200, contentType: html, want: []string{`<option value="energy-moratorium-2025" selected>`, `<option value="candidate" selected>`, `value="2025-03-25"`, "under Ukraine"},
				absent: []string{"under Russian Federation&#39;s reading", "Sloviansk, Donetsk Oblast: prohibited"}},
			{name: "a verdict that is none", method: "GET", path: "/findings?verdict=nope", status: 400, contentType: html,
				want: []string{`id="filter-error">unknown verdict &#34;nope&#34;: use one of candidate`, `<form class="filters"`}, absent: []string{"data-finding"}},
			{name: "an agreement not stored", method: "GET", path: "/findings?agreement=nope", status: 400, contentType: html,
				want: []string{`unknown agreement &#34;nope&#34;: the store holds black-sea-2025`}},
			{name: "a bad date", method: "GET", path: "/findings?from=18.03.2025", status: 400, contentType: html,
				want: []string{"from=&#34;18.03.2025&#34;: want a date"}},
			{name: "a status that is none", method: "GET", path: "/findings?status=done", status: 400, contentType: html, want: []string{"unknown status &#34;done&#34;"}},
			{name: "a version that is none", method: "GET", path: "/findings?agreement=energy-moratorium-2025&version=x", status: 400, contentType: html, want: []string{"version=&#34;x&#34;"}},
			{name: "a finding", method: "GET", path: "/findings/1", status: 200, contentType: html, want: []string{
				`<p class="lead" id="summary">` + esc(f1.Summary) + "</p>",
				`<p class="lead" id="summary">On 18 March 2025 (Moscow time) the source scenario-reports reported that Russian Federation struck the power grid in Sloviansk, Donetsk Oblast`,
				`<dd id="verdict">candidate</dd>`, `<a href="/agreements/energy-moratorium-2025?version=2">`, "under RU&#39;s reading",
				`<a id="record-link" href="/records/event/2">event/2</a>`, "(Europe/Moscow)", `<details id="why">`, `<th scope="row">target</th>`,
				fmt.Sprintf(`<a href="/incidents/%d">incident %d</a>`, f1.InIncident.ID, f1.InIncident.ID), `<a href="/review/finding/1">Its review page</a>`,
			}, absent: []string{"+03:00", `class="step"`}},
			{name: "no such finding", method: "GET", path: "/findings/999999", status: 404, contentType: html, want: []string{"finding/999999 not found"}},
			{name: "not a finding id", method: "GET", path: "/findings/x", status: 404, contentType: html},
			{name: "a record", method: "GET", path: "/records/event/2", status: 200, contentType: html, want: append(categories,
				"<h1>Event 2 <span class=\"muted\">from scenario-reports</span></h1>", "strike.drone", "(to the day)",
				`<dd id="record-place">Sloviansk, Donetsk Oblast, UA`, esc(rec.Event.Text), `<pre id="raw">`, "<dt>Place codes</dt><dd>UA / UA-14",
				`<a href="/findings/1">finding 1</a>`, esc(f1.Summary), fmt.Sprintf(`In <a href="/incidents/%d">`, f1.InIncident.ID))},
			{name: "a claim with allegations", method: "GET", path: "/records/claim/2", status: 200, contentType: html,
				want: []string{"<h1>Claim 2 ", "<dt>Claim</dt><dd>a allegation by UA", `<a href="/incidents/1">incident 1</a>`}},
			{name: "no such record", method: "GET", path: "/records/event/99999", status: 404, contentType: html, want: []string{"no event 99999 in the store"}},
			{name: "not a record kind", method: "GET", path: "/records/finding/1", status: 404, contentType: html},
			{name: "an incident", method: "GET", path: "/incidents/1", status: 200, contentType: html, want: incident1},
			{name: "no such incident", method: "GET", path: "/incidents/99999", status: 404, contentType: html, want: []string{"incident/99999 not found"}},
			{name: "incidents", method: "GET", path: "/incidents", status: 200, contentType: html, want: []string{
				`<a href="/incidents" aria-current="page">Incidents</a>`, `<tr data-incident="1">`, `<a href="/incidents/1">1</a>`}},
			{name: "incidents filtered", method: "GET", path: "/incidents?grade=fair", status: 200, contentType: html,
				want: []string{`<tr data-incident="1">`, `<option value="fair" selected>`}, absent: []string{"<td>weak</td>"}},
			{name: "a grade that is none", method: "GET", path: "/incidents?grade=x", status: 400, contentType: html,
				want: []string{"unknown grade &#34;x&#34;: use one of confirmed"}, absent: []string{"data-incident"}},
			{name: "agreements", method: "GET", path: "/agreements", status: 200, contentType: html, want: []string{
				`<a href="/agreements" aria-current="page">Agreements</a>`,
				`<a href="/agreements/energy-moratorium-2025">30-day moratorium on strikes against energy infrastructure`}},
			{name: "an agreement", method: "GET", path: "/agreements/energy-moratorium-2025", status: 200, contentType: html, want: []string{
				`<dt id="c-energy-strikes">No strikes on energy infrastructure`,
				// The readings side by side: the window and the commitment, RU's and UA's.
				`<th scope="col" data-reading="RU">RU&#39;s reading</th><th scope="col" data-reading="UA">UA&#39;s reading</th>`,
				`<td class="differs">18 Mar 2025 00:00 (Europe/Moscow) to 17 Apr 2025 00:00 (Europe/Moscow)`,
				`<td class="differs">25 Mar 2025 00:00 (Europe/Kyiv) to 24 Apr 2025 00:00 (Europe/Kyiv)`,
				"energy.nuclear, energy.hydro <span", "energy.nuclear, energy.hydro, infrastructure <span",
				`<strong>version 2</strong> (shown)`,
				`<article class="proposal" id="proposal-civilian-infrastructure-scope">`, `<td class="stance-rejects">rejects</td>`,
				`<a href="/findings?agreement=energy-moratorium-2025">Its findings</a>`,
			}, absent: []string{"+03:00", `<details class="diff"`}},
			{name: "no such agreement", method: "GET", path: "/agreements/nope", status: 404, contentType: html, want: []string{"agreement &#34;nope&#34; is not in the store"}},
			{name: "no such version", method: "GET", path: "/agreements/energy-moratorium-2025?version=9", status: 404, contentType: html, want: []string{"its versions are 2"}},
			{name: "a review subject links its page and record", method: "GET", path: "/review/finding/1", status: 200, contentType: html, want: []string{
				`<a id="subject-page" href="/findings/1">its page</a>`, `<a href="/records/event/2">event/2</a>`}},
			{name: "a country that is none", method: "GET", path: "/findings?country=Ukraine", status: 400, contentType: html, want: []string{`id="filter-error">`, "Ukraine"}},
			{name: "nav", method: "GET", path: "/", status: 200, contentType: html, want: []string{
				`<a href="/findings">Findings</a>`, `<a href="/incidents">Incidents</a>`, `<a href="/agreements">Agreements</a>`}},
		} {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
		}
		// Codes such as UA-14 are in the detail only: the clause by
		// clause explanation, the record's raw fields.
		for _, path := range []string{"/findings/1", "/records/event/2"} {
			body := pageCase{method: "GET", path: path, status: 200}.run(t, base)
			main, detail, ok := strings.Cut(body, "<details id=")
			if !ok || strings.Contains(main, "UA-14") || !strings.Contains(detail, "UA-14") {
				t.Errorf("%s: UA-14 in the main text, or not in the detail (%v)", path, ok)
			}
		}
	})
}

// A second stored version: the agreement's page lists both and what
// changed from one to the other, as the diff use case has it.
func TestAgreementVersionsPage(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	src, err := fs.ReadFile(truce.Examples, "examples/agreements/energy-moratorium-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v3 := strings.Replace(string(src), "\nversion: 2\n", "\nversion: 3\n", 1)
	v3 = strings.Replace(v3, "\ntitle: 30-day", "\ntitle: Extended 30-day", 1)
	v3 += "  - version: 3\n    date: 2025-04-01\n    summary: The title changes.\n    source: kremlin-2025-03-18\n"
	f, err := app.ParseAgreement("v3.yaml", []byte(v3), strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ap.ImportAgreements(t.Context(), []app.AgreementFile{f}); err != nil {
		t.Fatal(err)
	}
	diff, err := ap.AgreementDiff(t.Context(), "energy-moratorium-2025", 2, 3, strictyaml.DefaultLimits())
	if err != nil || len(diff.Changes) == 0 {
		t.Fatalf("diff: %+v %v", diff, err)
	}
	want := []string{`<details class="diff" id="diff-2-3">`, fmt.Sprintf("Version 2 to 3: %d change", len(diff.Changes)),
		`<strong>version 3</strong> (shown)`, `<a href="/agreements/energy-moratorium-2025?version=2">version 2</a>`}
	for _, c := range diff.Changes {
		want = append(want, `<th scope="row">`+esc(c.Term)+`</th>`)
	}
	pageCase{method: "GET", path: "/agreements/energy-moratorium-2025", status: 200, contentType: html,
		want: append(want, "<h1>Extended 30-day")}.run(t, base)
	pageCase{method: "GET", path: "/agreements/energy-moratorium-2025?version=2", status: 200, contentType: html,
		want: []string{"<h1>30-day", `<strong>version 2</strong> (shown)`, `<details class="diff" id="diff-2-3">`}}.run(t, base)
}

// A viewer sees published items only: a finding moved to a final status
// and the incident holding its record, and through them the record; any
// other finding, incident or record is not found, alike with one that
// does not exist; the lists hold the published ones only.
func TestBrowsePagesViewer(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	ctx := t.Context()
	root, err := ap.AddUser(ctx, app.NewUser{Name: "root", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	admin := ap.As(root.Token)
	v, err := admin.AddUser(ctx, app.NewUser{Name: "vera", Role: "viewer"})
	if err != nil {
		t.Fatal(err)
	}
	f1, err := admin.ReviewPage(ctx, vocab.Ref{Kind: vocab.KindFinding, ID: 1})
	if err != nil || f1.InIncident == nil {
		t.Fatalf("finding 1: %v", err)
	}
	incID := f1.InIncident.ID
	for _, subj := range []vocab.Ref{{Kind: vocab.KindFinding, ID: 1}, {Kind: vocab.KindIncident, ID: incID}} {
		_, err := admin.Transition(ctx, subj, app.Step{To: vocab.StatusInconclusive, Reason: "no second source", Seen: review.Seen{Status: vocab.StatusAlleged}})
		if err != nil {
			t.Fatalf("%s: %v", subj, err)
		}
	}
	all, err := admin.IncidentsPage(ctx, app.IncidentQuery{}, "", 0)
	if err != nil || len(all.Incidents) < 2 {
		t.Fatalf("incidents: %v", err)
	}
	other := strconv.FormatInt(all.Incidents[0].ID, 10) // an incident left unpublished
	if all.Incidents[0].ID == incID {
		other = strconv.FormatInt(all.Incidents[1].ID, 10)
	}
	for _, tc := range []pageCase{
		{name: "a published finding", method: "GET", path: "/findings/1", token: v.Token, status: 200, contentType: html,
			want: []string{"Signed in as vera (viewer)", esc(f1.Summary), "inconclusive, revision 1, published", fmt.Sprintf(`<a href="/incidents/%d">`, incID)}},
		{name: "an unpublished finding", method: "GET", path: "/findings/2", token: v.Token, status: 404, contentType: html, want: []string{"finding/2 not found"}},
		{name: "the findings list", method: "GET", path: "/findings", token: v.Token, status: 200, contentType: html,
			want: []string{"You see published findings only", `<tr data-finding="1">`}, absent: []string{`<tr data-finding="2">`}},
		{name: "the published incident", method: "GET", path: "/incidents/" + strconv.FormatInt(incID, 10), token: v.Token, status: 200, contentType: html,
			want: []string{`<a href="/findings/1">finding 1</a>`}},
		{name: "an unpublished incident", method: "GET", path: "/incidents/" + other, token: v.Token, status: 404, contentType: html},
		{name: "the incidents list", method: "GET", path: "/incidents", token: v.Token, status: 200, contentType: html,
			want:   []string{"You see published incidents only", fmt.Sprintf(`<tr data-incident="%d">`, incID)},
			absent: []string{`<tr data-incident="` + other + `">`}},
		{name: "the record of a published finding", method: "GET", path: "/records/event/2", token: v.Token, status: 200, contentType: html,
			want: []string{`<a href="/findings/1">finding 1</a>`}},
		{name: "a record of none published", method: "GET", path: "/records/event/1", token: v.Token, status: 404, contentType: html,
			want: []string{"no event/1 in the store"}},
		{name: "agreements are public", method: "GET", path: "/agreements/energy-moratorium-2025", token: v.Token, status: 200, contentType: html},
		{name: "no token", method: "GET", path: "/findings/1", status: 200, contentType: html, want: []string{"<h1>Sign in</h1>"}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
	}
	// The admin sees the unpublished ones.
	pageCase{method: "GET", path: "/findings/2", token: root.Token, status: 200, contentType: html}.run(t, base)
	body := pageCase{method: "GET", path: "/incidents", token: root.Token, status: 200, contentType: html}.run(t, base)
	if n := len(regexp.MustCompile(`<tr data-incident=`).FindAllString(body, -1)); n < 2 {
		t.Errorf("the admin's incidents list holds %d", n)
	}
}

// The overview links each agreement to its page and each party's row to
// the findings list filtered as the row counts: the list holds as many
// findings as the row says.
func TestOverviewLinks(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	ov, err := ap.Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	body := pageCase{method: "GET", path: "/", status: 200}.run(t, base)
	rows := 0
	for _, ag := range ov.Agreements {
		if !strings.Contains(body, `<a href="/agreements/`+ag.ID+`">`) {
			t.Errorf("no link to agreement %s", ag.ID)
		}
		for _, r := range ag.Readings {
			for _, p := range r.Parties {
				if p.Accused == "" || p.Total > 50 {
					continue
				}
				path := fmt.Sprintf("/findings?agreement=%s&version=%d&reading=%s&accused=%s", ag.ID, ag.Evaluated, r.Reading, p.Accused)
				if !strings.Contains(body, `href="`+strings.ReplaceAll(path, "&", "&amp;")+`"`) {
					t.Errorf("no link %s in the overview", path)
					continue
				}
				list := pageCase{method: "GET", path: path, status: 200}.run(t, base)
				if n := strings.Count(list, "<tr data-finding="); n != p.Total {
					t.Errorf("%s: %d findings listed, the overview counts %d", path, n, p.Total)
				}
				rows++
			}
		}
	}
	if rows < 4 {
		t.Errorf("only %d party rows followed", rows)
	}
}
