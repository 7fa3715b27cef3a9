package server

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Every route of the table, for every kind of caller: the cells follow
// from the route's declared access and auth.Permitted, so a route added to
// the table is tested here without a line more. A cell is "refused" (401
// or 403, as the identity says) or "admitted" (anything else: the use case
// may still answer 400 or 404 for the placeholder values).
func TestRouteRoleMatrix(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		st, err := backend.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		srv, err := New(t.Context(), Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), AuthFailures: -1,
			JobPoll: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		// The jobs the cells queue run, so that a job's event stream ends.
		go srv.startRunners(t.Context())
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		c := &client{t: t, base: hs.URL}

		var added struct{ Token struct{ Token string } }
		c.do("POST", "/api/v1/users", map[string]string{"name": "admin1", "role": "admin"}, 201, &added)
		admin := c.as(added.Token.Token)
		tokens := map[string]string{"admin": added.Token.Token}
		for _, r := range []vocab.Role{vocab.RoleMonitor, vocab.RoleAnalyst, vocab.RoleViewer} {
			admin.do("POST", "/api/v1/users", map[string]string{"name": string(r) + "1", "role": string(r)}, 201, &added)
			tokens[string(r)] = added.Token.Token
		}
		// A revoked token, and a disabled user's.
		admin.do("POST", "/api/v1/users", map[string]string{"name": "gone", "role": "admin"}, 201, &added)
		revoked := added.Token.Token
		var list struct{ Tokens []struct{ ID int64 } }
		admin.do("GET", "/api/v1/users/gone/tokens", nil, 200, &list)
		admin.do("DELETE", "/api/v1/users/gone/tokens/"+itoa(list.Tokens[0].ID), nil, 204, nil)
		admin.do("POST", "/api/v1/users", map[string]string{"name": "off", "role": "admin"}, 201, &added)
		disabled := added.Token.Token
		admin.do("POST", "/api/v1/users/off/disable", map[string]string{"reason": "matrix"}, 200, nil)

		type caller struct {
			name, token string
			role        vocab.Role // "" for the unauthenticated ones
			want        int        // the refusal every route gives it, 0 if none
		}
		callers := []caller{
			{"no token", "", "", 401},
			{"bad token", "truce_" + strings.Repeat("7", 64), "", 401},
			{"revoked", revoked, "", 401},
			{"disabled", disabled, "", 403},
		}
		for _, r := range vocab.Roles() {
			callers = append(callers, caller{name: string(r), token: tokens[string(r)], role: r})
		}
		cells := 0
		for _, rt := range srv.routeTable() {
			for _, who := range callers {
				for _, self := range []bool{false, true} {
					if self && !strings.Contains(rt.Pattern, "{name}") {
						continue
					}
					path := rt.Pattern
					name := "gone" // someone else
					if self && who.role != "" {
						name = string(who.role) + "1"
					}
					path = strings.NewReplacer("{name}", name, "{id}", "1", "{kind}", "finding", "{version}", "1").Replace(path)
					want := who.want
					if want == 0 && rt.Access.Action != "" && !auth.Permitted(who.role, rt.Access.Action) &&
						!(rt.Access.Self && self) {
						want = 403
					}
					got := status(t, c.as(who.token), rt.Method, path)
					cells++
					switch {
					case want != 0 && got != want:
						t.Errorf("%s %s as %s: %d, want %d", rt.Method, path, who.name, got, want)
					case want == 0 && (got == 401 || got == 403 || got == 429 || got >= 500):
						t.Errorf("%s %s as %s: %d, want it admitted", rt.Method, path, who.name, got)
					}
				}
			}
		}
		t.Logf("%d routes x %d callers: %d cells", len(srv.routeTable()), len(callers), cells)
	})
}

// status sends a request with an empty JSON object as body (for routes
// that read one) and returns the status.
func status(t *testing.T, c *client, method, path string) int {
	t.Helper()
	req, err := newRequest(method, c.base+path, "{}")
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkResponse(t, req, resp.StatusCode, resp.Header, raw)
	return resp.StatusCode
}
