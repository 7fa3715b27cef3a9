package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/pdf"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/testdb"
)

const moratorium = "energy-moratorium-2025"

// The operations pages on the bundled scenario, in a store without users:
// the import batches with their counts and rejected rows, the audit log's
// chain and entries, the users (none), the reports; each as the use cases
// give it, and each bad request a 400 or 404 page naming the problem.
func TestOpsPages(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := scenario(t, dsn)
		ctx := t.Context()
		batches, err := ap.Imports(ctx)
		if err != nil || len(batches) < 2 {
			t.Fatalf("the scenario has %d import batches (%v)", len(batches), err)
		}
		head, err := ap.AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ap.ComplianceReport(ctx, app.ReportRequest{Agreement: moratorium})
		if err != nil || len(rep.Annex) == 0 {
			t.Fatalf("report: %v", err)
		}
		daily, err := ap.DailyReport(ctx, app.DailyRequest{Agreement: moratorium, Date: "2025-03-27"})
		if err != nil || len(daily.Areas) == 0 {
			t.Fatalf("daily report: %+v %v", daily, err)
		}
		last := batches[len(batches)-1]
		cases := []pageCase{
			{name: "imports", method: "GET", path: "/imports", status: 200, contentType: html, want: []string{
				`<a href="/imports" aria-current="page">Imports</a>`, `id="upload-form"`, `enctype="multipart/form-data"`, `name="csrf" value="`,
				`<option value="scenario-events.yaml">`, `<option value="csv">`, "No import was uploaded here yet.",
				fmt.Sprintf(`<tr data-batch="%d"><th scope="row"><a href="/imports/%d">%d</a></th><td>%s</td>`, last.ID, last.ID, last.ID, last.Source),
				fmt.Sprintf(`<td class="n">%d</td><td class="n">%d</td>`, last.Read, last.New),
			}},
			{name: "no such batch", method: "GET", path: "/imports/99999", status: 404, contentType: html, want: []string{"no import batch 99999"}},
			{name: "not a batch id", method: "GET", path: "/imports/x1", status: 400, contentType: html, want: []string{`&#34;x1&#34; is not an id`}},
			{name: "a bad cursor", method: "GET", path: fmt.Sprintf("/imports/%d?after=zz!", last.ID), status: 400, want: []string{"is not a cursor of this list"}},
			{name: "audit", method: "GET", path: "/audit", status: 200, contentType: html, want: []string{
				`<a href="/audit" aria-current="page">Audit</a>`, `data-holds="true"`,
				fmt.Sprintf(`entry <span id="head-seq">%d</span>, hash <code id="head-hash">%s</code>`, head.Seq, head.Hash),
				fmt.Sprintf(`<tr data-seq="%d"><th scope="row" class="n">%d</th>`, head.Seq, head.Seq),
			}, absent: []string{`data-holds="false"`}},
			{name: "audit with the state", method: "GET", path: "/audit?state=1", status: 200, want: []string{"and the database matches the log ("}},
			{name: "audit, a bad page", method: "GET", path: "/audit?before=soon", status: 400, want: []string{`before=&#34;soon&#34;`}},
			{name: "audit past its end", method: "GET", path: fmt.Sprintf("/audit?before=%d", head.Seq+1000), status: 404, want: []string{"past the end of the log"}},
			{name: "users, none", method: "GET", path: "/users", status: 200, want: []string{`id="users-none"`, `id="add-user"`, `<option value="admin"`}},
			{name: "reports: the first agreement", method: "GET", path: "/reports", status: 200, want: []string{
				`<option value="black-sea-2025" selected>`, `id="report-counted"`}},
			{name: "reports", method: "GET", path: "/reports?agreement=" + moratorium, status: 200, contentType: html, want: []string{
				`<a href="/reports" aria-current="page">Reports</a>`, fmt.Sprintf(`<strong id="report-counted">%d</strong> findings counted`, len(rep.Annex)),
				`href="/reports/compliance.md?agreement=` + moratorium + `&amp;reading=all"`, `id="report-frame"`, `data-reading="RU"`, `data-reading="UA"`,
				"Choose a day above",
			}},
			{name: "reports: one reading", method: "GET", path: "/reports?agreement=" + moratorium + "&reading=UA", status: 200,
				want: []string{`data-reading="UA"`}, absent: []string{`data-reading="RU"`}},
			{name: "reports: the daily report", method: "GET", path: "/reports?agreement=" + moratorium + "&date=2025-03-27", status: 200, want: []string{
				fmt.Sprintf(`<strong id="daily-areas">%d</strong> areas`, len(daily.Areas)), "as of 27 March 2025 19:30, since 26 March 2025 19:30 (" + daily.Zone + " time)", `id="daily-frame" title="The daily report" src="/reports/daily.html?agreement=` + moratorium + `&amp;date=2025-03-27"`,
			}},
			{name: "reports: no such agreement", method: "GET", path: "/reports?agreement=nope", status: 404, want: []string{`id="report-error"`, "nope"}},
			{name: "reports: no such reading", method: "GET", path: "/reports?agreement=" + moratorium + "&reading=XX", status: 400, want: []string{`has no reading &#34;XX&#34;`}},
			{name: "reports: a bad date", method: "GET", path: "/reports?agreement=" + moratorium + "&from=18.03.2025", status: 400, want: []string{`id="report-error"`, "18.03.2025"}},
			{name: "reports: a bad daily date", method: "GET", path: "/reports?agreement=" + moratorium + "&date=2025-02-30", status: 400,
				want: []string{`id="daily-error"`, "2025-02-30", `id="report-frame"`}},
			{name: "report as Markdown", method: "GET", path: "/reports/compliance.md?agreement=" + moratorium, status: 200, contentType: "text/markdown",
				want: []string{"# Compliance report: " + rep.Title}},
			{name: "report as JSON", method: "GET", path: "/reports/compliance.json?agreement=" + moratorium + "&reading=UA", status: 200, contentType: "application/json",
				want: []string{`"agreement": "` + moratorium + `"`, `"annex": [`}},
			{name: "report as HTML", method: "GET", path: "/reports/compliance.html?agreement=" + moratorium, status: 200, contentType: html,
				want: []string{"<svg", rep.Title}},
			{name: "daily as JSON", method: "GET", path: "/reports/daily.json?agreement=" + moratorium + "&date=2025-03-27", status: 200, contentType: "application/json",
				want: []string{`"areas": [`}},
			{name: "daily, no date", method: "GET", path: "/reports/daily.md?agreement=" + moratorium, status: 400, want: []string{"needs its date"}},
			{name: "no such report file", method: "GET", path: "/reports/compliance.txt?agreement=" + moratorium, status: 404, want: []string{"no report &#34;compliance.txt&#34;"}},
			{name: "no such job", method: "GET", path: "/jobs/4242", status: 404, want: []string{"no such job: 4242"}},
		}
		for _, b := range batches {
			// Each batch's page: its counts, and its first rejected row.
			want := []string{fmt.Sprintf(`<span id="batch-read">%d</span> read`, b.Read), fmt.Sprintf(`<span id="batch-rejected">%d</span> rejected`, b.Rejected)}
			page, err := ap.ImportRejectsPage(ctx, b.ID, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Rejects) > 0 {
				want = append(want, fmt.Sprintf(`<tr><th scope="row" class="n">%d</th>`, page.Rejects[0].Line))
			} else {
				want = append(want, `id="rejects-none"`)
			}
			cases = append(cases, pageCase{name: "batch " + strconv.FormatInt(b.ID, 10), method: "GET", path: "/imports/" + strconv.FormatInt(b.ID, 10), status: 200, want: want})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
		}
	})
}

