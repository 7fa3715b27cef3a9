package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// ParseRole returns the role named s, or an error listing the roles.
func ParseRole(s string) (vocab.Role, error) {
	r, err := vocab.Parse("role", s, vocab.Roles())
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidUser, err)
	}
	return r, nil
}

// User is a person who acts on the store.
type User struct {
	Name string     `json:"name"`
	Role vocab.Role `json:"role"`
	// PasswordHash is a PHC string of a memory-hard KDF (argon2id, see
	// HashPassword); empty when no password is set.
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
	// Hash is the hex SHA-256 of the token (HashToken).
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// ErrInvalidUser is wrapped by the errors of CheckUserName and ParseRole.
var ErrInvalidUser = errors.New("invalid user")

// maxUserName bounds user names, which appear in audit subjects and tables.
const maxUserName = 64

// CheckUserName returns an error wrapping ErrInvalidUser unless name is 1
// to 64 letters, digits and '.', '_', '-', '@', starting with a letter or
// digit: names appear in audit subjects ("user/NAME") and command lines,
// where spaces, slashes or quotes would make them ambiguous.
func CheckUserName(name string) error {
	if name == "" || len(name) > maxUserName {
		return fmt.Errorf("%w: user name %q must be 1 to %d characters", ErrInvalidUser, name, maxUserName)
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || (r != '.' && r != '_' && r != '-' && r != '@')) {
			return fmt.Errorf("%w: user name %q: use letters, digits and . _ - @, starting with a letter or digit", ErrInvalidUser, name)
		}
	}
	return nil
}
