package positions

import (
	"math/bits"
	"slices"
	"strings"
)

// When only the empty package is acceptable, openings finds the smallest
// sets of stance changes that would make a non-empty package acceptable.
// A change turns one party's stance on one term (a rejection, or a
// condition the package does not meet) into support. The cost of a
// package is the number of stances that block it; the search is branch and
// bound over packages: the cheapest single term gives the first bound, and
// a partial package is dropped once the stances it already cannot meet
// cost more. It keeps up to maxOpenings change sets of the least cost; for
// one set of changes it keeps the largest package.

const (
	maxOpenings     = 5
	maxOpeningNodes = 2_000_000
)

type opener struct {
	p     *problem
	best  int
	found map[string]Opening // by change set
	order []string
	nodes int
}

// openings returns the cheapest openings and whether the search finished
// (and so proved them cheapest).
func (p *problem) openings() ([]Opening, bool) {
	o := &opener{p: p, best: 1 << 30, found: map[string]Opening{}}
	for t := range p.s.Terms {
		if bit := uint64(1) << t; p.active&bit != 0 {
			o.best = min(o.best, len(p.blocks(bit)))
		}
	}
	exact := o.walk(0, 0, 0)
	var out []Opening
	for _, k := range o.order {
		out = append(out, o.found[k])
	}
	return out, exact
}

// lowerBound counts the stances that block a decided, included term
// whatever the undecided terms become.
func (p *problem) lowerBound(in, set uint64) int {
	n := 0
	for t := range p.s.Terms {
		bit := uint64(1) << t
		if in&bit == 0 {
			continue
		}
		for i := range p.s.Parties {
			c := p.s.Cells[i][t]
			if c.Stance == Rejects || c.Stance == Conditional && (c.Cond == nil || c.Cond.eval3(in, set) == triFalse) {
				n++
			}
		}
	}
	return n
}

func (o *opener) walk(in, set uint64, depth int) bool {
	o.nodes++
	if o.nodes > maxOpeningNodes {
		return false
	}
	if o.p.lowerBound(in, set) > o.best {
		return true
	}
	undecided := o.p.active &^ set
	if undecided == 0 {
		if in != 0 {
			o.leaf(in)
		}
		return true
	}
	next := undecided & -undecided
	if !o.walk(in|next, set|next, depth+1) {
		return false
	}
	return o.walk(in, set|next, depth+1)
}

func (o *opener) leaf(in uint64) {
	blocks := o.p.blocks(in)
	if len(blocks) > o.best {
		return
	}
	if len(blocks) < o.best {
		o.best = len(blocks)
		o.found = map[string]Opening{}
		o.order = nil
	}
	keys := make([]string, len(blocks))
	for i, b := range blocks {
		keys[i] = b.Party + "/" + b.Term
	}
	k := strings.Join(keys, ",")
	prev, seen := o.found[k]
	if seen && len(prev.Include) >= bits.OnesCount64(in) {
		return
	}
	if !seen {
		if len(o.order) >= maxOpenings {
			return
		}
		o.order = append(o.order, k)
	}
	o.found[k] = Opening{Changes: slices.Clone(blocks), Include: o.p.ids(in)}
}
