package sqlstore

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/internal/store"
)

// Unchanged says which of recs are stored as they are, and counts them.
// A table that had no record of the source when the batch began can hold
// none of them unchanged but for keys this batch wrote, which merge looks
// up anyway: it is asked once, then no more.
func (im *Importer) Unchanged(ctx context.Context, recs []store.RecordKey) ([]bool, error) {
	if err := im.usable(); err != nil {
		return nil, err
	}
	same := make([]bool, len(recs))
	var ask [2][]int // indexes into recs, by table: events, claims
	for i, r := range recs {
		slot, t := eventsChunk, eventsTable
		if r.Claim {
			slot, t = claimsChunk, claimsTable
		}
		if !im.newSource[t] {
			ask[slot] = append(ask[slot], i)
		}
	}
	if len(ask[eventsChunk]) == 0 && len(ask[claimsChunk]) == 0 {
		return same, nil
	}
	var fresh []*Table // tables found to have had no record of the source
	err := im.run(ctx, func(ctx context.Context) error {
		for slot, t := range []*Table{eventsTable, claimsTable} {
			if len(ask[slot]) == 0 {
				continue
			}
			if !im.prepared[t] {
				if err := im.prepare(ctx, t); err != nil {
					return fmt.Errorf("prepare %s: %w", t.name, err)
				}
			}
			if im.ownKeys[t] != nil {
				fresh = append(fresh, t)
				continue
			}
			// A key given twice is left to the writer, which applies
			// each occurrence in turn.
			ids := make([]string, 0, len(ask[slot]))
			at := make(map[string]int, len(ids))
			for _, i := range ask[slot] {
				id := recs[i].SourceID
				if _, dup := at[id]; dup {
					at[id] = -1
					continue
				}
				at[id] = i
				ids = append(ids, id)
			}
			err := im.tx.Stored(ctx, t, im.meta.Source, ids, func(id, hash string, deleted bool) {
				if i, ok := at[id]; ok && i >= 0 && !deleted && hash == recs[i].Hash {
					same[i] = true
				}
			})
			if err != nil {
				return fmt.Errorf("look up %d %s: %w", len(ids), t.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import of %s: %w", im.name(), err)
	}
	for _, t := range fresh {
		im.newSource[t] = true
	}
	for _, s := range same {
		if s {
			im.added++
		}
	}
	return same, nil
}
