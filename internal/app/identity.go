package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// LocalActor is who acts on a store with no users: whoever holds the
// database, as in the demo or on a journalist's laptop. Changes are
// recorded under this name.
const LocalActor = "local"

// Actor is who a use case acts for.
type Actor struct {
	Name string
	Role vocab.Role
	// Local: the store has no users; the holder of the database acts, and
	// may do and see everything.
	Local bool
}

// SeesUnpublished reports whether the actor sees subjects that are not yet
// published (see docs/review.md): everyone but viewers.
func (a Actor) SeesUnpublished() bool {
	return a.Local || auth.Permitted(a.Role, auth.ReadUnpublished)
}

// Errors that say why a token was refused. They wrap ErrUnauthenticated;
// adapters add how to get a token.
var (
	ErrNoToken        error = tokenError("no token given")
	ErrUnknownToken   error = tokenError("the token is not valid for this database: it may be revoked, mistyped or for another database")
	ErrMalformedToken error = tokenError("the token does not look like a truce token (" + auth.TokenPrefix + " followed by 64 hex digits)")
)

type tokenError string

func (e tokenError) Error() string        { return string(e) }
func (e tokenError) Is(target error) bool { return target == ErrUnauthenticated }

// DisabledError: the token's user is disabled; no use case acts for them.
type DisabledError struct{ User string }

func (e *DisabledError) Error() string {
	return fmt.Sprintf("%v: user %q is disabled", auth.ErrDenied, e.User)
}
func (e *DisabledError) Is(target error) bool { return target == auth.ErrDenied }

// users reports whether the store has users: without any, it is
// single-user and nothing asks for a token.
func (a *App) users(ctx context.Context) (bool, error) {
	n, err := a.st.CountUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n > 0, nil
}

// tokenUser is the enabled user whose token the caller showed.
func (a *App) tokenUser(ctx context.Context) (auth.User, error) {
	token := strings.TrimSpace(a.token)
	if token == "" {
		return auth.User{}, ErrNoToken
	}
	if !auth.LooksLikeToken(token) {
		return auth.User{}, ErrMalformedToken
	}
	u, err := a.st.UserByToken(ctx, auth.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return auth.User{}, ErrUnknownToken
	}
	if err != nil {
		return auth.User{}, fmt.Errorf("identify the token's user: %w", err)
	}
	if u.Disabled {
		return auth.User{}, &DisabledError{User: u.Name}
	}
	return u, nil
}

// Who returns who the caller is: the local actor on a store without users,
// else the user of their session (InSession) or token, which must be
// valid.
func (a *App) Who(ctx context.Context) (Actor, error) {
	if a.pinned != nil {
		return *a.pinned, nil
	}
	has, err := a.users(ctx)
	if err != nil {
		return Actor{}, err
	}
	if !has {
		return Actor{Name: LocalActor, Role: vocab.RoleAdmin, Local: true}, nil
	}
	var u auth.User
	if a.session != "" {
		u, err = a.sessionUser(ctx)
	} else {
		u, err = a.tokenUser(ctx)
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{Name: u.Name, Role: u.Role}, nil
}

// actor returns who does action: the local actor on a store without
// users, else the user of the caller's token if their role may do it.
// Every use case that changes the store asks it first.
func (a *App) actor(ctx context.Context, action auth.Action) (Actor, error) {
	who, err := a.Who(ctx)
	if err != nil || who.Local {
		return who, err
	}
	if err := auth.Allow(auth.User{Name: who.Name, Role: who.Role}, action); err != nil {
		return Actor{}, err
	}
	return who, nil
}

// Authorize returns who the caller is if they may do action (the local
// actor on a store without users): what an adapter asks before a route or
// command whose use case will ask again.
func (a *App) Authorize(ctx context.Context, action auth.Action) (Actor, error) {
	return a.actor(ctx, action)
}
