package incident

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Grade is how well an incident is corroborated, with why.
//
// Members are first grouped into origins, so that repeats count once: two
// members share an origin when they come from the same source, carry the
// same URL, or the same text once folded ("two outlets repeating one wire
// report count once"). A party's claim has its claimant as origin, and so
// has a report of a source the party itself publishes (Record.ReportedBy:
// the Ukrainian Air Force's strike reports are UA's word): every statement
// of one party is one voice. Members of machine-coded sources
// (GDELT) are leads and never corroborate. Members deleted upstream and
// denials do not count.
//
// Then, first rule that applies:
//
//   - discounted: every member was deleted upstream;
//   - weak, MachineOnly: only machine-coded members remain (review keeps it
//     alleged);
//   - contested: a member claim is denied (a denial or counter-claim answers
//     it, or the accused party claims the opposite in the same incident) and
//     fewer than two independent non-party origins back it; fair if two or
//     more do: a denied incident is never confirmed without a reviewer;
//   - confirmed: two or more independent non-party origins;
//   - fair: one non-party origin and at least one other origin (a party's
//     claim backed by a dataset);
//   - weak: anything else (one origin, or only parties' claims).
type Grade struct {
	Grade       vocab.Grade `json:"grade"`
	Rule        string      `json:"rule"`
	Explanation string      `json:"explanation"`
	MachineOnly bool        `json:"machine_only"`
	Independent int         `json:"independent_non_party"` // non-party, non-machine origins
	Parties     []string    `json:"party_origins,omitempty"`
	Denied      []string    `json:"denied,omitempty"` // "claim X answered by Y"
	Origins     []Origin    `json:"origins"`
}

// Origin is one independent voice among an incident's members.
type Origin struct {
	Kind    string   `json:"kind"` // "non-party", "party", "machine"
	Name    string   `json:"name"` // the party, or the first source
	Members []string `json:"members"`
	// Why members were counted as one, when there are several.
	SameBy string `json:"same_by,omitempty"`
}

// JSON is the grade as incidents.grade_reason keeps it.
func (g Grade) JSON() json.RawMessage {
	b, err := json.Marshal(g)
	if err != nil {
		panic(err) // plain struct: cannot fail
	}
	return b
}

// GradeOf grades an incident's members.
func GradeOf(members []Member) Grade {
	var live []*Record
	var g Grade
	for _, m := range members {
		if m.Record.Deleted || m.Role == vocab.MemberDenial {
			continue
		}
		live = append(live, m.Record)
	}
	g.Denied = denials(members)
	if len(live) == 0 {
		if len(g.Denied) == 0 && allDeleted(members) {
			return g.set(vocab.GradeDiscounted, "deleted", "every member was deleted upstream by its source")
		}
	}
	g.Origins = origins(live)
	machine := len(live) > 0
	for _, o := range g.Origins {
		switch o.Kind {
		case "non-party":
			g.Independent++
			machine = false
		case "party":
			g.Parties = append(g.Parties, o.Name)
			machine = false
		}
	}
	switch {
	case len(live) == 0:
		return g.set(vocab.GradeDiscounted, "deleted", "every member was deleted upstream by its source")
	case machine:
		g.MachineOnly = true
		return g.set(vocab.GradeWeak, "machine-only", "rests only on machine-coded records ("+originNames(g.Origins)+"): a lead, not corroboration")
	case len(g.Denied) > 0 && g.Independent >= 2:
		return g.set(vocab.GradeFair, "denied-corroborated", fmt.Sprintf("denied (%s) but %d independent non-party origins report it: fair at best until a reviewer decides",
			strings.Join(g.Denied, "; "), g.Independent))
	case len(g.Denied) > 0:
		return g.set(vocab.GradeContested, "denied", fmt.Sprintf("denied (%s), with %d independent non-party origin(s)", strings.Join(g.Denied, "; "), g.Independent))
	case g.Independent >= 2:
		return g.set(vocab.GradeConfirmed, "independent", fmt.Sprintf("%d independent non-party origins: %s", g.Independent, originNames(g.Origins)))
	case g.Independent == 1 && len(g.Parties) > 0:
		return g.set(vocab.GradeFair, "party-backed", fmt.Sprintf("%s's claim backed by one non-party origin (%s)", strings.Join(g.Parties, ", "), originNames(nonParty(g.Origins))))
	case g.Independent == 1:
		return g.set(vocab.GradeWeak, "single", "one non-party origin only: "+originNames(g.Origins))
	default:
		return g.set(vocab.GradeWeak, "party-only", "only parties' claims ("+strings.Join(g.Parties, ", ")+"), no non-party origin")
	}
}

