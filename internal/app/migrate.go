package app

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/internal/store"
)

// Migration is what Migrate did: the schema version before and after.
type Migration struct {
	Backend string `json:"backend"`
	From    int    `json:"from"`
	To      int    `json:"to"`
}

// Migrate brings the database to this truce's schema. Opening a store
// migrates already; this reports what that did, for 'truce migrate'.
func (a *App) Migrate(ctx context.Context) (Migration, error) {
	m, ok := a.st.(store.Migrator)
	if !ok {
		return Migration{}, fmt.Errorf("%s store has no versioned schema", a.st.Backend())
	}
	from, to, err := m.Migrate(ctx)
	if err != nil {
		return Migration{}, err
	}
	return Migration{Backend: a.st.Backend(), From: from, To: to}, nil
}
