package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
)

// tokenEnv holds the API token a command acts with. An environment
// variable rather than a flag, so the token stays out of shell history and
// process listings.
const tokenEnv = "TRUCE_TOKEN"

// errNoToken and errUnknownToken say how to get a token; they are errors
// of their own so callers (user add's bootstrap) can tell them apart.
var (
	errNoToken      = errors.New(tokenEnv + " is not set: set it to your API token (an admin makes one with 'truce user add NAME --role ROLE' or 'truce user token NAME')")
	errUnknownToken = errors.New(tokenEnv + " is not a valid token for this database: it may be revoked, mistyped or for another database (an admin can make a new one with 'truce user token NAME')")
)

// currentUser is the user the command acts as, identified by the API token
// in TRUCE_TOKEN. A disabled user is refused here, so no command acts for
// one.
func (a *invocation) currentUser(ctx context.Context, st store.Store) (store.User, error) {
	token := strings.TrimSpace(a.env.Getenv(tokenEnv))
	if token == "" {
		return store.User{}, errNoToken
	}
	if !auth.LooksLikeToken(token) {
		return store.User{}, fmt.Errorf("%s does not look like a truce token (%s followed by 64 hex digits): copy it again from where you stored it", tokenEnv, auth.TokenPrefix)
	}
	u, err := st.UserByToken(ctx, auth.HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, errUnknownToken
	}
	if err != nil {
		return store.User{}, fmt.Errorf("identify the user of %s: %w", tokenEnv, err)
	}
	if u.Disabled {
		return store.User{}, fmt.Errorf("%w: user %q is disabled (an admin can run 'truce user enable %s')", auth.ErrDenied, u.Name, u.Name)
	}
	return u, nil
}

// localActor is who acts on a store that has no users yet: whoever holds
// the database file, as in the demo and on a journalist's laptop.
const localActor = "local"

// actorFor returns who does action. A store without users is run by one
// person, and needs no token; once it has users, the user of TRUCE_TOKEN
// acts, if their role may.
func (a *invocation) actorFor(ctx context.Context, st store.Store, action auth.Action) (string, error) {
	n, err := st.CountUsers(ctx)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return localActor, nil
	}
	u, err := a.requireUser(ctx, st, action)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// requireUser is currentUser that may also do action.
func (a *invocation) requireUser(ctx context.Context, st store.Store, action auth.Action) (store.User, error) {
	u, err := a.currentUser(ctx, st)
	if err != nil {
		return store.User{}, err
	}
	if err := auth.Allow(u, action); err != nil {
		return store.User{}, err
	}
	return u, nil
}
