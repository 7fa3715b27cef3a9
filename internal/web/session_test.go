package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// client is a browser without a browser: it keeps cookies, does not
// follow redirects (a test sees the 303), and fills in a form's CSRF
// token from the page it came from.
type client struct {
	base string
	hc   *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{base: base, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// do sends a request; form, if not nil, is posted.
func (c *client) do(t *testing.T, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// csrf is the CSRF token of the forms of the page at path.
func (c *client) csrf(t *testing.T, path string) string {
	t.Helper()
	_, body := c.do(t, "GET", path, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in %s:\n%.1500s", path, body)
	}
	return m[1]
}

// formStep is one request of a scenario, by one of its clients.
type formStep struct {
	name   string
	as     string // the client: "anon", or a user's name
	method string
	path   string
	form   url.Values // posted if not nil, with the CSRF token of csrfFrom
	// csrfFrom is the page whose token the form carries; "" for none.
	// csrfAs, if set, is the client the token is another's of.
	csrfFrom, csrfAs string
	status           int
	location         string // a redirect's, if status is one
	want, absent     []string
}

func runSteps(t *testing.T, clients map[string]*client, steps []formStep) {
	t.Helper()
	for _, st := range steps {
		c := clients[st.as]
		form := st.form
		if form != nil && st.csrfFrom != "" {
			form = url.Values{}
			for k, v := range st.form {
				form[k] = v
			}
			from := c
			if st.csrfAs != "" {
				from = clients[st.csrfAs]
			}
			form.Set("csrf", from.csrf(t, st.csrfFrom))
		}
		res, body := c.do(t, st.method, st.path, form)
		if res.StatusCode != st.status {
			t.Errorf("%s: %s %s as %s: status %d, want %d\n%.3000s", st.name, st.method, st.path, st.as, res.StatusCode, st.status, body)
		}
		if loc := res.Header.Get("Location"); st.location != "" && loc != st.location {
			t.Errorf("%s: Location %q, want %q", st.name, loc, st.location)
		}
		for _, w := range st.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q in\n%.3000s", st.name, w, body)
			}
		}
		for _, a := range st.absent {
			if strings.Contains(body, a) {
				t.Errorf("%s: %q should not be there", st.name, a)
			}
		}
	}
}

// users adds an admin (root) and, with passwords "NAME's password", two
// monitors (mo, ann) and a viewer (vera); it returns the admin's token.
func users(t *testing.T, ap *app.App) string {
	t.Helper()
	ctx := t.Context()
	root, err := ap.AddUser(ctx, app.NewUser{Name: "root", Role: "admin", Password: "root's password"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role string }{{"mo", "monitor"}, {"ann", "monitor"}, {"vera", "viewer"}} {
		if _, err := ap.As(root.Token).AddUser(ctx, app.NewUser{Name: u.name, Role: u.role, Password: u.name + "'s password"}); err != nil {
			t.Fatal(err)
		}
	}
	return root.Token
}

// reviewable returns two alleged findings a monitor may corroborate (not
// resting on machine-coded sources alone).
func reviewable(t *testing.T, ap *app.App) (string, string) {
	t.Helper()
	q, err := ap.ReviewQueue(t.Context(), app.ReviewFilter{Type: vocab.KindFinding, Statuses: []vocab.Status{vocab.StatusAlleged}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range q.Items {
		ref, _ := vocab.ParseSubject(it.Subject)
		p, err := ap.ReviewPage(t.Context(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if !p.MachineOnly && !it.Withdrawn {
			out = append(out, it.Subject)
		}
	}
	if len(out) < 2 {
		t.Fatalf("the scenario has %d alleged findings to corroborate", len(out))
	}
	return out[0], out[1]
}

func login(name string) url.Values {
	return url.Values{"name": {name}, "password": {name + "'s password"}, "next": {"/review"}}
}

func step(to string, revision int, reason string) url.Values {
	return url.Values{"to": {to}, "revision": {fmt.Sprint(revision)}, "reason": {reason}}
}

// Sessions and the review queue through forms, as a browser would send
// them: login, a wrong password, forms without their CSRF token, a
// monitor corroborating, a second confirming, a step sent on a page
// another's step made stale, a viewer seeing no buttons and no
// unpublished subject, logout.
func TestSessionScenario(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := scenario(t, dsn)
		admin := users(t, ap)
		subj, other := reviewable(t, ap.As(admin))
		page := "/review/" + subj
		clients := map[string]*client{}
		for _, name := range []string{"anon", "mo", "ann", "vera"} {
			clients[name] = newClient(t, base)
		}
		runSteps(t, clients, []formStep{
			{name: "a page needs a login", as: "anon", method: "GET", path: "/review", status: 303, location: "/login?next=%2Freview"},
			{name: "a form needs a login", as: "anon", method: "POST", path: page, csrfFrom: "/login", form: step("corroborated", 0, "x"), status: 401,
				want: []string{"<h1>Sign in</h1>", "no token given"}},
			{name: "login form", as: "anon", method: "GET", path: "/login?next=/review", status: 200, want: []string{
				`<label for="login-name">User name</label>`, `<label for="login-password">Password</label>`,
				`type="password" autocomplete="current-password"`, `<button type="submit">Sign in</button>`, `name="next" value="/review"`,
			}},
			{name: "a wrong password", as: "anon", method: "POST", path: "/login", csrfFrom: "/login",
				form: url.Values{"name": {"mo"}, "password": {"guess"}}, status: 401,
				want: []string{"wrong user name or password", `value="mo"`}, absent: []string{"Signed in as"}},
			{name: "an unknown user", as: "anon", method: "POST", path: "/login", csrfFrom: "/login",
				form: login("nobody"), status: 401, want: []string{"wrong user name or password"}},
			{name: "login without CSRF token", as: "mo", method: "POST", path: "/login", form: login("mo"), status: 403,
				want: []string{"this form has expired or did not come from this dashboard"}},
			{name: "login elsewhere stays here", as: "mo", method: "POST", path: "/login", csrfFrom: "/login",
				form: url.Values{"name": {"mo"}, "password": {"mo's password"}, "next": {"//evil.example/"}}, status: 303, location: "/"},
			{name: "queue", as: "mo", method: "GET", path: "/review", status: 200, want: []string{
				"Signed in as mo (monitor)", `<form class="logout" method="post" action="/logout">`, `href="` + page + `"`, `href="/review/` + other + `"`,
				`<input type="checkbox" name="subject" value="` + other + `:alleged"`, "<legend>Take one step on each subject ticked</legend>",
				`<label for="bulk-reason">Why?</label>`,
			}, absent: []string{"You see published subjects only"}},
			{name: "subject page", as: "mo", method: "GET", path: page, status: 200, want: []string{
				"<h1>" + subj + ": alleged</h1>", "Revision 0", `<label for="reason-corroborated">Why move to corroborated?</label>`,
				`<button type="submit">Move to corroborated</button>`, `name="revision" value="0"`, "Why: clause by clause", "Never reviewed.",
			}, absent: []string{"Move to confirmed"}},
			{name: "a step without CSRF token", as: "mo", method: "POST", path: page, form: step("corroborated", 0, "footage"), status: 403,
				want: []string{"this form has expired"}},
			{name: "ann logs in", as: "ann", method: "POST", path: "/login", csrfFrom: "/login", form: login("ann"), status: 303, location: "/review"},
			{name: "a step with another's CSRF token", as: "ann", method: "POST", path: page, csrfFrom: page, csrfAs: "mo",
				form: step("corroborated", 0, "footage"), status: 403},
			{name: "a step without a reason", as: "mo", method: "POST", path: page, csrfFrom: page, form: step("corroborated", 0, " "), status: 403,
				want: []string{"Not changed: ", "every transition needs a reason"}},
			{name: "mo corroborates", as: "mo", method: "POST", path: page, csrfFrom: page, form: step("corroborated", 0, "footage geolocated"),
				status: 303, location: page + "?moved=corroborated#history"},
			{name: "in the history", as: "mo", method: "GET", path: page + "?moved=corroborated", status: 200, want: []string{
				"Moved to corroborated.", "<h1>" + subj + ": corroborated</h1>", "Revision 1", "<td>mo</td>", "alleged → corroborated", "footage geolocated",
				`<button type="submit">Move to confirmed</button>`,
			}},
			{name: "a stale page", as: "ann", method: "POST", path: page, csrfFrom: "/review", form: step("refuted", 0, "old news"), status: 409, want: []string{
				"someone took a step since you opened this page", "mo moved it from alleged to corroborated", "footage geolocated", "Revision 1",
			}},
			{name: "no second look by the same", as: "mo", method: "POST", path: page, csrfFrom: page,
				form: func() url.Values { f := step("confirmed", 1, "sure"); f.Set("accept_release", "yes"); return f }(), status: 403,
				want: []string{"confirming needs a second reviewer"}},
			{name: "ann confirms", as: "ann", method: "POST", path: page, csrfFrom: page,
				form: func() url.Values { f := step("confirmed", 1, "second look"); f.Set("accept_release", "yes"); return f }(), status: 303},
			{name: "viewer logs in", as: "vera", method: "POST", path: "/login", csrfFrom: "/login", form: login("vera"), status: 303, location: "/review"},
			{name: "viewer's queue", as: "vera", method: "GET", path: "/review?all=1", status: 200,
				want: []string{"Signed in as vera (viewer)", "You see published subjects only", `href="` + page + `"`}, absent: []string{other}},
			{name: "viewer's subject", as: "vera", method: "GET", path: page, status: 200,
				want: []string{"confirmed", "second look"}, absent: []string{`class="step"`, "Move to", "Re-affirm"}},
			{name: "viewer, unpublished", as: "vera", method: "GET", path: "/review/" + other, status: 404, absent: []string{"Move to"}},
			{name: "viewer's queue has no boxes", as: "vera", method: "GET", path: "/review?all=1", status: 200,
				absent: []string{`name="subject"`, "Take one step"}},
			{name: "viewer may not step", as: "vera", method: "POST", path: page, csrfFrom: page, form: step("alleged", 2, "x"), status: 403,
				want: []string{"permission denied"}},
			{name: "bulk: nothing ticked", as: "mo", method: "POST", path: "/review", csrfFrom: "/review",
				form: url.Values{"to": {"inconclusive"}, "reason": {"x"}}, status: 400, want: []string{"no subject selected"}},
			{name: "bulk: each its own step", as: "mo", method: "POST", path: "/review", csrfFrom: "/review",
				form:   url.Values{"subject": {other + ":alleged", subj + ":alleged"}, "to": {"inconclusive"}, "reason": {"sources disagree"}},
				status: 200, want: []string{
					`<li data-subject="` + other + `">`, `<span class="done">moved to inconclusive</span>`,
					`<li data-subject="` + subj + `">`, "not changed: ", "confirmed at revision 2",
				}},
			{name: "bulk: in the history", as: "vera", method: "GET", path: "/review/" + other, status: 200,
				want: []string{"<h1>" + other + ": inconclusive</h1>", "alleged → inconclusive", "sources disagree"}},
			{name: "bulk: viewer may not", as: "vera", method: "POST", path: "/review", csrfFrom: "/review",
				form: url.Values{"subject": {other + ":inconclusive"}, "to": {"alleged"}, "reason": {"x"}}, status: 403},
			{name: "logout without CSRF token", as: "mo", method: "POST", path: "/logout", form: url.Values{}, status: 403},
			{name: "logout", as: "mo", method: "POST", path: "/logout", csrfFrom: "/review", form: url.Values{}, status: 303, location: "/login"},
			{name: "logged out", as: "mo", method: "GET", path: "/review", status: 303, location: "/login?next=%2Freview"},
		})
	})
}

// The session cookie: HttpOnly, SameSite=Lax, not Secure over plain HTTP,
// with the session's absolute end; ended by logout on the server too.
func TestSessionCookie(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	users(t, ap)
	c := newClient(t, base)
	f := login("mo")
	f.Set("csrf", c.csrf(t, "/login"))
	res, _ := c.do(t, "POST", "/login", f)
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "truce_session" {
			session = ck
		}
	}
	if res.StatusCode != 303 || session == nil {
		t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || session.Path != "/" || session.Expires.IsZero() {
		t.Errorf("session cookie %+v", session)
	}
	if who, err := ap.InSession(session.Value).Who(t.Context()); err != nil || who.Name != "mo" {
		t.Errorf("the cookie's session: %+v, %v", who, err)
	}
	// Signing in again (here as another user) ends the session before.
	c2 := newClient(t, base)
	f.Set("csrf", c2.csrf(t, "/login"))
	res, _ = c2.do(t, "POST", "/login", f)
	first := res.Cookies()[0]
	f = login("ann")
	f.Set("csrf", c2.csrf(t, "/review"))
	if res, _ := c2.do(t, "POST", "/login", f); res.StatusCode != 303 {
		t.Fatalf("second login: %d", res.StatusCode)
	}
	if _, err := ap.InSession(first.Value).Who(t.Context()); err == nil || first.Name != "truce_session" {
		t.Errorf("the session %s replaced by a login still works (%v)", first.Name, err)
	}
	lf := url.Values{"csrf": {c.csrf(t, "/review")}}
	if res, _ := c.do(t, "POST", "/logout", lf); res.StatusCode != 303 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if _, err := ap.InSession(session.Value).Who(t.Context()); err == nil {
		t.Error("the session works after logout")
	}
}

// Wrong passwords are limited per client address, as wrong tokens are:
// past the limit even the right one is turned away for a while.
func TestLoginLimited(t *testing.T) {
	// The clock stands still: under the race detector 25 password checks
	// can outlast the limiter's minute, which would then forget them.
	start := time.Now()
	base, ap := scenario(t, testdb.SQLite(t), func(c *server.Config) { c.Now = func() time.Time { return start } })
	users(t, ap)
	c := newClient(t, base)
	token := c.csrf(t, "/login")
	status := 0
	for range 25 {
		res, _ := c.do(t, "POST", "/login", url.Values{"csrf": {token}, "name": {"mo"}, "password": {"guess"}})
		if status = res.StatusCode; status != 401 {
			break
		}
	}
	if status != 429 {
		t.Fatalf("after repeated wrong passwords: %d, want 429", status)
	}
	res, body := c.do(t, "POST", "/login", url.Values{"csrf": {token}, "name": {"mo"}, "password": {"mo's password"}})
	if res.StatusCode != 429 || !strings.Contains(body, "too many failed authentications") {
		t.Errorf("the right password while limited: %d\n%.500s", res.StatusCode, body)
	}
}
