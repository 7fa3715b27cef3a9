package app_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store/backend"
)

// clock is a settable time for an App.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sessionApp is an App on a new store with an admin (root, password
// "root pass") and a monitor (mo, "mo pass"), and its clock.
func sessionApp(t *testing.T) (*app.App, *clock, string) {
	t.Helper()
	st, err := backend.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	a := app.New(st, app.Options{Now: c.now})
	if _, err := a.Login(t.Context(), "root", "x"); !errors.Is(err, app.ErrNoUsers) || app.KindOf(err) != app.KindInvalid {
		t.Errorf("login on a store without users: %v", err)
	}
	root, err := a.AddUser(t.Context(), app.NewUser{Name: "root", Role: "admin", Password: "root pass"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.As(root.Token).AddUser(t.Context(), app.NewUser{Name: "mo", Role: "monitor", Password: "mo pass"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.As(root.Token).AddUser(t.Context(), app.NewUser{Name: "nopass", Role: "viewer"}); err != nil {
		t.Fatal(err)
	}
	return a, c, root.Token
}

func TestLogin(t *testing.T) {
	ctx := t.Context()
	a, c, _ := sessionApp(t)
	for _, bad := range []struct{ name, password string }{
		{"mo", "wrong"}, {"mo", ""}, {"nobody", "mo pass"}, {"nopass", ""}, {"nopass", "x"},
	} {
		_, err := a.Login(ctx, bad.name, bad.password)
		if !errors.Is(err, app.ErrBadLogin) || app.KindOf(err) != app.KindUnauthenticated {
			t.Errorf("login %q/%q: %v; want ErrBadLogin", bad.name, bad.password, err)
		}
	}
	s, err := a.Login(ctx, "mo", "mo pass")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.LooksLikeToken(s.Token) || s.User.Name != "mo" || s.User.Role != "monitor" || !s.ExpiresAt.Equal(c.now().Add(app.SessionLifetime)) {
		t.Errorf("session %+v", s)
	}
	who, err := a.InSession(s.Token).Who(ctx)
	if err != nil || who.Name != "mo" || who.Local {
		t.Errorf("the session's user: %+v, %v", who, err)
	}
	// A session token is not an API token, nor the other way round.
	if _, err := a.As(s.Token).Who(ctx); !errors.Is(err, app.ErrUnknownToken) {
		t.Errorf("a session token as an API token: %v", err)
	}
	if _, err := a.InSession("truce_nope").Who(ctx); !errors.Is(err, app.ErrSessionEnded) {
		t.Errorf("an unknown session: %v", err)
	}
	if err := a.Logout(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := a.InSession(s.Token).Who(ctx); !errors.Is(err, app.ErrSessionEnded) || app.KindOf(err) != app.KindUnauthenticated {
		t.Errorf("after logout: %v", err)
	}
	if err := a.Logout(ctx, s.Token); err != nil {
		t.Errorf("logging out twice: %v", err)
	}
}

// A disabled user's session stops working at once, and they cannot log
// in again; enabled again, they can.
func TestSessionDisabledUser(t *testing.T) {
	ctx := t.Context()
	a, _, admin := sessionApp(t)
	s, err := a.Login(ctx, "mo", "mo pass")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.As(admin).SetUserDisabled(ctx, "mo", true, "left the team"); err != nil {
		t.Fatal(err)
	}
	var dis *app.DisabledError
	if _, err := a.InSession(s.Token).Who(ctx); !errors.As(err, &dis) || app.KindOf(err) != app.KindDenied {
		t.Errorf("a disabled user's session: %v", err)
	}
	if _, err := a.Login(ctx, "mo", "mo pass"); !errors.As(err, &dis) {
		t.Errorf("a disabled user's login: %v", err)
	}
	if _, err := a.Login(ctx, "mo", "wrong"); !errors.Is(err, app.ErrBadLogin) {
		t.Errorf("a disabled user's wrong password: %v (says nothing of the account)", err)
	}
	if err := a.As(admin).SetUserDisabled(ctx, "mo", false, ""); err != nil {
		t.Fatal(err)
	}
	if who, err := a.InSession(s.Token).Who(ctx); err != nil || who.Name != "mo" {
		t.Errorf("enabled again: %+v, %v", who, err)
	}
}

// A session ends after SessionIdle without use; use extends it, up to
// SessionLifetime after the login.
func TestSessionExpiry(t *testing.T) {
	ctx := t.Context()
	a, c, _ := sessionApp(t)
	idle, err := a.Login(ctx, "mo", "mo pass")
	if err != nil {
		t.Fatal(err)
	}
	used, err := a.Login(ctx, "root", "root pass")
	if err != nil {
		t.Fatal(err)
	}
	// Used every 11 hours, the session outlives the idle one...
	for i := range 20 {
		c.add(11 * time.Hour)
		_, err := a.InSession(used.Token).Who(ctx)
		if c.now().Before(used.ExpiresAt) && err != nil {
			t.Fatalf("a session used every 11 h, after %d h: %v", 11*(i+1), err)
		}
		if i == 1 {
			if _, err := a.InSession(idle.Token).Who(ctx); !errors.Is(err, app.ErrSessionEnded) {
				t.Errorf("a session idle for 22 h: %v", err)
			}
		}
		if !c.now().Before(used.ExpiresAt) {
			// ...but not its lifetime.
			if !errors.Is(err, app.ErrSessionEnded) {
				t.Errorf("a session used to the end of its lifetime (%v): %v", used.ExpiresAt, err)
			}
			break
		}
	}
	if c.now().Before(used.ExpiresAt) {
		t.Fatalf("the test did not reach the lifetime: %v < %v", c.now(), used.ExpiresAt)
	}
	// An idle session ends at SessionIdle exactly, not a minute later.
	s, err := a.Login(ctx, "mo", "mo pass")
	if err != nil {
		t.Fatal(err)
	}
	c.add(app.SessionIdle - time.Second)
	if _, err := a.InSession(s.Token).Who(ctx); err != nil {
		t.Errorf("a second before the idle timeout: %v", err)
	}
	c.add(app.SessionIdle)
	if _, err := a.InSession(s.Token).Who(ctx); !errors.Is(err, app.ErrSessionEnded) {
		t.Errorf("idle past the timeout: %v", err)
	}
}
