// Package auth holds who may do what in truce: password and token hashing
// and the permissions of each role.
package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/vocab"
)

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

// Actions returns every action, for listings and tests.
func Actions() []Action {
	return []Action{ManageUsers, Review, AddEvidence, EditIncidents, Import, ReadUnpublished}
}

// ErrDenied is wrapped by Allow's errors.
var ErrDenied = errors.New("permission denied")

// Permitted reports whether role may do a. An admin may do everything; a
// viewer nothing but read published items, which needs no permission. A
// monitor judges (Review) and an analyst proposes (Import); both work on
// evidence and incidents and see what is not yet published. An unknown
// role may do nothing.
func Permitted(role vocab.Role, a Action) bool {
	switch role {
	case vocab.RoleAdmin:
		return slices.Contains(Actions(), a)
	case vocab.RoleMonitor:
		return a == Review || a == AddEvidence || a == EditIncidents || a == ReadUnpublished
	case vocab.RoleAnalyst:
		return a == Import || a == AddEvidence || a == EditIncidents || a == ReadUnpublished
	default:
		return false
	}
}

// RolesFor returns the roles that may do a, most trusted first.
func RolesFor(a Action) []vocab.Role {
	var roles []vocab.Role
	for _, r := range vocab.Roles() {
		if Permitted(r, a) {
			roles = append(roles, r)
		}
	}
	return roles
}

// Allow returns nil if u may do a, or an error wrapping ErrDenied that says
// why (disabled user, role lacking the permission).
func Allow(u User, a Action) error {
	if u.Disabled {
		return fmt.Errorf("%w: user %q is disabled", ErrDenied, u.Name)
	}
	if Permitted(u.Role, a) {
		return nil
	}
	return fmt.Errorf("%w: %s %q may not %s (roles that may: %s)",
		ErrDenied, u.Role, u.Name, a, joinRoles(RolesFor(a)))
}

func joinRoles(rs []vocab.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
