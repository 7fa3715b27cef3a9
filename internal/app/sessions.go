package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
)

// A dashboard session ends after SessionIdle without use, and at the
// latest SessionLifetime after its login, however much it is used.
const (
	SessionIdle     = 12 * time.Hour
	SessionLifetime = 7 * 24 * time.Hour
	// touchEvery: a session's use is written down at most this often, so
	// that a page's requests do not each write to the store.
	touchEvery = time.Minute
)

// Errors of logging in and of sessions. They wrap ErrUnauthenticated.
var (
	// ErrBadLogin says no more than that: whether the user exists or has a
	// password is not for whoever is guessing.
	ErrBadLogin error = tokenError("wrong user name or password")
	// ErrSessionEnded: the session timed out, was logged out or never was.
	ErrSessionEnded error = tokenError("your session has ended: sign in again")
)

// ErrNoUsers: a store without users has no one to log in as; its holder
// acts without logging in.
var ErrNoUsers = errors.New("this database has no users: nothing to sign in to, the pages are open to whoever runs the server")

// Session is a login: the token the browser keeps (in a cookie), whose
// SHA-256 alone the store keeps.
type Session struct {
	Token     string
	User      Actor
	ExpiresAt time.Time // the absolute end; the idle timeout may come first
}

// InSession returns a copy of a acting for the user of the session token
// ("" for none), as As does for an API token.
func (a *App) InSession(token string) *App {
	b := *a
	b.token, b.session, b.pinned = "", token, nil
	return &b
}

// Login checks user name's password and opens a session for them. An
// unknown user, one without a password and a wrong password are alike
// ErrBadLogin, and take alike long; a disabled user is refused after
// the password is checked. Logins are not audited: they change nothing
// of the monitoring's record.
func (a *App) Login(ctx context.Context, name, password string) (Session, error) {
	has, err := a.users(ctx)
	if err != nil {
		return Session{}, err
	}
	if !has {
		return Session{}, withKind(KindInvalid, ErrNoUsers)
	}
	u, err := a.st.GetUser(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Session{}, fmt.Errorf("log in: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = decoyHash()
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil {
		return Session{}, fmt.Errorf("log in as %q: %w", name, err)
	}
	if !ok || u.PasswordHash == "" || password == "" {
		return Session{}, ErrBadLogin
	}
	if u.Disabled {
		return Session{}, &DisabledError{User: u.Name}
	}
	now := a.now()
	// Sessions long over go as new ones come.
	if _, err := a.st.PurgeSessions(ctx, now, now.Add(-SessionIdle)); err != nil {
		return Session{}, err
	}
	token, err := auth.NewToken()
	if err != nil {
		return Session{}, err
	}
	s := store.Session{Hash: auth.HashToken(token), User: u.Name, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := a.st.CreateSession(ctx, s); err != nil {
		return Session{}, fmt.Errorf("log in as %q: %w", name, err)
	}
	return Session{Token: token, User: Actor{Name: u.Name, Role: u.Role}, ExpiresAt: s.ExpiresAt}, nil
}

// Logout ends the session of token; ending one already ended does
// nothing.
func (a *App) Logout(ctx context.Context, token string) error {
	if strings.TrimSpace(token) == "" {
		return nil
	}
	return a.st.DeleteSession(ctx, auth.HashToken(token))
}

// sessionUser is the enabled user of the caller's session, if it has not
// ended; its use extends its idle timeout.
func (a *App) sessionUser(ctx context.Context) (auth.User, error) {
	hash := auth.HashToken(a.session)
	s, u, err := a.st.SessionByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return auth.User{}, ErrSessionEnded
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("identify the session's user: %w", err)
	}
	now := a.now()
	if !now.Before(s.ExpiresAt) || now.Sub(s.SeenAt) >= SessionIdle {
		if err := a.st.DeleteSession(ctx, hash); err != nil {
			return auth.User{}, err
		}
		return auth.User{}, ErrSessionEnded
	}
	if u.Disabled {
		return auth.User{}, &DisabledError{User: u.Name}
	}
	if now.Sub(s.SeenAt) >= touchEvery {
		if err := a.st.TouchSession(ctx, hash, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return auth.User{}, err
		}
	}
	return u, nil
}

// decoyHash is a password hash no password is known for, checked for a
// user without one so that the answer takes as long as for a user with.
var decoyHash = sync.OnceValue(func() string {
	token, err := auth.NewToken()
	if err == nil {
		var h string
		if h, err = auth.HashPassword(token); err == nil {
			return h
		}
	}
	panic(fmt.Sprintf("decoy password hash: %v", err)) // crypto/rand failed
})
