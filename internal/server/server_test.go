package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/testdb"
)

// client calls a test server as whoever's token it holds.
type client struct {
	t     *testing.T
	base  string
	token string
}

// do sends a request with a JSON body (if body is not nil), checks the
// status and decodes the answer into out (if not nil).
// raw GETs path, its answer not JSON to decode (a file, a page), checked
// against the OpenAPI document.
func (c *client) raw(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkResponse(c.t, req, resp.StatusCode, resp.Header, b)
	return resp, string(b)
}

func (c *client) do(method, path string, body any, status int, out any) http.Header {
	c.t.Helper()
	return c.doWith(method, path, body, nil, status, out)
}

// doRaw sends body as it is, with its content type.
func (c *client) doRaw(method, path, contentType string, body []byte, status int, out any) http.Header {
	c.t.Helper()
	return c.send(method, path, bytes.NewReader(body), map[string]string{"Content-Type": contentType}, status, out)
}

// doWith is do with request headers.
func (c *client) doWith(method, path string, body any, headers map[string]string, status int, out any) http.Header {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	return c.send(method, path, rd, headers, status, out)
}

func (c *client) send(method, path string, rd io.Reader, headers map[string]string, status int, out any) http.Header {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	checkResponse(c.t, req, resp.StatusCode, resp.Header, raw)
	if resp.StatusCode != status {
		c.t.Fatalf("%s %s: status %d, want %d: %.600s", method, path, resp.StatusCode, status, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return resp.Header
}

func (c *client) as(token string) *client { d := *c; d.token = token; return &d }

// start runs a server on a new database of dsn and returns a client.
func start(t *testing.T, dsn string) (*client, *Server) {
	t.Helper()
	st, err := backend.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(t.Context(), Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &client{t: t, base: hs.URL}, srv
}

type apiError struct {
	Error struct{ Kind, Message string }
}

func TestUsersAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c, _ := start(t, dsn)

		// A store without users: the holder acts, no token needed.
		var who struct {
			Name  string
			Local bool
		}
		c.do("GET", "/api/v1/whoami", nil, 200, &who)
		if who.Name != "local" || !who.Local {
			t.Errorf("whoami on a store without users: %+v", who)
		}
		var e apiError
		c.do("POST", "/api/v1/users", map[string]string{"name": "alice", "role": "viewer"}, 400, &e)
		if !strings.Contains(e.Error.Message, "first must be an admin") || e.Error.Kind != "invalid" {
			t.Errorf("first user as a viewer: %+v", e)
		}
		var added struct {
			Token struct{ Token string }
		}
		c.do("POST", "/api/v1/users", map[string]string{"name": "alice", "role": "admin"}, 201, &added)
		alice := c.as(added.Token.Token)

		// Now every route but health asks for a token.
		h := c.do("GET", "/api/v1/users", nil, 401, &e)
		if e.Error.Kind != "unauthenticated" || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("no token: %+v, WWW-Authenticate %q", e, h.Get("WWW-Authenticate"))
		}
		c.as("truce_"+strings.Repeat("0", 64)).do("GET", "/api/v1/users", nil, 401, nil)

		c.do("POST", "/api/v1/users", map[string]string{"name": "bob", "role": "viewer"}, 401, nil)
		alice.do("POST", "/api/v1/users", map[string]string{"name": "bob", "role": "viewer"}, 201, &added)
		bob := c.as(added.Token.Token)
		bob.do("POST", "/api/v1/users", map[string]string{"name": "carol", "role": "viewer"}, 403, &e)
		if e.Error.Kind != "denied" {
			t.Errorf("a viewer adding a user: %+v", e)
		}
		alice.do("POST", "/api/v1/users", map[string]string{"name": "bob", "role": "viewer"}, 409, nil)
		alice.do("POST", "/api/v1/users", map[string]string{"name": "dan", "role": "root"}, 400, nil)
		alice.do("POST", "/api/v1/users", map[string]any{"name": "dan", "role": "viewer", "admin": true}, 400, nil)

		var list struct{ Users []struct{ Name, Role string } }
		bob.do("GET", "/api/v1/users", nil, 200, &list)
		if len(list.Users) != 2 || list.Users[0].Name != "alice" || list.Users[1].Role != "viewer" {
			t.Errorf("users: %+v", list)
		}

		// Tokens: one's own, or an admin's for anyone.
		var tok struct{ Token string }
		bob.do("POST", "/api/v1/users/bob/tokens", map[string]string{"label": "laptop"}, 201, &tok)
		bob.do("GET", "/api/v1/users/alice/tokens", nil, 403, nil)
		var tokens struct{ Tokens []struct{ ID int64 } }
		alice.do("GET", "/api/v1/users/bob/tokens", nil, 200, &tokens)
		if len(tokens.Tokens) != 2 {
			t.Fatalf("bob's tokens: %+v", tokens)
		}
		bob.do("DELETE", "/api/v1/users/bob/tokens/99", nil, 404, nil)
		bob.do("DELETE", "/api/v1/users/bob/tokens/x", nil, 400, nil)
		last := tokens.Tokens[1].ID // the laptop's
		alice.do("DELETE", "/api/v1/users/bob/tokens/"+strconv.FormatInt(last, 10), nil, 204, nil)
		c.as(tok.Token).do("GET", "/api/v1/users", nil, 401, nil)

		// Disabling: the reason is required, and never oneself.
		alice.do("POST", "/api/v1/users/bob/disable", map[string]string{}, 400, nil)
		alice.do("POST", "/api/v1/users/alice/disable", map[string]string{"reason": "test"}, 403, nil)
		alice.do("POST", "/api/v1/users/bob/disable", map[string]string{"reason": "left"}, 200, nil)
		bob.do("GET", "/api/v1/users", nil, 403, &e)
		if !strings.Contains(e.Error.Message, `"bob" is disabled`) {
			t.Errorf("disabled user: %+v", e)
		}
		alice.do("POST", "/api/v1/users/nobody/enable", nil, 404, nil)
	})
}

