// Package auth holds who may do what in truce: password and token hashing
// and the permissions of each role.
package auth

import (
	"errors"

	"github.com/truce-monitor/truce/internal/store"
)

// TODO(scaffold): replaced by the implementation.
var errTODO = errors.New("auth: not implemented yet")

// Action is something a role may be permitted to do.
type Action string

const (
	ManageUsers     Action = "manage users"
	Review          Action = "review"           // move findings and incidents through the workflow
	AddEvidence     Action = "add evidence"     // attach evidence items
	EditIncidents   Action = "edit incidents"   // build, join, split
	Import          Action = "import"           // ingest, evaluate
	ReadUnpublished Action = "read unpublished" // see items not yet published
)

// ErrDenied is wrapped by Allow's errors.
var ErrDenied = errors.New("permission denied")

// Allow returns nil if u may do a, or an error wrapping ErrDenied that says
// why (disabled user, role lacking the permission).
func Allow(u store.User, a Action) error { return errTODO }

// HashPassword returns a PHC string of password under argon2id.
func HashPassword(password string) (string, error) { return "", errTODO }

// CheckPassword reports whether password matches the PHC string hash.
func CheckPassword(hash, password string) (bool, error) { return false, errTODO }

// NewToken returns a fresh random API token.
func NewToken() (string, error) { return "", errTODO }

// HashToken is what the store keeps of a token: hex SHA-256.
func HashToken(token string) string { return "" }
