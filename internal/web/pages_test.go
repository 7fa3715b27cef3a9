package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
)

// pageCase is one request and what its answer must and must not hold.
type pageCase struct {
	name         string
	method, path string
	token        string // a bearer token, or none
	status       int
	contentType  string // a prefix; "" for any
	want, absent []string
}

func (tc pageCase) run(t *testing.T, base string) string {
	t.Helper()
	req, err := http.NewRequest(tc.method, base+tc.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tc.token != "" {
		req.Header.Set("Authorization", "Bearer "+tc.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	if res.StatusCode != tc.status {
		t.Errorf("%s %s: status %d, want %d\n%.600s", tc.method, tc.path, res.StatusCode, tc.status, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
		t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, ct, tc.contentType)
	}
	for _, w := range tc.want {
		if !strings.Contains(body, w) {
			t.Errorf("%s %s: no %q in\n%.2000s", tc.method, tc.path, w, body)
		}
	}
	for _, a := range tc.absent {
		if strings.Contains(body, a) {
			t.Errorf("%s %s: %q should not be there", tc.method, tc.path, a)
		}
	}
	return body
}

// totals are the overview's counts as the use case gives them, which the
// pages must show.
func totals(t *testing.T, ctx context.Context, ap *app.App) (agreements, findings int) {
	t.Helper()
	ov, err := ap.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ag := range ov.Agreements {
		for _, r := range ag.Readings {
			findings += r.Total
		}
	}
	return len(ov.Agreements), findings
}

const html, js = "text/html; charset=utf-8", "application/json"

// The pages on the bundled scenario, in a store without users (the holder
// of the database looks): what each shows, and what it must not.
func TestPages(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := scenario(t, dsn)
		nAgreements, nFindings := totals(t, t.Context(), ap)
		if nAgreements != 4 || nFindings < 20 {
			t.Fatalf("the scenario has %d agreements, %d findings", nAgreements, nFindings)
		}
		for _, tc := range []pageCase{
			{name: "overview", method: "GET", path: "/", status: 200, contentType: html, want: []string{
				"<title>Overview · truce</title>", `<a href="/" aria-current="page">Overview</a>`, `<a href="/map">Map</a>`,
				fmt.Sprintf(`id="count-agreements">%d<`, nAgreements), fmt.Sprintf(`id="count-findings">%d<`, nFindings),
				"30-day moratorium on strikes against energy infrastructure", `data-reading="RU"`, `data-reading="UA"`,
				"Under the agreed reading", `&amp;accused=RU">RU</a></th>`, "Last import of each source", "scenario-reports",
				"Signed in as local (admin)", "/static/dist/style.css?v=", "/static/dist/app.js?v=",
			}, absent: []string{"You see published findings only", "dist/map.js", "near_miss"}},
			{name: "map page", method: "GET", path: "/map", status: 200, contentType: html, want: []string{
				`<a href="/map" aria-current="page">Map</a>`, `id="map" data-src="/map/findings.json"`,
				`data-party="RU"`, `data-party="UA"`, `class="pin party-0 status-alleged" aria-hidden="true">R</span>`,
				"/static/dist/map.js?v=", "/static/dist/map.css?v=", fmt.Sprintf("of %d findings have a place", nFindings),
			}, absent: []string{"http://", "https://", `aria-current="page">Overview`}},
			{name: "map data", method: "GET", path: "/map/findings.json", status: 200, contentType: js, want: []string{
				`"parties":[{"id":"RU","name":"RU","label":"R"`, fmt.Sprintf(`"total":%d`, nFindings), `"lat":`, `"status":"alleged"`,
			}, absent: []string{`"truncated":true`}},
			{name: "no such static file", method: "GET", path: "/static/dist/nope.js", status: 404},
			{name: "no template served", method: "GET", path: "/static/../templates/layout.html", status: 404},
			{name: "a page takes no POST", method: "POST", path: "/map", status: 405},
			{name: "no login without users", method: "GET", path: "/login", status: 200, contentType: html,
				want: []string{"<title>Overview · truce</title>"}, absent: []string{"<h1>Sign in</h1>", "Sign out"}},
			{name: "review queue", method: "GET", path: "/review", status: 200, contentType: html, want: []string{
				`<a href="/review" aria-current="page">Review</a>`, "Signed in as local (admin)", `<a href="/review/finding/`,
			}, absent: []string{"You see published subjects only", "Sign out"}},
			{name: "an incident", method: "GET", path: "/review/incident/1", status: 200, contentType: html, want: []string{
				"<h1>incident/1: ", "<caption>Members</caption>", `<th scope="col">Why it is here</th>`, "Never reviewed.",
				`<button type="submit">Move to corroborated</button>`, `name="csrf" value="`,
			}},
			{name: "no such subject", method: "GET", path: "/review/finding/99999", status: 404, contentType: html,
				want: []string{"finding/99999 not found"}},
			{name: "not a subject", method: "GET", path: "/review/event/1", status: 404, contentType: html},
			{name: "the API is still JSON", method: "GET", path: "/api/v1/whoami", status: 200, contentType: js, want: []string{`"local"`}},
		} {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
		}
	})
}

// Once the store has users a page takes a token like the API, or a
// session (session_test.go): none is the login form, a viewer sees
// published findings only and no import batches.
func TestPagesWithUsers(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	ctx := t.Context()
	root, err := ap.AddUser(ctx, app.NewUser{Name: "root", Role: "admin"})
	if err != nil || root.Token == "" {
		t.Fatalf("root: %+v %v", root, err)
	}
	admin := root.Token
	v, err := ap.As(admin).AddUser(ctx, app.NewUser{Name: "vera", Role: "viewer"})
	if err != nil {
		t.Fatal(err)
	}
	_, nFindings := totals(t, ctx, ap.As(admin))
	for _, tc := range []pageCase{
		{name: "no token: to the login form", method: "GET", path: "/", status: 200, contentType: html,
			want: []string{"<h1>Sign in</h1>", `name="next" value="/"`}, absent: []string{"count-findings", "Signed in as"}},
		{name: "a bad token", method: "GET", path: "/map", token: "nope", status: 401, contentType: html,
			want: []string{"does not look like a truce token", `<form class="login"`}},
		{name: "map data, no token", method: "GET", path: "/map/findings.json", status: 401, contentType: js,
			want: []string{`{"error":{"message":"no token given`}},
		{name: "admin", method: "GET", path: "/", token: admin, status: 200, contentType: html,
			want: []string{"Signed in as root (admin)", fmt.Sprintf(`id="count-findings">%d<`, nFindings), "Last import of each source"}},
		{name: "viewer", method: "GET", path: "/", token: v.Token, status: 200, contentType: html,
			want:   []string{"Signed in as vera (viewer)", "You see published findings only", `id="count-findings">0<`},
			absent: []string{"Last import of each source", "scenario-reports", `data-reading="RU"`}},
		{name: "viewer's map", method: "GET", path: "/map/findings.json", token: v.Token, status: 200, contentType: js,
			want: []string{`"points":[]`, `"total":0`}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
	}
}

// Static files: the URL a page gives carries the file's hash and is cached
// for a year; without it, the file is revalidated; its ETag answers 304.
func TestStatic(t *testing.T) {
	base, _ := scenario(t, testdb.SQLite(t))
	page := pageCase{method: "GET", path: "/map", status: 200}.run(t, base)
	for _, tc := range []struct{ file, contentType string }{
		{"dist/map.js", "text/javascript; charset=utf-8"},
		{"dist/map.css", "text/css; charset=utf-8"},
		{"dist/style.css", "text/css; charset=utf-8"},
	} {
		m := regexp.MustCompile(`/static/` + regexp.QuoteMeta(tc.file) + `\?v=([0-9a-f]{16})`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no versioned URL of %s in the map page", tc.file)
		}
		for _, q := range []struct {
			query, cache string
		}{{"?v=" + m[1], "public, max-age=31536000, immutable"}, {"", "no-cache"}, {"?v=0000000000000000", "no-cache"}} {
			res, err := http.Get(base + "/static/" + tc.file + q.query)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || n == 0 || res.Header.Get("Content-Type") != tc.contentType ||
				res.Header.Get("Cache-Control") != q.cache || res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s%s: %d, %d bytes, %v", tc.file, q.query, res.StatusCode, n, res.Header)
			}
			if q.query == "" {
				req, _ := http.NewRequest("GET", base+"/static/"+tc.file, nil)
				req.Header.Set("If-None-Match", res.Header.Get("ETag"))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusNotModified {
					t.Errorf("%s with its ETag: %d, want 304", tc.file, res.StatusCode)
				}
			}
		}
	}
}

// Every subject of the bundled scenario has a page: findings with and
// without a holding incident (its denials beside them), incidents with
// their members.
func TestEverySubjectPage(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	q, err := ap.ReviewQueue(t.Context(), app.ReviewFilter{})
	if err != nil || len(q.Items) < 20 {
		t.Fatalf("queue: %d items, %v", len(q.Items), err)
	}
	denials := 0
	for _, it := range q.Items {
		want := []string{"<h1>" + it.Subject + ": ", `<section aria-labelledby="history-h" id="history">`}
		if strings.HasPrefix(it.Subject, "finding/") {
			// The finding in a sentence, in its reading's time zone by name.
			want = append(want, `<p class="lead" id="summary">`, " time) ")
		}
		body := pageCase{method: "GET", path: "/review/" + it.Subject, status: 200, contentType: html, want: want}.run(t, base)
		denials += strings.Count(body, "<li>Denial ")
	}
	t.Logf("%d subjects, %d denials shown beside findings", len(q.Items), denials)
}
