package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

var _ store.Users = (*Store)(nil)

const userColumns = "name, role, password_hash, disabled, created_at, updated_at"

// userSubject is how audit entries name a user.
func userSubject(name string) string { return "user/" + name }

// auditDetail is v as an audit entry's detail. It never holds secrets:
// callers pass only names, roles, labels and reasons.
func auditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps of strings and bools are passed: this cannot happen.
		panic(fmt.Sprintf("audit detail %#v: %v", v, err))
	}
	return b
}

// AddUser stores u with its audit entry, both or neither.
func (s *Store) AddUser(ctx context.Context, u auth.User, by string) (auth.User, error) {
	fail := func(err error) (auth.User, error) {
		return auth.User{}, fmt.Errorf("add user %q: %w", u.Name, err)
	}
	if err := store.CheckUserName(u.Name); err != nil {
		return fail(err)
	}
	if !slices.Contains(vocab.Roles(), u.Role) {
		return fail(fmt.Errorf("%w: unknown role %q (one of %v)", store.ErrInvalid, u.Role, vocab.Roles()))
	}
	now := dbTime(time.Now())
	u.CreatedAt, u.UpdatedAt = now, now
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.addUserTx(ctx, tx, u, by) }); err != nil {
		return fail(err)
	}
	return u, nil
}

// AddFirstUser adds u, as its own actor, only if the store has no user
// yet. The count and the insert run under the audit log's lock (or
// SQLite's write lock, taken at BEGIN), which every user change takes, so
// two first users cannot both be added.
func (s *Store) AddFirstUser(ctx context.Context, u auth.User) (auth.User, error) {
	fail := func(err error) (auth.User, error) {
		return auth.User{}, fmt.Errorf("add first user %q: %w", u.Name, err)
	}
	if u.Role != vocab.RoleAdmin {
		return fail(fmt.Errorf("%w: the first user must be an admin, not %s", store.ErrInvalid, u.Role))
	}
	if err := store.CheckUserName(u.Name); err != nil {
		return fail(err)
	}
	now := dbTime(time.Now())
	u.CreatedAt, u.UpdatedAt = now, now
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect.LockAudit != "" {
			if _, err := tx.ExecContext(ctx, s.dialect.LockAudit); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: the store has users already", store.ErrConflict)
		}
		return s.addUserTx(ctx, tx, u, u.Name)
	})
	if err != nil {
		return fail(err)
	}
	return u, nil
}

// addUserTx inserts u with its audit entry inside tx.
func (s *Store) addUserTx(ctx context.Context, tx *sql.Tx, u auth.User, by string) error {
	res, err := tx.ExecContext(ctx, s.rebind("INSERT INTO users ("+userColumns+") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"),
		u.Name, u.Role, u.PasswordHash, u.Disabled, timeArg(u.CreatedAt), timeArg(u.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("insert: %w", err)
	} else if n == 0 {
		return store.ErrExists
	}
	_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{
		Actor: by, Action: "user.add", Subject: userSubject(u.Name),
		Detail: auditDetail(map[string]any{"role": u.Role, "password": u.PasswordHash != "", "disabled": u.Disabled}),
	})
	return err
}

// GetUser returns one user, disabled or not.
func (s *Store) GetUser(ctx context.Context, name string) (auth.User, error) {
	u, err := scanUser(s.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]auth.User, error) {
	users, err := queryAll(ctx, s, scanUser, "SELECT "+userColumns+" FROM users ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// CountUsers counts users, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetUserDisabled disables or re-enables a user, with its audit entry.
func (s *Store) SetUserDisabled(ctx context.Context, name string, disabled bool, by, reason string) error {
	action, detail := "user.enable", map[string]any{}
	if disabled {
		action = "user.disable"
	}
	if reason != "" {
		detail["reason"] = reason
	}
	err := s.updateUser(ctx, name, "disabled = ?", disabled, store.AuditEntry{
		Actor: by, Action: action, Subject: userSubject(name), Detail: auditDetail(detail),
	})
	if err != nil {
		return fmt.Errorf("%s %q: %w", action, name, err)
	}
	return nil
}

// SetUserPassword replaces a user's password hash, with an audit entry
// that records the change but not the hash.
func (s *Store) SetUserPassword(ctx context.Context, name, passwordHash, by string) error {
	err := s.updateUser(ctx, name, "password_hash = ?", passwordHash, store.AuditEntry{
		Actor: by, Action: "user.password", Subject: userSubject(name),
		Detail: auditDetail(map[string]any{"password": passwordHash != ""}),
	})
	if err != nil {
		return fmt.Errorf("set password of user %q: %w", name, err)
	}
	return nil
}

// updateUser sets one column of a user and appends entry, in one
// transaction; ErrNotFound if there is no such user.
func (s *Store) updateUser(ctx context.Context, name, set string, value any, entry store.AuditEntry) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind("UPDATE users SET "+set+", updated_at = ? WHERE name = ?"),
			value, timeArg(time.Now()), name)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update: %w", err)
		} else if n == 0 {
			return store.ErrNotFound
		}
		_, err = s.appendAuditTx(ctx, tx, entry)
		return err
	})
}