func (g Grade) set(grade vocab.Grade, rule, why string) Grade {
	g.Grade, g.Rule, g.Explanation = grade, rule, string(grade)+": "+why
	if len(g.Origins) > 0 {
		// Which origins were counted, and which records each stands for.
		parts := make([]string, len(g.Origins))
		for i, o := range g.Origins {
			parts[i] = fmt.Sprintf("%s %s [%s]", o.Kind, o.Name, strings.Join(o.Members, ", "))
			if o.SameBy != "" {
				parts[i] += " counted once: " + o.SameBy
			}
		}
		g.Explanation += "; origins counted: " + strings.Join(parts, "; ")
	}
	return g
}

func allDeleted(members []Member) bool {
	for _, m := range members {
		if !m.Record.Deleted {
			return false
		}
	}
	return len(members) > 0
}

// denials lists the member claims that are denied: answered by a member
// denial or counter-claim, or met by a claim of their accused party that
// accuses their claimant.
func denials(members []Member) []string {
	var out []string
	for _, m := range members {
		r := m.Record
		if r.Deleted || r.Role == vocab.MemberReport {
			continue
		}
		if m.Role == vocab.MemberDenial && r.Answers != "" {
			out = append(out, fmt.Sprintf("%s:%s answered by %s", r.Source, r.Answers, r.Key()))
		}
	}
	for _, m := range members {
		a := m.Record
		if a.Deleted || m.Role != vocab.MemberClaim || !a.PartyClaim || a.Accused == "" {
			continue
		}
		for _, o := range members {
			c := o.Record
			if !c.Deleted && o.Role == vocab.MemberClaim && c.Claimant == a.Accused && c.Accused == a.Claimant && a.Key() < c.Key() {
				out = append(out, fmt.Sprintf("%s (%s) and %s (%s) accuse each other", a.Key(), a.Claimant, c.Key(), c.Claimant))
			}
		}
	}
	return out
}

// origins groups records into independent origins (see Grade).
func origins(live []*Record) []Origin {
	parent := make([]int, len(live))
	why := make([]string, len(live))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	join := func(i, j int, by string) {
		if x, y := find(i), find(j); x != y {
			parent[y] = x
			why[x] = by
		}
	}
	first := map[string]int{}
	for i, r := range live {
		var keys []string
		if v := r.Voice(); v != "" {
			keys = append(keys, "party "+v)
		} else {
			keys = append(keys, "source "+r.Source)
		}
		if u := normURL(r.URL); u != "" {
			keys = append(keys, "url "+u)
		}
		if t := normText(r.Text); len(t) >= 20 {
			keys = append(keys, "text "+t)
		}
		if sp := normText(r.Speaker); sp != "" {
			keys = append(keys, "speaker "+sp)
		}
		for _, k := range keys {
			if j, ok := first[k]; ok {
				by, _, _ := strings.Cut(k, " ")
				join(j, i, "same "+by)
			} else {
				first[k] = i
			}
		}
	}
	// Near-same wording: a statement lightly edited by a second outlet.
	texts := make([]string, len(live))
	for i, r := range live {
		texts[i] = normText(r.Text)
	}
	for i := range live {
		for j := i + 1; j < len(live); j++ {
			if find(i) != find(j) && nearSame(texts[i], texts[j]) {
				join(i, j, "near-same text")
			}
		}
	}
	groups := map[int]*Origin{}
	var order []int
	for i, r := range live {
		root := find(i)
		o := groups[root]
		if o == nil {
			o = &Origin{Kind: "non-party", Name: r.Source}
			groups[root] = o
			order = append(order, root)
		}
		o.Members = append(o.Members, r.Key())
		if len(o.Members) > 1 {
			o.SameBy = why[root]
		}
	}
	// An origin is a party's if any of its members is a party's claim, and
	// machine-coded only if all its members are.
	out := make([]Origin, 0, len(order))
	for _, root := range order {
		o := groups[root]
		allMachine := true
		for i, r := range live {
			if find(i) != root {
				continue
			}
			if !r.Machine {
				allMachine = false
			}
			if v := r.Voice(); v != "" {
				o.Kind, o.Name = "party", v
			}
		}
		if allMachine && o.Kind != "party" {
			o.Kind = "machine"
		}
		out = append(out, *o)
	}
	slices.SortStableFunc(out, func(a, b Origin) int { return strings.Compare(a.Kind, b.Kind) })
	return out
}

func nonParty(os []Origin) []Origin {
	var out []Origin
	for _, o := range os {
		if o.Kind == "non-party" {
			out = append(out, o)
		}
	}
	return out
}

func originNames(os []Origin) string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = o.Name
		if len(o.Members) > 1 {
			names[i] += fmt.Sprintf(" (%d records, %s)", len(o.Members), o.SameBy)
		}
	}
	return strings.Join(names, ", ")
}
