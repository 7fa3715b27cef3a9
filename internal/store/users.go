package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/truce-monitor/truce/internal/auth"
)

// ErrExists means a record with that name or key is already stored.
var ErrExists = errors.New("already exists")

// CheckUserName returns an error wrapping ErrInvalid (and
// auth.ErrInvalidUser) unless name is a valid user name.
func CheckUserName(name string) error {
	if err := auth.CheckUserName(name); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// Users keeps users and their tokens. Every change is written with its
// audit entry (actor: by) in one transaction.
type Users interface {
	// AddUser stores a new user: ErrExists if the name is taken,
	// ErrInvalid for an unknown role or a name CheckUserName refuses.
	AddUser(ctx context.Context, u auth.User, by string) (auth.User, error)
	// AddFirstUser adds u, an admin acting as itself, if and only if the
	// store has no user yet, else ErrConflict: the bootstrap of a new store,
	// safe against a second bootstrap running at the same moment.
	AddFirstUser(ctx context.Context, u auth.User) (auth.User, error)
	// GetUser returns a user, disabled or not, or ErrNotFound.
	GetUser(ctx context.Context, name string) (auth.User, error)
	// ListUsers returns every user by name.
	ListUsers(ctx context.Context) ([]auth.User, error)
	// CountUsers counts users, disabled ones included: zero means the
	// store is new and its first admin may be created without a token.
	CountUsers(ctx context.Context) (int, error)
	// SetUserDisabled disables or re-enables a user, or ErrNotFound.
	SetUserDisabled(ctx context.Context, name string, disabled bool, by, reason string) error
	// SetUserPassword replaces a user's password hash, or ErrNotFound.
	SetUserPassword(ctx context.Context, name, passwordHash, by string) error
	// AddToken stores a token hash for an existing user (ErrNotFound
	// otherwise) and returns it with its id: ErrExists if the hash is
	// already stored, ErrInvalid if it is not hex SHA-256.
	AddToken(ctx context.Context, t auth.APIToken, by string) (auth.APIToken, error)
	// ListTokens returns a user's tokens, revoked ones included, oldest
	// first (without their hashes), or ErrNotFound for an unknown user.
	ListTokens(ctx context.Context, user string) ([]auth.APIToken, error)
	// RevokeToken revokes a user's token by id: it stops working at once
	// and stays listed. ErrNotFound if the user has no such token; revoking
	// a revoked token does nothing.
	RevokeToken(ctx context.Context, user string, id int64, by string) error
	// UserByToken returns the user of the unrevoked token with this hash,
	// disabled or not (the caller decides), or ErrNotFound.
	UserByToken(ctx context.Context, hash string) (auth.User, error)
}
