package pipeline

import (
	"github.com/truce-monitor/truce/internal/allege"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// eventAllegations keeps the acts an event's text alleges beyond its codes:
// a clash whose notes report shelling damage to a plant is also a strike on
// it, and "left without electricity" is evidence of a hit on the supply. An
// act the codes already say (a strike coded as one) adds only its inferred
// targets, to the event itself; text naming no target adds nothing. Kinds
// that cannot hide a strike (protests, interceptions) are not read.
func eventAllegations(r *allege.Reader, f Format, ev *event.Event) []event.Allegation {
	coded := taxonomy.Covers("strike", ev.Kind)
	if coded {
		for _, t := range r.Consequences(f.TextField, ev.Text) {
			if !event.HasTerm(ev.Targets, t.Term) {
				ev.Targets = append(ev.Targets, t)
			}
		}
		return nil
	}
	if !taxonomy.MayHideStrike(ev.Kind) {
		return nil
	}
	var out []event.Allegation
	for _, a := range r.Read(allege.Input{Field: f.TextField, Text: ev.Text, NoPlaces: true}) {
		if a.Tally || !taxonomy.Covers("strike", a.Kind) || !civilianTarget(a.Targets) {
			continue
		}
		a.Actor, a.ActorReason = "", nil // the codes name the actors
		a.Part = len(out) + 1
		out = append(out, a)
	}
	return out
}

// civilianTarget reports a target outside the military branch: "shelling
// of positions" in a clash's notes is the clash itself.
func civilianTarget(ts []event.Reason) bool {
	for _, t := range ts {
		if !taxonomy.Covers("military", t.Term) && t.Term != "unknown" {
			return true
		}
	}
	return false
}

// claimAllegations reads a claim's acts from its text. A count column (the
// MoD's drone_count) describes its own tally and never the kind of the
// others: the claim is count-only only when its text alleges no act.
func claimAllegations(r *allege.Reader, f Format, c *event.Claim) {
	claimant, accused := c.Claimant, c.Accused
	as := r.Read(allege.Input{Field: f.TextField, Text: c.Text, Claimant: claimant, Accused: accused})
	if c.Type == event.ClaimCount && c.Count != nil {
		tallied := false
		for i := range as {
			if as[i].Tally {
				tallied = true
				if as[i].Count == nil {
					n := *c.Count
					as[i].Count = &n
					as[i].CountReason = &event.Reason{Field: "count column", Rule: "count column"}
				}
				break
			}
		}
		if !tallied {
			n := *c.Count
			as = append(as, event.Allegation{Kind: c.Kind, Tally: true, Actor: accused, Count: &n,
				KindReason:  &event.Reason{Term: c.Kind, Field: "count column", Rule: "count column"},
				CountReason: &event.Reason{Field: "count column", Rule: "count column"}})
		}
	}
	for i := range as {
		as[i].Part = i + 1
	}
	c.Allegations = as
	for _, a := range as {
		if !a.Tally {
			// The claim alleges an act: the first one stands for it where
			// one kind and one accused are wanted (listing, merging).
			c.Type, c.Kind, c.Count = event.ClaimAllegation, a.Kind, nil
			if a.Actor != "" {
				c.Accused = a.Actor
			}
			return
		}
	}
}
