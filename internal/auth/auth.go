// Package auth holds who may do what in truce: password and token hashing
// and the permissions of each role.
package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/store"
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
func Permitted(role string, a Action) bool {
	switch role {
	case store.RoleAdmin:
		return slices.Contains(Actions(), a)
	case store.RoleMonitor:
		return a == Review || a == AddEvidence || a == EditIncidents || a == ReadUnpublished
	case store.RoleAnalyst:
		return a == Import || a == AddEvidence || a == EditIncidents || a == ReadUnpublished
	default:
		return false
	}
}

// RolesFor returns the roles that may do a, most trusted first.
func RolesFor(a Action) []string {
	var roles []string
	for _, r := range store.Roles() {
		if Permitted(r, a) {
			roles = append(roles, r)
		}
	}
	return roles
}

// Allow returns nil if u may do a, or an error wrapping ErrDenied that says
// why (disabled user, role lacking the permission).
func Allow(u store.User, a Action) error {
	if u.Disabled {
		return fmt.Errorf("%w: user %q is disabled (an admin can run 'truce user enable %s')", ErrDenied, u.Name, u.Name)
	}
	if Permitted(u.Role, a) {
		return nil
	}
	return fmt.Errorf("%w: %s %q may not %s (roles that may: %s)",
		ErrDenied, u.Role, u.Name, a, strings.Join(RolesFor(a), ", "))
}