func TestHealthMetricsAndErrors(t *testing.T) {
	c, _ := start(t, testdb.SQLite(t))
	var rd readiness
	c.do("GET", "/healthz", nil, 200, nil)
	c.do("GET", "/readyz", nil, 200, &rd)
	if !rd.Ready || rd.Backend != "sqlite" || rd.Schema == 0 {
		t.Errorf("readyz: %+v", rd)
	}
	var e apiError
	c.do("GET", "/api/v1/nothing", nil, 404, &e)
	if e.Error.Kind != "not found" {
		t.Errorf("unknown route: %+v", e)
	}
	c.do("DELETE", "/api/v1/users", nil, 405, nil)
	big := map[string]string{"name": strings.Repeat("a", 2<<20), "role": "admin"}
	c.do("POST", "/api/v1/users", big, 413, nil)

	resp, err := http.Get(c.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`truce_http_requests_total{code="200",method="GET",route="GET /readyz"} 1`,
		`truce_http_requests_total{code="404",method="GET",route="/api/"} 1`,
		`truce_http_request_duration_seconds_count{route="GET /healthz"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}

// A client that keeps failing to authenticate is turned away for a while,
// before its tokens are looked up.
func TestFailedAuthLimited(t *testing.T) {
	c, srv := start(t, testdb.SQLite(t))
	var added struct{ Token struct{ Token string } }
	c.do("POST", "/api/v1/users", map[string]string{"name": "alice", "role": "admin"}, 201, &added)
	bad := c.as("truce_" + strings.Repeat("1", 64))
	for range DefaultAuthFailures {
		bad.do("GET", "/api/v1/users", nil, 401, nil)
	}
	h := bad.do("GET", "/api/v1/users", nil, 429, nil)
	if h.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Even a good token from that address waits; the window ends it.
	c.as(added.Token.Token).do("GET", "/api/v1/users", nil, 429, nil)
	later := time.Now().Add(failureWindow + time.Second)
	srv.now = func() time.Time { return later }
	c.as(added.Token.Token).do("GET", "/api/v1/users", nil, 200, nil)
}

func TestSingleUserOnLoopbackOnly(t *testing.T) {
	_, srv := start(t, testdb.SQLite(t))
	if err := srv.checkExposure(t.Context(), &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}); err != ErrExposedSingleUser {
		t.Errorf("a store without users beyond loopback: %v", err)
	}
	if err := srv.checkExposure(t.Context(), &net.TCPAddr{IP: net.IPv6loopback, Port: 8080}); err != nil {
		t.Errorf("on loopback: %v", err)
	}
	srv.cfg.InsecureSingleUser = true
	if err := srv.checkExposure(t.Context(), &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}); err != nil {
		t.Errorf("with --insecure-single-user: %v", err)
	}
}

// A panic in a handler answers 500 and the server goes on.
func TestPanicRecovered(t *testing.T) {
	_, srv := start(t, testdb.SQLite(t))
	h := srv.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "internal error") {
		t.Errorf("panic: %d %s", rec.Code, rec.Body)
	}
}

// Serve stops accepting when its context ends and returns once requests in
// flight are done.
func TestGracefulShutdown(t *testing.T) {
	_, srv := start(t, testdb.SQLite(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	c := &client{t: t, base: "http://" + ln.Addr().String()}
	c.do("GET", "/healthz", nil, 200, nil)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := http.Get(c.base + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

var httpClient = http.DefaultClient

func newRequest(method, url, body string) (*http.Request, error) {
	return http.NewRequest(method, url, strings.NewReader(body))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A request its client cancelled is recorded as 499, not as a server error
// with its stack in the log.
func TestCancelledRequestIsNotAnError(t *testing.T) {
	_, srv := start(t, testdb.SQLite(t))
	var logged strings.Builder
	srv.log = slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/findings", nil).WithContext(ctx)
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != statusClientClosed {
		t.Errorf("a cancelled request: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(logged.String(), "level=ERROR") || !strings.Contains(logged.String(), "status=499") {
		t.Errorf("logged:\n%s", logged.String())
	}
}
