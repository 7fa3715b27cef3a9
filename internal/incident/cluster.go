package incident

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Member is one record of a cluster and why it is there.
type Member struct {
	Record *Record
	Role   vocab.MemberRole
	Manual bool            // an analyst's join put it here
	Reason json.RawMessage // see MemberReason
}

// MemberReason is why a member was linked, as stored with it.
type MemberReason struct {
	// LinkedTo is the record ("source:source_id") whose link brought this one
	// in; empty for a record that matched nothing.
	LinkedTo string `json:"linked_to,omitempty"`
	Link     *Link  `json:"link,omitempty"`
	// Join is the analyst's decision that forced the link.
	Join *Decision `json:"join,omitempty"`
	// Answers is the claim this denial or counter-claim answers.
	Answers string `json:"answers,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Decision is an analyst's link decision as a member reason cites it.
type Decision struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Cluster is one occurrence as Build groups it.
type Cluster struct {
	Members []Member
	Grade   Grade
}

// Refs are the cluster's member records.
func (c *Cluster) Refs() []vocab.Ref {
	out := make([]vocab.Ref, len(c.Members))
	for i, m := range c.Members {
		out[i] = m.Record.Ref
	}
	return out
}

// Result is what Build did.
type Result struct {
	Clusters []Cluster
	// Conflicts are analysts' decisions Build could not honour together
	// (a join whose records a split keeps apart), for the caller to show.
	Conflicts []string
}

type pair struct{ a, b vocab.Ref }

func orderedPair(a, b vocab.Ref) pair {
	if b.Kind < a.Kind || (b.Kind == a.Kind && (b.ID < a.ID || (b.ID == a.ID && b.Part < a.Part))) {
		a, b = b, a
	}
	return pair{a, b}
}

// LatestDecisions keeps the latest decision on each pair of records, from
// decisions oldest first (as store.ListLinkDecisions returns them).
func LatestDecisions(decisions []LinkDecision) map[pair]LinkDecision {
	out := map[pair]LinkDecision{}
	for _, d := range decisions {
		out[orderedPair(d.A, d.B)] = d
	}
	return out
}

// edge is a candidate link between records i and j.
type edge struct {
	i, j int
	link Link
}

// builder is the state of one Build: union-find over the records, with each
// root's member lists and the sources it holds.
type builder struct {
	recs   []Record
	parent []int
	// members of each root; sources: per root, the "one report" signature
	// each source has there (see signature).
	members [][]int
	sources []map[string]string
	cannot  [][2]int
	reason  []*MemberReason
	manual  []bool
}

func (b *builder) find(i int) int {
	for b.parent[i] != i {
		b.parent[i] = b.parent[b.parent[i]]
		i = b.parent[i]
	}
	return i
}

// sameSourceKey is the source as the one-report rule reads it: a claims
// feed carries statements of several claimants, each its own voice.
func sameSourceKey(r *Record) string {
	if r.Role != vocab.MemberReport && r.Claimant != "" {
		return r.Source + "\x00" + r.Claimant
	}
	return r.Source
}

// signature says which rows of one source are parts of one report: a
// source does not report one occurrence twice, except that some split one
// report into rows (the daily strike reports give one row per weapon model
// and target of a wave, all with the same span, timed to the hour). Rows
// sharing a span shorter than a day share a signature; any other row has
// its own.
func signature(r *Record) string {
	if d := r.Time.End.Sub(r.Time.Start); d > 0 && d < 24*time.Hour {
		return fmt.Sprintf("part %d %d", r.Time.Start.Unix(), r.Time.End.Unix())
	}
	return "id " + r.SourceID
}

// canUnion says whether the clusters rooted at x and y may be one: no split
// decision keeps two of their records apart and, unless forced, no source
// would report in it twice.
func (b *builder) canUnion(x, y int, forced bool) (bool, string) {
	for _, c := range b.cannot {
		rx, ry := b.find(c[0]), b.find(c[1])
		if (rx == x && ry == y) || (rx == y && ry == x) {
			return false, fmt.Sprintf("split of %s and %s", b.recs[c[0]].Key(), b.recs[c[1]].Key())
		}
	}
	// Not even an analyst's join puts two acting sides or two countries in
	// one incident: split the records' attribution first.
	if why := b.attributionConflict(x, y); why != "" {
		return false, why
	}
	if forced {
		return true, ""
	}
	for src, sig := range b.sources[x] {
		if other, ok := b.sources[y][src]; ok && other != sig {
			return false, "same source"
		}
	}
	return true, ""
}

func (b *builder) union(x, y int) {
	if len(b.members[x]) < len(b.members[y]) {
		x, y = y, x
	}
	b.parent[y] = x
	b.members[x] = append(b.members[x], b.members[y]...)
	b.members[y] = nil
	for src, sig := range b.sources[y] {
		if _, ok := b.sources[x][src]; !ok {
			b.sources[x][src] = sig
		}
	}
	b.sources[y] = nil
}

// Build groups records into clusters of one occurrence each:
//
//  1. candidate pairs come from a sweep over the records sorted by start, so
//     only records within the time tolerance of each other are compared;
//  2. analysts' joins (the latest decision per pair) are applied first;
//  3. compatible pairs are united best score first, refusing a union that
//     would join two records an analyst split, or put two reports of one
//     source in one cluster;
//  4. a claim answering (denying) a claim that is in a cluster joins it as
//     a denial.
//
// Every record ends in exactly one cluster, alone if nothing matched it.
// Clusters come ordered by their earliest member's start; each is graded.
func Build(records []Record, decisions []LinkDecision, opt Options) Result {
	n := len(records)
	b := &builder{recs: records, parent: make([]int, n), members: make([][]int, n), sources: make([]map[string]string, n),
		reason: make([]*MemberReason, n), manual: make([]bool, n)}
	byRef := make(map[vocab.Ref]int, n)
	byKey := make(map[string]int, n)
	parts := map[vocab.Ref][]int{} // the records of each record split by allegation
	for i := range records {
		b.parent[i] = i
		b.members[i] = []int{i}
		b.sources[i] = map[string]string{sameSourceKey(&records[i]): signature(&records[i])}
		byRef[records[i].Ref] = i
		byKey[records[i].Key()] = i
		if records[i].Ref.Part > 0 {
			parts[records[i].Ref.Whole()] = append(parts[records[i].Ref.Whole()], i)
		}
	}
	// A claim read by allegation is answered as a whole: the answer joins
	// the incident of its first act (its first part that is no tally).
	for _, idx := range parts {
		first := idx[0]
		for _, i := range idx {
			if records[i].Kind != "interception" {
				first = i
				break
			}
		}
		byKey[records[first].WholeKey()] = first
	}
	// A decision names a record or one of its allegations: on a record
	// read by allegation it holds for each of them, and on an allegation of
	// a record read whole, for the record.
	resolve := func(r vocab.Ref) []int {
		if i, ok := byRef[r]; ok {
			return []int{i}
		}
		if r.Part == 0 {
			return parts[r]
		}
		if i, ok := byRef[r.Whole()]; ok {
			return []int{i}
		}
		return nil
	}
	// Answers name a claim of the same source.
	answers := map[int]int{}
	for i := range records {
		r := &records[i]
		if r.Answers == "" || r.Ref.Kind != vocab.KindClaim {
			continue
		}
		if j, ok := byKey[r.Source+":"+r.Answers]; ok && j != i && records[j].Ref.Kind == vocab.KindClaim {
			answers[i] = j
		}
	}

	var res Result
	latest := LatestDecisions(decisions)
	type join struct {
		d    LinkDecision
		i, j int
	}
	var joins []join
	for p, d := range latest {
		for _, i := range resolve(p.a) {
			for _, j := range resolve(p.b) {
				switch {
				case i == j:
				case d.Link:
					joins = append(joins, join{d, i, j})
				default:
					b.cannot = append(b.cannot, [2]int{i, j})
				}
			}
		}
	}
	slices.SortFunc(joins, func(x, y join) int {
		return cmp.Or(cmp.Compare(x.d.ID, y.d.ID), cmp.Compare(x.i, y.i), cmp.Compare(x.j, y.j))
	})
	for _, jn := range joins {
		d, i, j := jn.d, jn.i, jn.j
		x, y := b.find(i), b.find(j)
		if x == y {
			continue
		}
		if ok, why := b.canUnion(x, y, true); !ok {
			res.Conflicts = append(res.Conflicts, fmt.Sprintf("join of %s and %s (decision %d) not applied: %s",
				records[i].Key(), records[j].Key(), d.ID, why))
			continue
		}
		b.union(x, y)
		dec := &Decision{By: d.By, At: d.At, Reason: d.Reason}
		for _, k := range [2][2]int{{i, j}, {j, i}} {
			if b.reason[k[0]] == nil {
				b.reason[k[0]] = &MemberReason{LinkedTo: records[k[1]].Key(), Join: dec}
			}
			b.manual[k[0]] = true
		}
	}

	for _, e := range candidateEdges(records, answers, opt) {
		x, y := b.find(e.i), b.find(e.j)
		if x == y {
			continue
		}
		if ok, _ := b.canUnion(x, y, false); !ok {
			continue
		}
		b.union(x, y)
		for _, k := range [2][2]int{{e.i, e.j}, {e.j, e.i}} {
			if b.reason[k[0]] == nil {
				l := e.link
				b.reason[k[0]] = &MemberReason{LinkedTo: records[k[1]].Key(), Link: &l}
			}
		}
	}

	for i, j := range answers {
		x, y := b.find(i), b.find(j)
		if x != y {
			b.union(x, y)
		}
		b.reason[i] = &MemberReason{Answers: records[j].Key()}
	}

	for root := range b.members {
		if b.find(root) != root {
			continue
		}
		idx := b.members[root]
		slices.SortFunc(idx, func(x, y int) int {
			return cmp.Or(records[x].Time.Start.Compare(records[y].Time.Start), cmp.Compare(records[x].Key(), records[y].Key()))
		})
		c := Cluster{Members: make([]Member, len(idx))}
		for k, i := range idx {
			r := &records[i]
			role := r.Role
			if _, ok := answers[i]; ok {
				role = vocab.MemberDenial
			}
			why := b.reason[i]
			if why == nil {
				why = &MemberReason{Note: "no other record matched"}
			}
			raw, err := json.Marshal(why)
			if err != nil {
				panic(err) // plain structs: cannot fail
			}
			c.Members[k] = Member{Record: r, Role: role, Manual: b.manual[i], Reason: raw}
		}
		c.Grade = GradeOf(c.Members)
		res.Clusters = append(res.Clusters, c)
	}
	slices.SortFunc(res.Clusters, func(x, y Cluster) int {
		return cmp.Or(x.Members[0].Record.Time.Start.Compare(y.Members[0].Record.Time.Start),
			cmp.Compare(x.Members[0].Record.Key(), y.Members[0].Record.Key()))
	})
	return res
}

// candidateEdges returns the compatible pairs of records of different
// sources (or parts of one report), best first. It compares each record
// with those starting before it ends plus the tolerance (a sweep over the
// records sorted by start), but two located reports only when they share a
// country: the place test refuses reports in different countries, and on a
// world-wide dataset the sweep would otherwise compare every record with
// every other of its days. Claims, whose places are compared pair by pair, and
// reports placed nowhere are compared with every record.
func candidateEdges(records []Record, answers map[int]int, opt Options) []edge {
	keys := make([]string, len(records)) // sameSourceKey, once per record
	var all, anywhere []int
	byCountry := map[string][]int{}
	multi := false // some report is in two countries: pairs may recur
	for i := range records {
		if _, ok := answers[i]; ok {
			continue
		}
		r := &records[i]
		keys[i] = sameSourceKey(r)
		all = append(all, i)
		cs := reportCountries(r)
		if cs == nil {
			anywhere = append(anywhere, i)
			continue
		}
		multi = multi || len(cs) > 1
		for _, c := range cs {
			byCountry[c] = append(byCountry[c], i)
		}
	}
	byStart := func(ix []int) {
		slices.SortStableFunc(ix, func(x, y int) int { return records[x].Time.Start.Compare(records[y].Time.Start) })
	}
	var edges []edge
	seen := map[[2]int]bool{}
	consider := func(i, j int) {
		if multi {
			k := [2]int{min(i, j), max(i, j)}
			if seen[k] {
				return
			}
			seen[k] = true
		}
		a, c := &records[i], &records[j]
		if keys[i] == keys[j] {
			if signature(a) == signature(c) {
				edges = append(edges, edge{i: i, j: j, link: Link{OK: true, Score: 1,
					Time: "the same span", Place: "parts of one report", Kind: "one row per weapon or target", Target: "-"}})
			}
			return
		}
		if l := Compatible(a, c, opt); l.OK {
			edges = append(edges, edge{i: i, j: j, link: l})
		}
	}
	// within reach: j starts before i ends plus the tolerance.
	reach := func(i, j int) bool {
		return records[j].Time.Start.Before(records[i].Time.End.Add(opt.TimeTolerance))
	}
	for _, c := range slices.Sorted(maps.Keys(byCountry)) {
		g := byCountry[c]
		byStart(g)
		for k, i := range g {
			for _, j := range g[k+1:] {
				if !reach(i, j) {
					break
				}
				consider(i, j)
			}
		}
	}
	// Every pair with a record placed anywhere, in the order of all: such a
	// record meets every later one; a located report meets the later ones
	// placed anywhere.
	byStart(all)
	pos := make(map[int]int, len(all))
	for p, i := range all {
		pos[i] = p
	}
	slices.SortFunc(anywhere, func(x, y int) int { return cmp.Compare(pos[x], pos[y]) })
	isAnywhere := make(map[int]bool, len(anywhere))
	for _, i := range anywhere {
		isAnywhere[i] = true
	}
	for p, i := range all {
		later := all[p+1:]
		if !isAnywhere[i] {
			// the records placed anywhere after position p
			w, _ := slices.BinarySearchFunc(anywhere, p+1, func(x, target int) int { return cmp.Compare(pos[x], target) })
			later = anywhere[w:]
		}
		for _, j := range later {
			if !reach(i, j) {
				break
			}
			consider(i, j)
		}
	}
	// Best first; equal scores in record order, so that the greedy union
	// does not depend on the order the pairs were found in.
	slices.SortFunc(edges, func(x, y edge) int {
		return cmp.Or(cmp.Compare(y.link.Score, x.link.Score), cmp.Compare(min(x.i, x.j), min(y.i, y.j)), cmp.Compare(max(x.i, x.j), max(y.i, y.j)))
	})
	return edges
}

// reportCountries lists the countries of a located report; nil for a claim
// or a report placed nowhere, which any record may match.
func reportCountries(r *Record) []string {
	if r.Role != vocab.MemberReport || len(r.Places) == 0 {
		return nil
	}
	var cs []string
	for _, p := range r.Places {
		if p.Country == "" {
			return nil
		}
		if !slices.Contains(cs, p.Country) {
			cs = append(cs, p.Country)
		}
	}
	return cs
}
