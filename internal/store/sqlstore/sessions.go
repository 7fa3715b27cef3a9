package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Sessions = (*Store)(nil)

// CreateSession stores a session for an existing user.
func (s *Store) CreateSession(ctx context.Context, ss store.Session) error {
	fail := func(err error) error { return fmt.Errorf("create a session for %q: %w", ss.User, err) }
	if b, err := hex.DecodeString(ss.Hash); err != nil || len(b) != 32 {
		return fail(fmt.Errorf("%w: session hash is not hex SHA-256", store.ErrInvalid))
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.rebind("SELECT 1 FROM users WHERE name = ?"), ss.User).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fail(fmt.Errorf("no such user: %w", store.ErrNotFound))
		}
		if err != nil {
			return fail(fmt.Errorf("look up user: %w", err))
		}
		res, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO sessions (hash, user_name, created_at, seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`),
			ss.Hash, ss.User, timeArg(ss.CreatedAt), timeArg(ss.SeenAt), timeArg(ss.ExpiresAt))
		if err != nil {
			return fail(fmt.Errorf("insert: %w", err))
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fail(fmt.Errorf("session hash: %w", store.ErrExists))
		}
		return nil
	})
}

// SessionByHash returns a session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash string) (store.Session, auth.User, error) {
	var ss store.Session
	var u auth.User
	err := s.queryRow(ctx, `SELECT s.hash, s.user_name, s.created_at, s.seen_at, s.expires_at,
			u.name, u.role, u.password_hash, u.disabled, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.hash = ?`, hash).Scan(
		&ss.Hash, &ss.User, timeDest{&ss.CreatedAt}, timeDest{&ss.SeenAt}, timeDest{&ss.ExpiresAt},
		&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Session{}, auth.User{}, fmt.Errorf("session: %w", err)
	}
	return ss, u, nil
}

// TouchSession records a session's use.
func (s *Store) TouchSession(ctx context.Context, hash string, seenAt time.Time) error {
	res, err := s.db.ExecContext(ctx, s.rebind("UPDATE sessions SET seen_at = ? WHERE hash = ?"), timeArg(seenAt), hash)
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("touch session: %w", store.ErrNotFound)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE hash = ?"), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// PurgeSessions deletes expired and idle sessions.
func (s *Store) PurgeSessions(ctx context.Context, now, idleSince time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, s.rebind("DELETE FROM sessions WHERE expires_at <= ? OR seen_at < ?"), timeArg(now), timeArg(idleSince))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
