package incident

import (
	"strings"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// One record, several allegations: a claim whose text alleges two acts (a
// strike on Sloviansk and one on Sumy) describes two occurrences, so each
// act is a record of its own for merging (Ref.Part set: claim/17#2), with
// the act's kind, targets, place and acting side, and may end in an
// incident of its own. A record of no or one allegation stays whole (Part
// 0), read as FromClaim and FromEvent read it.

// ClaimRecords are the records merging reads of a claim: one per
// allegation when its text alleges more than one, else the claim whole. A
// denial or a claim answering another stays whole: it joins the incident
// of the claim it answers, as one.
func ClaimRecords(c *event.Claim, machine bool) []Record {
	whole := FromClaim(c, machine)
	if len(c.Allegations) < 2 || c.Type == event.ClaimDenial || c.Answers != "" {
		return []Record{whole}
	}
	out := make([]Record, 0, len(c.Allegations))
	for i := range c.Allegations {
		a := &c.Allegations[i]
		r := whole
		r.Ref.Part = partOf(a, i)
		// A part's claimant is the claim's; whom it accuses is the act's
		// acting side, the claim's accused where the text names none.
		r.Accused = cmpOr(a.Actor, c.Accused)
		r.Sides = nil
		if r.Accused != "" {
			r.Sides = []string{r.Accused}
		}
		r.Kind, r.KindCue = partKind(a, c.Text)
		r.Targets = targetIDs(a.Targets)
		// An act is where its clause puts it, nowhere when it names no
		// place (see claimPlaces); a tally, where the claim's regions are.
		places := a.Places
		if len(places) == 0 && a.Tally {
			places = c.Places
		}
		r.Places = knownPlaces(places)
		r.Aggregate = c.Type == event.ClaimCount || (!a.Tally && a.Count != nil && *a.Count >= 2)
		out = append(out, r)
	}
	return out
}

// EventRecords are the records merging reads of an event: one per
// allegation when its text alleges more than one act, else the event
// whole. A part without a place of its own is at the event's place, and
// acted by the event's acting actors when the text names no actor.
func EventRecords(e *event.Event, machine bool) []Record {
	whole := FromEvent(e, machine)
	if len(e.Allegations) < 2 {
		return []Record{whole}
	}
	out := make([]Record, 0, len(e.Allegations))
	for i := range e.Allegations {
		a := &e.Allegations[i]
		r := whole
		r.Ref.Part = partOf(a, i)
		if a.Actor != "" {
			r.Sides = []string{a.Actor}
		}
		r.Kind, r.KindCue = knownKind(a.Kind), ""
		if targets := targetIDs(a.Targets); len(targets) > 0 {
			r.Targets = targets
		}
		if places := knownPlaces(a.Places); len(places) > 0 {
			r.Places = places
		}
		r.Aggregate = !a.Tally && a.Count != nil && *a.Count >= 2
		out = append(out, r)
	}
	return out
}

// partOf is an allegation's part number: its own, or its place in the list.
func partOf(a *event.Allegation, i int) int {
	if a.Part > 0 {
		return a.Part
	}
	return i + 1
}

// partKind is the kind merging reads of one allegation of a claim, with
// the strike wording of the text as FromClaim reads it: a set phrase of a
// long-range strike says "strike", no more.
func partKind(a *event.Allegation, text string) (kind, cue string) {
	kind = knownKind(a.Kind)
	if kind == "" || strings.HasPrefix(kind, "strike.") {
		if cue = strikeCue(text); cue != "" {
			return "", cue
		}
	}
	return kind, ""
}

func knownPlaces(ps []event.Place) []Place {
	var out []Place
	for _, p := range ps {
		if q := fromPlace(p); !q.unknown() {
			out = append(out, q)
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// WholeKey is the record's (source, source id) whatever its part: the
// record a part belongs to.
func (r *Record) WholeKey() string { return r.Source + ":" + r.SourceID }

// refPart is r's Ref spelt with its part, for keys: "#2", or "".
func refPart(r vocab.Ref) string {
	if r.Part > 0 {
		s := r.String()
		return s[strings.IndexByte(s, '#'):]
	}
	return ""
}
