package incident

import (
	"fmt"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Attribution: an incident is one side's act in one country. Two records
// that name different acting sides, or lie in different countries, are two
// occurrences whatever their time and place say: a Russian claim of
// Ukrainian shelling in Bryansk is not corroborated by a report of Russian
// shelling in Zaporizhzhia the same night. The rules hold for every pair of
// members of a cluster, not only for the pair that linked them (see
// builder.attributionConflict).

// receivingRoles never make a party the actor; side_a and side_b (UCDP)
// name a dyad without saying who acted. As internal/match reads roles.
var receivingRoles = map[string]bool{"actor2": true, "assoc_actor_2": true, "target": true, "side_a": true, "side_b": true}

// eventSides are the parties an event's acting actors map to.
func eventSides(e *event.Event) []string {
	var out []string
	for _, a := range e.Actors {
		if a.Party != "" && !receivingRoles[a.Role] && !slices.Contains(out, a.Party) {
			out = append(out, a.Party)
		}
	}
	slices.Sort(out)
	return out
}

// claimSides are the acting sides a claim alleges: the actors of its acts
// read from the text (a post accusing Ukraine and reporting Russia's reply
// alleges both), the tallies' only when it alleges no act, else the
// accused. A denial alleges no act.
func claimSides(c *event.Claim) []string {
	if c.Type == event.ClaimDenial {
		return nil
	}
	var acts, tallies []string
	for _, a := range c.Allegations {
		if a.Actor == "" {
			continue
		}
		if a.Tally {
			tallies = appendNew(tallies, a.Actor)
		} else {
			acts = appendNew(acts, a.Actor)
		}
	}
	out := acts
	if len(out) == 0 {
		out = tallies
	}
	if len(out) == 0 && c.Accused != "" {
		out = []string{c.Accused}
	}
	slices.Sort(out)
	return out
}

// claimPlaces are where a claim's acts are alleged. A claim whose text was
// read into acts is placed where the acts' clauses put it, and nowhere when
// they name no place: the MoD feed's column of regions is where drones were
// downed (the tally), not where the strike it reports fell. A claim read as
// a whole keeps its own places.
func claimPlaces(c *event.Claim) []event.Place {
	if len(c.Allegations) == 0 {
		return c.Places
	}
	var out []event.Place
	for _, a := range c.Allegations {
		if !a.Tally {
			out = append(out, a.Places...)
		}
	}
	return out
}

// countedActs says whether every act a claim alleges is a count of many
// ("17 group strikes in a week"): such a claim adds up occurrences, as a
// count-only claim does, and never merges.
func countedActs(c *event.Claim) bool {
	acts := 0
	for _, a := range c.Allegations {
		if a.Tally {
			continue
		}
		if a.Count == nil || *a.Count < 2 {
			return false
		}
		acts++
	}
	return acts > 0
}

func appendNew(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}

// countries are the countries a record's places lie in.
func (r *Record) countries() []string {
	var out []string
	for _, p := range r.Places {
		if p.Country != "" {
			out = appendNew(out, p.Country)
		}
	}
	return out
}

// regions are the first-level units a claim names, when every place it
// names is known to its region or better; nil otherwise (a claim naming a
// country, or a report).
func (r *Record) claimRegions() []string {
	if r.Role == vocab.MemberReport {
		return nil
	}
	var out []string
	for i := range r.Places {
		k := regionKey(&r.Places[i])
		if k == "" {
			return nil
		}
		out = appendNew(out, k)
	}
	return out
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// attributionTest refuses a pair whose acting sides are both known and
// share none, whose countries are both known and share none, or where a
// claim names regions and the other record is located in another region.
// A record located less precisely than the claim (a country, or nowhere)
// passes, and why says so.
func attributionTest(a, b *Record, why *string) (ok bool, refused string) {
	if len(a.Sides) > 0 && len(b.Sides) > 0 && !intersects(a.Sides, b.Sides) {
		say(why, "acting sides differ (%s by %s; %s by %s)", a.Key(), strings.Join(a.Sides, ","), b.Key(), strings.Join(b.Sides, ","))
		return false, "side"
	}
	ac, bc := a.countries(), b.countries()
	if len(ac) > 0 && len(bc) > 0 && !intersects(ac, bc) {
		say(why, "different countries (%s; %s)", strings.Join(ac, ","), strings.Join(bc, ","))
		return false, "country"
	}
	var note string
	for _, p := range [2][2]*Record{{a, b}, {b, a}} {
		claim, other := p[0], p[1]
		regions := claim.claimRegions()
		if regions == nil {
			continue
		}
		var located []string
		for i := range other.Places {
			if k := regionKey(&other.Places[i]); k != "" {
				located = appendNew(located, k)
			}
		}
		if len(located) > 0 && !intersects(regions, located) {
			say(why, "the claim %s names %s, the other record lies in %s", claim.Key(), strings.Join(regions, ","), strings.Join(located, ","))
			return false, "region"
		}
		if len(located) == 0 {
			note = fmt.Sprintf("; the claim %s names %s, %s is located less precisely", claim.Key(), strings.Join(regions, ","), other.Key())
		}
	}
	switch {
	case len(a.Sides) > 0 && len(b.Sides) > 0:
		say(why, "same acting side %s%s", strings.Join(sharedOf(a.Sides, b.Sides), ","), note)
	default:
		say(why, "acting side known on one side at most%s", note)
	}
	return true, ""
}

func sharedOf(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// attributionConflict says why the clusters rooted at x and y may not be
// one: some member of one disagrees with some member of the other on the
// acting side, the country or a claim's region. Every pair is checked, not
// only the linking one: a claim against UA and a report of a Russian strike
// must not meet through a third record that names no side.
func (b *builder) attributionConflict(x, y int) string {
	for _, i := range b.members[x] {
		for _, j := range b.members[y] {
			if ok, test := attributionTest(&b.recs[i], &b.recs[j], nil); !ok {
				var why string
				attributionTest(&b.recs[i], &b.recs[j], &why)
				return fmt.Sprintf("%s: %s", test, why)
			}
		}
	}
	return ""
}

// Attribution says whether two records may be members of one incident as
// far as attribution goes (acting side, country, a claim's region), and
// why not: the rule every pair of an incident's members obeys.
func Attribution(a, b *Record) (ok bool, why string) {
	ok, test := attributionTest(a, b, &why)
	if !ok {
		why = test + ": " + why
	}
	return ok, why
}
