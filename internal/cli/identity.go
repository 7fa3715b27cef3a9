package cli

import (
	"context"
	"errors"

	"github.com/truce-monitor/truce/internal/store"
)

// currentUser is the user the command acts as, identified by the API token
// in TRUCE_TOKEN. TODO(scaffold): replaced by the implementation.
func (a *app) currentUser(ctx context.Context, st store.Store) (store.User, error) {
	return store.User{}, errors.New("identity: not implemented yet")
}
