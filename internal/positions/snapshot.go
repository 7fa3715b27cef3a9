package positions

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Snapshot is every party's stance on every term as of one date: for each
// party and term, the latest position dated on or before it. A party with
// no position on a term yet holds Unknown there, with no source.
type Snapshot struct {
	Date    time.Time
	Parties []Party
	Terms   []Term
	// Cells[p][t] is party p's stance on term t (indices into Parties and
	// Terms).
	Cells [][]Cell
	file  *File
}

// Cell is one party's stance on one term.
type Cell struct {
	Stance Stance
	// Cond is the parsed condition of a conditional stance.
	Cond *Expr
	// Position is what the stance rests on; nil when no position is
	// recorded by the date.
	Position *Position
}

// Explicit reports whether the party has taken a known stance: supports,
// rejects or conditional.
func (c Cell) Explicit() bool { return c.Stance != Unknown }

// ParseDate reads a date written 2025-03-18.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want a date like 2025-03-18", s)
	}
	return d, nil
}

// FirstDate is the date of the earliest position in the file.
func (f *File) FirstDate() time.Time {
	var first time.Time
	for _, p := range f.Positions {
		d, _ := time.Parse(DateLayout, p.Date)
		if first.IsZero() || d.Before(first) {
			first = d
		}
	}
	return first
}

// At is the snapshot of stances as of date (positions dated that day
// count). Positions of the same party on the same term and date apply in
// the order written: the last one holds.
func (f *File) At(date time.Time) Snapshot {
	s := Snapshot{Date: date, Parties: f.Parties, Terms: f.Terms, file: f}
	party := map[string]int{}
	for i, p := range f.Parties {
		party[p.ID] = i
	}
	term := map[string]int{}
	for i, t := range f.Terms {
		term[t.ID] = i
	}
	s.Cells = make([][]Cell, len(f.Parties))
	for i := range s.Cells {
		s.Cells[i] = make([]Cell, len(f.Terms))
		for j := range s.Cells[i] {
			s.Cells[i][j] = Cell{Stance: Unknown}
		}
	}
	day := date.Format(DateLayout)
	for i := range f.Positions {
		ps := &f.Positions[i]
		if ps.Date > day { // dates are checked: same layout, so text order is date order
			continue
		}
		pi, tj := party[ps.Party], term[ps.Term]
		s.Cells[pi][tj] = Cell{Stance: ps.Stance, Cond: f.conds[i], Position: ps}
	}
	return s
}

// File is the file the snapshot was taken from.
func (s Snapshot) File() *File { return s.file }

// PartyIndex and TermIndex find a party or term by id; -1 when absent.
func (s Snapshot) PartyIndex(id string) int {
	for i, p := range s.Parties {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// TermIndex finds a term by id; -1 when absent.
func (s Snapshot) TermIndex(id string) int {
	for i, t := range s.Terms {
		if t.ID == id {
			return i
		}
	}
	return -1
}

// Change is one stance that changed between two snapshots.
type Change struct {
	Party, Term string
	From, To    Cell
}

// Changes lists the cells of s that differ from prev, party by party.
func (s Snapshot) Changes(prev Snapshot) []Change {
	var out []Change
	for i := range s.Cells {
		for j := range s.Cells[i] {
			a, b := prev.Cells[i][j], s.Cells[i][j]
			if a.Position != b.Position { // a new position, a change or a restatement
				out = append(out, Change{Party: s.Parties[i].ID, Term: s.Terms[j].ID, From: a, To: b})
			}
		}
	}
	return out
}

// Dates lists the distinct dates of the file's positions, in order.
func (f *File) Dates() []time.Time {
	seen := map[string]bool{}
	var out []time.Time
	for _, p := range f.Positions {
		if !seen[p.Date] {
			seen[p.Date] = true
			d, _ := time.Parse(DateLayout, p.Date)
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// Select keeps the given parties and terms (all when a list is empty), in
// the order given. An id the file does not declare is an error naming the
// ids it does.
func (s Snapshot) Select(parties, terms []string) (Snapshot, error) {
	pi, err := pick("party", parties, len(s.Parties), func(i int) string { return s.Parties[i].ID })
	if err != nil {
		return s, err
	}
	ti, err := pick("term", terms, len(s.Terms), func(i int) string { return s.Terms[i].ID })
	if err != nil {
		return s, err
	}
	out := Snapshot{Date: s.Date, file: s.file, Cells: make([][]Cell, len(pi))}
	for _, j := range ti {
		out.Terms = append(out.Terms, s.Terms[j])
	}
	for k, i := range pi {
		out.Parties = append(out.Parties, s.Parties[i])
		for _, j := range ti {
			out.Cells[k] = append(out.Cells[k], s.Cells[i][j])
		}
	}
	return out, nil
}

func pick(what string, want []string, n int, id func(int) string) ([]int, error) {
	var all []string
	for i := range n {
		all = append(all, id(i))
	}
	if len(want) == 0 {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var out []int
	for _, w := range want {
		i := slices.Index(all, w)
		if i < 0 {
			return nil, fmt.Errorf("unknown %s %q: the file declares %s", what, w, strings.Join(all, ", "))
		}
		out = append(out, i)
	}
	return out, nil
}
