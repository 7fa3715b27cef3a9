package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrExists means a record with that name or key is already stored.
var ErrExists = errors.New("already exists")

// Roles, from most to least trusted.
const (
	RoleAdmin   = "admin"   // manages users; may do everything
	RoleMonitor = "monitor" // reviews: moves findings and incidents through the workflow
	RoleAnalyst = "analyst" // imports, evaluates, proposes: evidence, incident joins and splits
	RoleViewer  = "viewer"  // reads published items only
)

// Roles returns every role, as the schema's CHECK lists them.
func Roles() []string { return []string{RoleAdmin, RoleMonitor, RoleAnalyst, RoleViewer} }

// maxUserName bounds user names, which appear in audit subjects and tables.
const maxUserName = 64

// CheckUserName returns an error wrapping ErrInvalid unless name is 1 to 64
// letters, digits and '.', '_', '-', '@', starting with a letter or digit:
// names appear in audit subjects ("user/NAME") and command lines, where
// spaces, slashes or quotes would make them ambiguous.
func CheckUserName(name string) error {
	if name == "" || len(name) > maxUserName {
		return fmt.Errorf("%w: user name %q must be 1 to %d characters", ErrInvalid, name, maxUserName)
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || (r != '.' && r != '_' && r != '-' && r != '@')) {
			return fmt.Errorf("%w: user name %q: use letters, digits and . _ - @, starting with a letter or digit", ErrInvalid, name)
		}
	}
	return nil
}

// User is a person who acts on the store.
type User struct {
	Name string `json:"name"`
	Role string `json:"role"`
	// PasswordHash is a PHC string of a memory-hard KDF (argon2id, see
	// internal/auth); empty when no password is set.
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// APIToken is a token a user acts with. Only its hash is stored.
type APIToken struct {
	ID    int64  `json:"id"`
	User  string `json:"user"`
	Label string `json:"label"`
	// Hash is the hex SHA-256 of the token (internal/auth.HashToken).
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Users keeps users and their tokens. Every change is written with its
// audit entry (actor: by) in one transaction.
type Users interface {
	// AddUser stores a new user: ErrExists if the name is taken,
	// ErrInvalid for an unknown role or a name CheckUserName refuses.
	AddUser(ctx context.Context, u User, by string) (User, error)
	// AddFirstUser adds u, an admin acting as itself, if and only if the
	// store has no user yet, else ErrConflict: the bootstrap of a new store,
	// safe against a second bootstrap running at the same moment.
	AddFirstUser(ctx context.Context, u User) (User, error)
	// GetUser returns a user, disabled or not, or ErrNotFound.
	GetUser(ctx context.Context, name string) (User, error)
	// ListUsers returns every user by name.
	ListUsers(ctx context.Context) ([]User, error)
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
	AddToken(ctx context.Context, t APIToken, by string) (APIToken, error)
	// ListTokens returns a user's tokens, revoked ones included, oldest
	// first (without their hashes), or ErrNotFound for an unknown user.
	ListTokens(ctx context.Context, user string) ([]APIToken, error)
	// RevokeToken revokes a user's token by id: it stops working at once
	// and stays listed. ErrNotFound if the user has no such token; revoking
	// a revoked token does nothing.
	RevokeToken(ctx context.Context, user string, id int64, by string) error
	// UserByToken returns the user of the unrevoked token with this hash,
	// disabled or not (the caller decides), or ErrNotFound.
	UserByToken(ctx context.Context, hash string) (User, error)
}
