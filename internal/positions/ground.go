package positions

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"slices"
)

// Common ground: which packages every party accepts.
//
// A package assigns every term on the table to included or excluded. A
// party accepts a package when, for every included term, its stance is
//
//   - supports;
//   - conditional, and its condition is true under the package (a term in
//     the formula is true when the package includes it);
//   - unknown (no position, or a position recorded as unknown): it does not
//     block, but the package is marked as resting on that unknown stance.
//
// A party that rejects a term accepts no package that includes it. An
// excluded term asks nothing of anyone: supporting a term is not demanding
// it (a demand is written as a condition on the terms it is the price of).
// The empty package is therefore always acceptable.
//
// The terms on the table at a date are those on which some party has a
// known stance (supports, rejects, conditional) or that a condition names;
// the others are left out of every package and listed as idle.
//
// The computation is exact, by exhaustive search with pruning (a DPLL-like
// search without learning): terms are decided one at a time, included
// first; after each decision every constraint "term included => each
// party's condition holds" is evaluated in three-valued logic, a false one
// prunes the branch, and a term whose condition is already false is
// excluded at once (unit propagation). When every constraint holds whatever
// the undecided terms are, the branch ends: all its 2^k completions are
// acceptable (they are counted, not listed), and the one including all k
// terms is a candidate. The inclusion-maximal packages are the maximal
// candidates. Without NOT, conditions are monotone and there is a single
// maximal package; NOT can make several.

// maxNodes bounds one search, so that no file can keep truce busy for long:
// far more than any negotiation needs (the 64-term benchmark uses a few
// thousand).
const maxNodes = 20_000_000

// maxCandidates bounds the packages a search keeps before it keeps only the
// maximal ones (a quadratic step): 2^17 maximal packages take a file of
// 17 pairs of mutually exclusive terms, not a negotiation.
const maxCandidates = 100_000

// ErrTooHard is returned when a search would take more than maxNodes steps
// or keep more than maxCandidates packages.
var ErrTooHard = errors.New("the common ground search stopped: the conditions are too entangled to be solved exactly within 20 million steps and 100,000 candidate packages")

// Result is the common ground on a date.
type Result struct {
	Date string `json:"date"`
	// Method names the algorithm, for the reader.
	Method string `json:"method"`
	// Terms are the terms on the table, in file order; Idle those no one
	// takes a stance on or names in a condition by this date.
	Terms []string `json:"terms"`
	Idle  []string `json:"idle,omitempty"`
	// Count is the number of acceptable packages, the empty one included.
	Count string `json:"count"`
	// Packages are the inclusion-maximal acceptable packages, largest
	// first: every acceptable package is part of one of them.
	Packages []Package `json:"packages"`
	// OnlyEmpty says that no non-empty package is acceptable.
	OnlyEmpty bool `json:"only_empty"`
	// Blocked explains the packages that fail: every term on the table,
	// then the best package with each term it leaves out.
	Blocked []Blocked `json:"blocked,omitempty"`
	// Openings are, when OnlyEmpty, the smallest sets of stance changes
	// that would open a non-empty package; Exact says the search proved
	// them smallest.
	Openings      []Opening `json:"openings,omitempty"`
	OpeningsExact bool      `json:"openings_exact,omitempty"`
}

// Package is one acceptable package, with why each party accepts it.
type Package struct {
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
	// Met are the conditions of included terms, each true here.
	Met []Reason `json:"conditions_met,omitempty"`
	// Unknown are the included terms on which a party's stance is
	// unknown: the package rests on them.
	Unknown []Reason `json:"rests_on_unknown,omitempty"`
}

// Blocked is a package that fails and what blocks it.
type Blocked struct {
	Include []string `json:"include"`
	Blocks  []Reason `json:"blocks"`
}

// Reason is one party's stance on one term, as it bears on a package.
type Reason struct {
	Party     string `json:"party"`
	Term      string `json:"term"`
	Stance    Stance `json:"stance"`
	Condition string `json:"condition,omitempty"`
	// Why says, for a condition, the state of the terms it names.
	Why    string `json:"why,omitempty"`
	Source string `json:"source,omitempty"`
	Date   string `json:"date,omitempty"`
	Quote  string `json:"quote,omitempty"`
}

// Opening is a set of stance changes and the package it would open.
type Opening struct {
	Changes []Reason `json:"changes"` // each: this stance would become supports
	Include []string `json:"include"`
}

// clause is one party's conditional stance on a term.
type clause struct {
	party int
	cond  *Expr
	mask  uint64 // the terms the condition names
}

// problem is a snapshot compiled for the search.
type problem struct {
	s        Snapshot
	active   uint64     // the terms on the table
	rejected uint64     // terms some party rejects
	clauses  [][]clause // by term
	nodes    int
	// ctx stops the search when its caller gives up (a time limit).
	ctx context.Context
}