// The report's files carry their own policy, which lets the reports page
// frame the HTML; the PDF is printed where Chromium is installed, and is
// a 404 naming the package where it is not.
func TestReportFiles(t *testing.T) {
	base, _ := scenario(t, testdb.SQLite(t))
	c := newClient(t, base)
	res, body := c.do(t, "GET", "/reports/compliance.html?agreement="+moratorium, nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") ||
		res.Header.Get("Content-Disposition") != `inline; filename="`+moratorium+`-report.html"` || !strings.Contains(body, "<style>") {
		t.Errorf("compliance.html: %d %v", res.StatusCode, res.Header)
	}
	res, _ = c.do(t, "GET", "/reports/daily.md?agreement="+moratorium+"&date=2025-03-27", nil)
	if res.Header.Get("Content-Disposition") != `attachment; filename="`+moratorium+`-daily-2025-03-27.md"` {
		t.Errorf("daily.md: %v", res.Header)
	}
	_, page := c.do(t, "GET", "/reports", nil)
	res, body = c.do(t, "GET", "/reports/compliance.pdf?agreement="+moratorium, nil)
	if _, err := pdf.Browser(); err != nil {
		if res.StatusCode != 404 || !strings.Contains(body, "apt-get install chromium") || strings.Contains(page, `id="dl-pdf"`) {
			t.Errorf("pdf without Chromium: %d, link shown: %v", res.StatusCode, strings.Contains(page, `id="dl-pdf"`))
		}
		return
	}
	if res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(page, `id="dl-pdf"`) {
		t.Errorf("pdf: %d %v %.20q", res.StatusCode, res.Header, body)
	}
}

// With the operator's outlines (truce serve --boundaries), the report's
// HTML draws each reading's findings on them; without, it has no map.
func TestReportMap(t *testing.T) {
	file := oblasts(t)
	base, _ := scenario(t, testdb.SQLite(t), func(c *server.Config) { c.Boundaries = file })
	_, body := newClient(t, base).do(t, "GET", "/reports/compliance.html?agreement="+moratorium, nil)
	for _, want := range []string{"Map of findings per region under the RU reading", "Map of findings per region under the UA reading"} {
		if !strings.Contains(body, want) {
			t.Errorf("with boundaries, the report lacks %q", want)
		}
	}
	plain, _ := scenario(t, testdb.SQLite(t))
	if _, body := newClient(t, plain).do(t, "GET", "/reports/compliance.html?agreement="+moratorium, nil); strings.Contains(body, "Map of findings") {
		t.Error("without boundaries, the report drew a map")
	}
}

// Who sees what: imports and the audit log are the team's (a viewer gets
// 403, as from the API), the upload form is for those who may import
// (analyst, admin), the users page for admins; the reports are for
// everyone, a viewer's counting published findings only. No page shows
// a token.
func TestOpsRoles(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	ctx := t.Context()
	admin := users(t, ap)
	as := ap.As(admin)
	tok := map[string]string{"admin": admin}
	for _, role := range []string{"analyst", "monitor", "viewer"} {
		is, err := as.AddUser(ctx, app.NewUser{Name: "a-" + role, Role: role, TokenLabel: role + "'s laptop"})
		if err != nil {
			t.Fatal(err)
		}
		tok[role] = is.Token
	}
	published, err := ap.As(tok["viewer"]).ComplianceReport(ctx, app.ReportRequest{Agreement: moratorium})
	if err != nil {
		t.Fatal(err)
	}
	all, err := as.ComplianceReport(ctx, app.ReportRequest{Agreement: moratorium})
	if err != nil || len(all.Annex) <= len(published.Annex) {
		t.Fatalf("the viewer's report counts %d, the admin's %d (%v)", len(published.Annex), len(all.Annex), err)
	}
	secrets := []string{admin, tok["analyst"], tok["monitor"], tok["viewer"]}
	for _, tc := range []pageCase{
		{name: "viewer: no imports", method: "GET", path: "/imports", token: tok["viewer"], status: 403, want: []string{"viewer"}, absent: []string{`id="batches"`}},
		{name: "viewer: no batch", method: "GET", path: "/imports/1", token: tok["viewer"], status: 403},
		{name: "viewer: no audit", method: "GET", path: "/audit", token: tok["viewer"], status: 403, absent: []string{"head-hash"}},
		{name: "viewer: no users", method: "GET", path: "/users", token: tok["viewer"], status: 403},
		{name: "viewer: no jobs", method: "GET", path: "/jobs/1", token: tok["viewer"], status: 403},
		{name: "viewer: reports of published findings", method: "GET", path: "/reports?agreement=" + moratorium, token: tok["viewer"], status: 200,
			want: []string{fmt.Sprintf(`<strong id="report-counted">%d</strong>`, len(published.Annex))}},
		{name: "monitor: imports, no form", method: "GET", path: "/imports", token: tok["monitor"], status: 200,
			want: []string{`id="batches"`}, absent: []string{`id="upload-form"`}},
		{name: "monitor: audit", method: "GET", path: "/audit", token: tok["monitor"], status: 200, want: []string{`data-holds="true"`}},
		{name: "analyst: imports with the form", method: "GET", path: "/imports", token: tok["analyst"], status: 200, want: []string{`id="upload-form"`}},
		{name: "analyst: no users", method: "GET", path: "/users", token: tok["analyst"], status: 403, want: []string{"manage users"}},
		{name: "analyst: reports", method: "GET", path: "/reports?agreement=" + moratorium, token: tok["analyst"], status: 200,
			want: []string{fmt.Sprintf(`<strong id="report-counted">%d</strong>`, len(all.Annex))}},
		{name: "admin: users", method: "GET", path: "/users", token: admin, status: 200, want: []string{
			`<tr data-user="a-analyst">`, "analyst&#39;s laptop, made ", `<tr data-user="vera">`, `<span class="muted">you</span>`,
			`action="/users/mo/disable"`, `<label for="reason-mo">Why disable mo?</label>`, `id="add-user"`,
		}, absent: append([]string{`id="users-none"`, `id="issued"`, "action=\"/users/root/disable\""}, secrets...)},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
	}
}

// The users page's forms through a signed-in admin's browser: without
// the CSRF token refused, a user added (their token shown that once),
// disabled only with a reason, enabled again; a monitor refused. An
// upload without its token queues nothing.
func TestOpsForms(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	admin := users(t, ap)
	clients := map[string]*client{"root": newClient(t, base), "mo": newClient(t, base)}
	signIn := func(name string) formStep {
		return formStep{name: name + " signs in", as: name, method: "POST", path: "/login", form: login(name), csrfFrom: "/login", status: 303}
	}
	runSteps(t, clients, []formStep{
		signIn("root"), signIn("mo"),
		{name: "no token", as: "root", method: "POST", path: "/users", form: url.Values{"name": {"zoe"}, "role": {"analyst"}}, status: 403,
			want: []string{"this form has expired"}},
		{name: "another's token", as: "root", method: "POST", path: "/users", form: url.Values{"name": {"zoe"}, "role": {"analyst"}},
			csrfFrom: "/review", csrfAs: "mo", status: 403},
		{name: "a bad name", as: "root", method: "POST", path: "/users", form: url.Values{"name": {"zo e"}, "role": {"analyst"}}, csrfFrom: "/users", status: 400,
			want: []string{"Not added: ", `value="zo e"`}},
		{name: "added", as: "root", method: "POST", path: "/users", form: url.Values{"name": {"zoe"}, "role": {"analyst"}, "password": {"zoe's password"}},
			csrfFrom: "/users", status: 200, want: []string{"Added zoe as analyst.", `<code id="issued-token">truce_`, `<tr data-user="zoe">`}},
		{name: "the token shown once", as: "root", method: "GET", path: "/users", status: 200, absent: []string{"issued-token"}, want: []string{"added in the dashboard, made "}},
		{name: "disable, no reason", as: "root", method: "POST", path: "/users/zoe/disable", form: url.Values{}, csrfFrom: "/users", status: 400,
			want: []string{"say why, for the audit log"}},
		{name: "a monitor may not", as: "mo", method: "POST", path: "/users/zoe/disable", form: url.Values{"reason": {"left"}}, csrfFrom: "/review", status: 403},
		{name: "disabled", as: "root", method: "POST", path: "/users/zoe/disable", form: url.Values{"reason": {"left the team"}}, csrfFrom: "/users", status: 200,
			want: []string{"Disabled zoe.", `action="/users/zoe/enable"`}},
		{name: "not oneself", as: "root", method: "POST", path: "/users/root/disable", form: url.Values{"reason": {"tired"}}, csrfFrom: "/users", status: 403,
			want: []string{"you cannot disable yourself"}},
		{name: "enabled", as: "root", method: "POST", path: "/users/zoe/enable", form: url.Values{}, csrfFrom: "/users", status: 200,
			want: []string{"Enabled zoe.", `action="/users/zoe/disable"`}},
		{name: "no such action", as: "root", method: "POST", path: "/users/zoe/delete", form: url.Values{}, csrfFrom: "/users", status: 404},
	})
	// An upload without its token: refused before its file is read.
	ct, body := uploadBody(t, "", map[string]string{"format": "csv", "mapping": "scenario-events.yaml"}, "x.csv", "id,date\n")
	res := clients["root"].post(t, "/imports", ct, body)
	if res.StatusCode != 403 {
		t.Errorf("an upload without its CSRF token: %d", res.StatusCode)
	}
	// A monitor's upload, with its token: the use case refuses the role.
	ct, body = uploadBody(t, clients["mo"].csrf(t, "/review"), map[string]string{"format": "csv", "mapping": "scenario-events.yaml"}, "x.csv", "id,date\n")
	if res := clients["mo"].post(t, "/imports", ct, body); res.StatusCode != 403 {
		t.Errorf("a monitor's upload: %d", res.StatusCode)
	}
	if jobs, err := ap.As(admin).JobsPage(t.Context(), app.JobQuery{}, "", 10); err != nil || len(jobs.Jobs) != 0 {
		t.Errorf("jobs after refused uploads: %+v %v", jobs, err)
	}
}

// On a store without users, the users page adds the first: an admin with
// a password, after whom the dashboard asks everyone to sign in.
func TestFirstUser(t *testing.T) {
	base, _ := scenario(t, testdb.SQLite(t))
	clients := map[string]*client{"anon": newClient(t, base)}
	runSteps(t, clients, []formStep{
		{name: "no password", as: "anon", method: "POST", path: "/users", form: url.Values{"name": {"boss"}, "role": {"admin"}}, csrfFrom: "/users", status: 400,
			want: []string{"the first user needs a password", `id="users-none"`}},
		{name: "not an admin", as: "anon", method: "POST", path: "/users", form: url.Values{"name": {"boss"}, "role": {"viewer"}, "password": {"pw"}}, csrfFrom: "/users", status: 400,
			want: []string{"the first must be an admin"}},
		{name: "the first admin", as: "anon", method: "POST", path: "/users", form: url.Values{"name": {"boss"}, "role": {"admin"}, "password": {"boss's password"}}, csrfFrom: "/users",
			status: 303, location: "/login?next=/users"},
		{name: "now a login", as: "anon", method: "GET", path: "/users", status: 303, location: "/login?next=%2Fusers"},
		{name: "signed in", as: "anon", method: "POST", path: "/login", form: url.Values{"name": {"boss"}, "password": {"boss's password"}, "next": {"/users"}}, csrfFrom: "/login",
			status: 303, location: "/users"},
		{name: "the users", as: "anon", method: "GET", path: "/users", status: 200, want: []string{`<tr data-user="boss">`, "Signed in as boss (admin)"}},
	})
}
