package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// PartyName is a party of the stored agreements.
type PartyName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Parties are the parties of the latest version of every stored agreement,
// by id, each once: what a page offers to filter by, and the stable order
// it colours parties in, whatever a filter leaves.
func (a *App) Parties(ctx context.Context) ([]PartyName, error) {
	versions, err := a.st.ListAgreements(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []PartyName{}
	for _, v := range versions {
		ag, err := parseStored(v, strictyaml.DefaultLimits())
		if err != nil {
			return nil, err
		}
		for _, p := range ag.Parties {
			if !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, PartyName{ID: p.ID, Name: p.Name})
			}
		}
	}
	slices.SortFunc(out, func(x, y PartyName) int { return cmp.Compare(x.ID, y.ID) })
	return out, nil
}