func compile(s Snapshot) *problem {
	p := &problem{s: s, clauses: make([][]clause, len(s.Terms)), ctx: context.Background()}
	for i := range s.Cells {
		for t, c := range s.Cells[i] {
			switch c.Stance {
			case Supports:
				p.active |= 1 << t
			case Rejects:
				p.active |= 1 << t
				p.rejected |= 1 << t
			case Conditional:
				p.active |= 1 << t
				if c.Cond == nil { // not linted (built by hand): blocks
					p.rejected |= 1 << t
					continue
				}
				cl := clause{party: i, cond: c.Cond, mask: termMask(c.Cond)}
				p.active |= cl.mask
				p.clauses[t] = append(p.clauses[t], cl)
			}
		}
	}
	return p
}

func termMask(e *Expr) uint64 {
	if e.Op == OpTerm {
		return 1 << e.bit
	}
	var m uint64
	for _, a := range e.Args {
		m |= termMask(a)
	}
	return m
}

// propagate checks every constraint under the partial package (in, set):
// it fails on a violated one, excludes a term whose condition is already
// false, and returns the next term to decide (0 when all hold whatever the
// undecided terms are).
func (p *problem) propagate(in, set uint64) (uint64, uint64, uint64, bool) {
	for changed := true; changed; {
		changed = false
		for t := range p.clauses {
			bit := uint64(1) << t
			if set&bit != 0 && in&bit == 0 {
				continue
			}
			for _, cl := range p.clauses[t] {
				if cl.cond.eval3(in, set) == triFalse {
					if set&bit != 0 {
						return 0, 0, 0, false
					}
					set |= bit
					changed = true
					break
				}
			}
		}
	}
	for t := range p.clauses {
		bit := uint64(1) << t
		if set&bit != 0 && in&bit == 0 {
			continue
		}
		for _, cl := range p.clauses[t] {
			if cl.cond.eval3(in, set) == triUnknown {
				if set&bit == 0 {
					return in, set, bit, true
				}
				free := cl.mask &^ set
				return in, set, free & -free, true
			}
		}
	}
	return in, set, 0, true
}

// search enumerates the acceptable packages: each leaf adds its count and
// its largest package.
func (p *problem) search(in, set uint64, count *big.Int, cands *[]uint64) error {
	p.nodes++
	if p.nodes > maxNodes || len(*cands) > maxCandidates {
		return ErrTooHard
	}
	if p.nodes%checkEvery == 0 {
		if err := p.ctx.Err(); err != nil {
			return fmt.Errorf("the common ground search stopped after %d steps: %w", p.nodes, err)
		}
	}
	in, set, next, ok := p.propagate(in, set)
	if !ok {
		return nil
	}
	if next == 0 {
		free := p.active &^ set
		count.Add(count, new(big.Int).Lsh(big.NewInt(1), uint(bits.OnesCount64(free))))
		*cands = append(*cands, in|free)
		return nil
	}
	if err := p.search(in|next, set|next, count, cands); err != nil {
		return err
	}
	return p.search(in, set|next, count, cands)
}

// checkEvery is how many search steps pass between looks at the context.
const checkEvery = 1 << 14

// CommonGround computes the packages every party accepts at the
// snapshot's date, exactly; see the comment at the top of ground.go.
func CommonGround(s Snapshot) (Result, error) {
	return CommonGroundContext(context.Background(), s)
}

// CommonGroundContext is CommonGround that stops, with an error wrapping
// ctx.Err(), when ctx is done: callers bound its time as well as its steps.
func CommonGroundContext(ctx context.Context, s Snapshot) (Result, error) {
	p := compile(s)
	p.ctx = ctx
	r := Result{Date: s.Date.Format(DateLayout), Method: "exhaustive search with pruning and unit propagation (exact)"}
	for t, term := range s.Terms {
		if p.active&(1<<t) != 0 {
			r.Terms = append(r.Terms, term.ID)
		} else {
			r.Idle = append(r.Idle, term.ID)
		}
	}
	count := new(big.Int)
	var cands []uint64
	if err := p.search(0, p.rejected&p.active, count, &cands); err != nil {
		return r, err
	}
	r.Count = count.String()
	maximal := maximalSets(cands)
	for _, m := range maximal {
		r.Packages = append(r.Packages, p.explain(m))
	}
	slices.SortStableFunc(r.Packages, func(a, b Package) int {
		if d := len(b.Include) - len(a.Include); d != 0 {
			return d
		}
		return len(a.Unknown) - len(b.Unknown)
	})
	r.OnlyEmpty = len(maximal) == 1 && maximal[0] == 0
	r.Blocked = p.blocked(maximal)
	if r.OnlyEmpty && p.active != 0 {
		r.Openings, r.OpeningsExact = p.openings()
	}
	return r, nil
}

// maximalSets keeps the sets no other set strictly contains.
func maximalSets(sets []uint64) []uint64 {
	slices.SortFunc(sets, func(a, b uint64) int {
		if d := bits.OnesCount64(b) - bits.OnesCount64(a); d != 0 {
			return d
		}
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	var out []uint64
	for _, s := range sets {
		covered := false
		for _, m := range out {
			if s&m == s {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, s)
		}
	}
	return out
}

// String is a one-line summary, for logs and tests.
func (r Result) String() string {
	if r.OnlyEmpty {
		return fmt.Sprintf("%s: only the empty package", r.Date)
	}
	return fmt.Sprintf("%s: %d maximal package(s), the largest %v", r.Date, len(r.Packages), r.Packages[0].Include)
}