// AddToken stores a token's hash for an existing user, with its audit
// entry (the label and id, never the hash).
func (s *Store) AddToken(ctx context.Context, t auth.APIToken, by string) (auth.APIToken, error) {
	fail := func(err error) (auth.APIToken, error) {
		return auth.APIToken{}, fmt.Errorf("add token for user %q: %w", t.User, err)
	}
	if b, err := hex.DecodeString(t.Hash); err != nil || len(b) != 32 {
		return fail(fmt.Errorf("%w: token hash is not hex SHA-256", store.ErrInvalid))
	}
	t.CreatedAt, t.RevokedAt = dbTime(time.Now()), time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.rebind("SELECT 1 FROM users WHERE name = ?"), t.User).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no such user: %w", store.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("look up user: %w", err)
		}
		err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO api_tokens (user_name, label, hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (hash) DO NOTHING RETURNING id`), t.User, t.Label, t.Hash, timeArg(t.CreatedAt)).Scan(&t.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("token hash: %w", store.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{
			Actor: by, Action: "token.add", Subject: userSubject(t.User),
			Detail: auditDetail(map[string]any{"token_id": t.ID, "label": t.Label}),
		})
		return err
	})
	if err != nil {
		return fail(err)
	}
	return t, nil
}

// ListTokens returns a user's tokens, oldest first.
func (s *Store) ListTokens(ctx context.Context, user string) ([]auth.APIToken, error) {
	if _, err := s.GetUser(ctx, user); err != nil {
		return nil, fmt.Errorf("list tokens of %q: %w", user, err)
	}
	out, err := queryAll(ctx, s, func(row scanner) (auth.APIToken, error) {
		var t auth.APIToken
		err := row.Scan(&t.ID, &t.User, &t.Label, timeDest{&t.CreatedAt}, timeDest{&t.RevokedAt})
		return t, err
	}, s.rebind("SELECT id, user_name, label, created_at, revoked_at FROM api_tokens WHERE user_name = ? ORDER BY id"), user)
	if err != nil {
		return nil, fmt.Errorf("list tokens of %q: %w", user, err)
	}
	return out, nil
}

// RevokeToken revokes a user's token, with its audit entry.
func (s *Store) RevokeToken(ctx context.Context, user string, id int64, by string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, s.rebind("SELECT CAST(revoked_at AS TEXT) FROM api_tokens WHERE id = ? AND user_name = ?"), id, user).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no token %d: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("look up token: %w", err)
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, s.rebind("UPDATE api_tokens SET revoked_at = ? WHERE id = ?"), timeArg(time.Now()), id); err != nil {
			return fmt.Errorf("revoke: %w", err)
		}
		_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{
			Actor: by, Action: "token.revoke", Subject: userSubject(user),
			Detail: auditDetail(map[string]any{"token_id": id}),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke token %d of %q: %w", id, user, err)
	}
	return nil
}

// UserByToken returns the user of an unrevoked token.
func (s *Store) UserByToken(ctx context.Context, hash string) (auth.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT u.name, u.role, u.password_hash, u.disabled, u.created_at, u.updated_at
		FROM api_tokens t JOIN users u ON u.name = t.user_name
		WHERE t.hash = ? AND t.revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		// The hash is not secret, but an error has no use for it.
		return auth.User{}, fmt.Errorf("user by token: %w", err)
	}
	return u, nil
}

func scanUser(row scanner) (auth.User, error) {
	var u auth.User
	err := row.Scan(&u.Name, &u.Role, &u.PasswordHash, &u.Disabled, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt})
	return u, err
}
