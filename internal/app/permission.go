package app

import (
	"context"

	"github.com/truce-monitor/truce/internal/auth"
)

// May returns who the caller is if they may do action, as every use case
// that changes the store asks first: for an adapter that runs several use
// cases in a row (the demo) and wants to ask once, before anything.
func (a *App) May(ctx context.Context, action auth.Action) (Actor, error) {
	return a.actor(ctx, action)
}
