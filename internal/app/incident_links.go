package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// LinkResult is what a join or split did: the decision stored, and the
// rebuild that followed it.
type LinkResult struct {
	Decision incident.LinkDecision `json:"decision"`
	Build    BuildResult           `json:"build"`
}

// JoinRecords stores the decision that records x and y (each event/ID,
// claim/ID or SOURCE:SOURCE_ID, or one allegation of a record:
// claim/ID#N) describe one occurrence, with who made it
// and why, and rebuilds the incidents, which obey it from now on. The
// caller must be allowed to edit incidents. A join that would change
// nothing is refused, saying why: the same decision already stands
// (KindConflict); the records cannot be one incident, so no build would
// apply it (KindInvalid). Arguments wrong as written, the same record
// twice and an empty reason are ArgumentErrors.
//
// When the decision was stored but the rebuild failed, the result holds
// the decision along with the error.
func (a *App) JoinRecords(ctx context.Context, x, y, reason string) (LinkResult, error) {
	return a.link(ctx, x, y, true, reason)
}

// SplitRecords is JoinRecords for the decision that x and y describe
// different occurrences. A split of records no incident holds together
// (and no join pins) is refused (KindConflict).
func (a *App) SplitRecords(ctx context.Context, x, y, reason string) (LinkResult, error) {
	return a.link(ctx, x, y, false, reason)
}

func (a *App) link(ctx context.Context, x, y string, link bool, reason string) (LinkResult, error) {
	var res LinkResult
	if strings.TrimSpace(reason) == "" {
		return res, argumentErrorf("a reason is required: say why, for the next analyst")
	}
	who, err := a.actor(ctx, auth.EditIncidents)
	if err != nil {
		return res, err
	}
	var refs [2]vocab.Ref
	for i, arg := range []string{x, y} {
		if refs[i], err = a.resolveRecord(ctx, arg); err != nil {
			return res, err
		}
	}
	if refs[0] == refs[1] {
		return res, argumentErrorf("%s and %s are the same record", x, y)
	}
	if refs[0].Whole() == refs[1].Whole() && (refs[0].Part == 0 || refs[1].Part == 0) {
		return res, argumentErrorf("%s and %s are one record and its own allegation: name two records, or two allegations (%s#1, %s#2)",
			x, y, refs[0].Whole(), refs[0].Whole())
	}
	if err := a.linkChanges(ctx, refs[0], refs[1], link); err != nil {
		return res, err
	}
	res.Decision, err = a.st.AddLinkDecision(ctx, incident.LinkDecision{A: refs[0], B: refs[1], Link: link, By: who.Name, Reason: reason})
	if err != nil {
		return res, err
	}
	res.Build, err = a.buildIncidents(ctx, "", who.Name)
	return res, err
}

// linkChanges refuses a split or join of a and b that would change
// nothing: the latest decision on the pair is already the same one; a
// split of records no incident holds together (no stored incident has
// both, and no join pins them); a join that attribution refuses (the build
// would not apply it).
func (a *App) linkChanges(ctx context.Context, x, y vocab.Ref, link bool) error {
	verb := map[bool]string{true: "join", false: "split"}[link]
	ds, err := a.st.ListLinkDecisions(ctx)
	if err != nil {
		return fmt.Errorf("read link decisions: %w", err)
	}
	var last *incident.LinkDecision
	for i := range ds {
		d := &ds[i]
		if (d.A == x && d.B == y) || (d.A == y && d.B == x) {
			last = d
		}
	}
	done := map[bool]string{true: "joined", false: "split"}
	if last != nil && last.Link == link {
		return errorf(KindConflict, "nothing to %s: %s and %s are already %s (decision %d by %s at %s: %q)", verb,
			refName(x), refName(y), done[link], last.ID, last.By, last.At.UTC().Format(time.RFC3339), last.Reason)
	}
	ix, err := a.holdingIncidents(ctx, x)
	if err != nil {
		return err
	}
	iy, err := a.holdingIncidents(ctx, y)
	if err != nil {
		return err
	}
	if !link {
		together := false
		for _, i := range ix {
			together = together || slices.Contains(iy, i)
		}
		if !together && (last == nil || !last.Link) {
			return errorf(KindConflict, "nothing to %s: %s and %s are not in one incident (%s, %s): there is nothing to split", verb,
				refName(x), refName(y), incidentName(ix), incidentName(iy))
		}
		return nil
	}
	rx, err := a.readRecord(ctx, x)
	if err != nil {
		return err
	}
	ry, err := a.readRecord(ctx, y)
	if err != nil {
		return err
	}
	if ok, why := incident.Attribution(&rx, &ry); !ok {
		return errorf(KindInvalid, "nothing to %s: %s and %s cannot be one incident, so a join would not apply: %s", verb, refName(x), refName(y), why)
	}
	return nil
}

func incidentName(ids []int64) string {
	switch len(ids) {
	case 0:
		return "in none"
	case 1:
		return fmt.Sprintf("in incident %d", ids[0])
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = strconv.FormatInt(id, 10)
	}
	return "in incidents " + strings.Join(names, " and ")
}

// holdingIncidents are the ids of the incidents holding r: one at most
// for a record held whole or an allegation, one per allegation for a
// record held by its allegations.
func (a *App) holdingIncidents(ctx context.Context, r vocab.Ref) ([]int64, error) {
	incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{Record: r})
	if err != nil {
		return nil, fmt.Errorf("incident of %s: %w", refName(r), err)
	}
	ids := make([]int64, len(incs))
	for i := range incs {
		ids[i] = incs[i].ID
	}
	return ids, nil
}
