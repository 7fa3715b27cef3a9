package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
)

// linkNoChange says why a split or join of a and b would change nothing,
// or "" when it would: the latest decision on the pair is already the same
// one; a split of records no incident holds together (no stored incident
// has both, and no join pins them); a join that attribution refuses (the
// build would not apply it).
func linkNoChange(ctx context.Context, st store.Store, a, b store.RecordRef, link bool) (string, error) {
	ds, err := st.ListLinkDecisions(ctx)
	if err != nil {
		return "", fmt.Errorf("read link decisions: %w", err)
	}
	var last *store.LinkDecision
	for i := range ds {
		d := &ds[i]
		if (d.A == a && d.B == b) || (d.A == b && d.B == a) {
			last = d
		}
	}
	name := map[bool]string{true: "joined", false: "split"}
	if last != nil && last.Link == link {
		return fmt.Sprintf("%s and %s are already %s (decision %d by %s at %s: %q)",
			refName(a), refName(b), name[link], last.ID, last.By, last.At.UTC().Format(time.RFC3339), last.Reason), nil
	}
	ia, err := holdingIncident(ctx, st, a)
	if err != nil {
		return "", err
	}
	ib, err := holdingIncident(ctx, st, b)
	if err != nil {
		return "", err
	}
	if !link {
		together := ia != 0 && ia == ib
		if !together && (last == nil || !last.Link) {
			return fmt.Sprintf("%s and %s are not in one incident (%s, %s): there is nothing to split",
				refName(a), refName(b), incidentName(ia), incidentName(ib)), nil
		}
		return "", nil
	}
	ra, err := readRecord(ctx, st, a)
	if err != nil {
		return "", err
	}
	rb, err := readRecord(ctx, st, b)
	if err != nil {
		return "", err
	}
	if ok, why := incident.Attribution(&ra, &rb); !ok {
		return fmt.Sprintf("%s and %s cannot be one incident, so a join would not apply: %s", refName(a), refName(b), why), nil
	}
	return "", nil
}

func refName(r store.RecordRef) string { return fmt.Sprintf("%s/%d", r.Type, r.ID) }

func incidentName(id int64) string {
	if id == 0 {
		return "in none"
	}
	return fmt.Sprintf("in incident %d", id)
}

// holdingIncident is the id of the incident holding r, 0 if none.
func holdingIncident(ctx context.Context, st store.Store, r store.RecordRef) (int64, error) {
	incs, err := st.ListIncidents(ctx, store.IncidentFilter{Record: r})
	if err != nil {
		return 0, fmt.Errorf("incident of %s: %w", refName(r), err)
	}
	if len(incs) == 0 {
		return 0, nil
	}
	return incs[0].ID, nil
}

// readRecord reads one stored event or claim as merging sees it.
func readRecord(ctx context.Context, st store.Store, r store.RecordRef) (incident.Record, error) {
	var out incident.Record
	found := false
	f := store.EventFilter{IDs: []int64{r.ID}, IncludeDeleted: true}
	var err error
	if r.Type == store.RecordEvent {
		err = st.ScanEvents(ctx, f, func(e *event.Event) error { out, found = incident.FromEvent(e, false), true; return nil })
	} else {
		err = st.ScanClaims(ctx, f, func(c *event.Claim) error { out, found = incident.FromClaim(c, false), true; return nil })
	}
	if err != nil {
		return out, fmt.Errorf("read %s: %w", refName(r), err)
	}
	if !found {
		return out, fmt.Errorf("no %s in the store", refName(r))
	}
	return out, nil
}
