package store

import (
	"context"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
)

// Session is a dashboard login: a user signed in with their password,
// known by the cookie's token. Only the token's hash is stored, so a copy
// of the database holds no session a browser could use.
type Session struct {
	// Hash is the hex SHA-256 of the session token (auth.HashToken).
	Hash      string
	User      string
	CreatedAt time.Time
	// SeenAt is when the session was last used: the idle timeout counts
	// from it.
	SeenAt time.Time
	// ExpiresAt is the session's absolute end, however much it is used.
	ExpiresAt time.Time
}

// Sessions keeps dashboard sessions. Logging in and out changes no
// record of the monitoring and is not audited (the audit log records
// changes, as for API tokens' use).
type Sessions interface {
	// CreateSession stores s: ErrNotFound if its user does not exist,
	// ErrInvalid if the hash is not hex SHA-256, ErrExists if it is stored.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns the session with this hash and its user,
	// disabled or not (the caller decides), expired or not (the caller
	// holds the clock and the timeouts), or ErrNotFound.
	SessionByHash(ctx context.Context, hash string) (Session, auth.User, error)
	// TouchSession sets the session's SeenAt (extending its idle timeout),
	// or ErrNotFound.
	TouchSession(ctx context.Context, hash string, seenAt time.Time) error
	// DeleteSession ends a session; ending one that is not stored does
	// nothing.
	DeleteSession(ctx context.Context, hash string) error
	// PurgeSessions deletes the sessions that expired by now or were last
	// seen before idleSince, and returns how many.
	PurgeSessions(ctx context.Context, now, idleSince time.Time) (int, error)
}
