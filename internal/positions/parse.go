package positions

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Problem is one thing wrong with a positions file, at a position.
type Problem = strictyaml.Problem

// Problems is every problem found in a file: the error Parse returns.
type Problems = strictyaml.Problems

// MaxTerms bounds the terms of one file: a package is a set of terms, kept
// as the bits of a machine word.
const MaxTerms = 64

// DateLayout is how dates are written: 2025-03-18.
const DateLayout = "2006-01-02"

// Load reads and parses a positions file within lim; a file over the size
// limit is refused without being read whole.
func Load(path string, lim strictyaml.Limits) (*File, error) {
	data, err := strictyaml.ReadFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseWith(path, data, lim)
}

// Parse parses and lints a positions file within the default limits. When
// the file is not valid the error is Problems, every problem found with
// its position; a file is never half accepted.
func Parse(filename string, data []byte) (*File, error) {
	return ParseWith(filename, data, strictyaml.DefaultLimits())
}

// ParseWith is Parse within lim.
func ParseWith(filename string, data []byte, lim strictyaml.Limits) (*File, error) {
	var f File
	pos, err := strictyaml.DecodeWith(filename, data, &f, strictyaml.Options{Limits: lim, MaxLen: maxLen(), Expect: expect()})
	if err != nil {
		return nil, err
	}
	f.name = filename
	l := &linter{f: &f, pos: pos, data: data}
	l.lint()
	if len(l.out) > 0 {
		strictyaml.SortProblems(l.out)
		return nil, strictyaml.CapProblems(l.out)
	}
	return &f, nil
}

func maxLen() map[string]int {
	return map[string]int{
		"id": 64, "title": 300, "agreements[]": 64,
		"parties[].id": 32, "parties[].name": 200,
		"terms[].id": 64, "terms[].title": 300,
		"sources[].id": 64, "sources[].title": 500, "sources[].publisher": 200,
		"sources[].url": 2048, "sources[].date": 32,
		"positions[].party": 32, "positions[].term": 64, "positions[].date": 32,
		"positions[].stance": 32, "positions[].condition": maxFormula,
		"positions[].source": 64, "positions[].quote": 1000,
	}
}

func expect() map[string]string {
	return map[string]string{
		"format":             "the number 1",
		"positions[].date":   "a date like 2025-03-18",
		"sources[].date":     "a date like 2025-03-18",
		"positions[].stance": "one of supports, rejects, conditional, unknown",
	}
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
var partyRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

type linter struct {
	f    *File
	pos  *strictyaml.Positions
	data []byte
	out  Problems
}

func (l *linter) errorf(path, format string, args ...any) {
	l.out = append(l.out, l.pos.Problem(path, format, args...))
}

// ids checks one list of ids (present, well formed, unique) and returns
// them by index.
func (l *linter) ids(list string, n int, id func(int) string, re *regexp.Regexp) map[string]int {
	out := map[string]int{}
	for i := 0; i < n; i++ {
		path := strictyaml.JoinIndex(list, i) + ".id"
		v := id(i)
		switch {
		case v == "":
			l.errorf(path, "%s: id is required", strictyaml.JoinIndex(list, i))
		case !re.MatchString(v):
			l.errorf(path, "id %q: use letters, digits, - and _ (terms: lower case)", v)
		default:
			if j, dup := out[v]; dup {
				p, _ := l.pos.Lookup(strictyaml.JoinIndex(list, j) + ".id")
				l.errorf(path, "duplicate id %q (first at line %d)", v, p.Line)
				continue
			}
			out[v] = i
		}
	}
	return out
}

func (l *linter) lint() {
	f := l.f
	if f.Format != FormatVersion {
		l.errorf("format", "format: want %d, got %d", FormatVersion, f.Format)
	}
	if f.ID == "" {
		l.errorf("id", "id is required")
	}
	parties := l.ids("parties", len(f.Parties), func(i int) string { return f.Parties[i].ID }, partyRe)
	terms := l.ids("terms", len(f.Terms), func(i int) string { return f.Terms[i].ID }, slugRe)
	sources := l.ids("sources", len(f.Sources), func(i int) string { return f.Sources[i].ID }, slugRe)
	if len(f.Parties) == 0 {
		l.errorf("parties", "no parties: declare who takes positions")
	}
	if len(f.Terms) == 0 {
		l.errorf("terms", "no terms: declare the terms on the table")
	}
	if len(f.Terms) > MaxTerms {
		l.errorf("terms", "%d terms, more than the %d a file may hold", len(f.Terms), MaxTerms)
	}
	for i, t := range f.Terms {
		if t.Title == "" {
			l.errorf(strictyaml.JoinIndex("terms", i), "term %q: title is required", t.ID)
		}
	}
	for i, s := range f.Sources {
		p := strictyaml.JoinIndex("sources", i)
		if s.Title == "" {
			l.errorf(p, "source %q: title is required", s.ID)
		}
		if s.Date != "" {
			if _, err := time.Parse(DateLayout, s.Date); err != nil {
				l.errorf(p+".date", "date %q: want a date like 2025-03-18", s.Date)
			}
		}
	}
	f.conds = make([]*Expr, len(f.Positions))
	type key struct{ party, term string }
	last := map[key]int{} // the previous position of a party on a term
	for i, ps := range f.Positions {
		p := strictyaml.JoinIndex("positions", i)
		okParty, okTerm := true, true
		if _, ok := parties[ps.Party]; !ok {
			okParty = false
			l.errorf(p+".party", "unknown party %q: declare it under parties", ps.Party)
		}
		if _, ok := terms[ps.Term]; !ok {
			okTerm = false
			l.errorf(p+".term", "unknown term %q: declare it under terms", ps.Term)
		}
		if _, ok := sources[ps.Source]; !ok {
			if ps.Source == "" {
				l.errorf(p, "%s: source is required (every stance cites where it was stated)", p)
			} else {
				l.errorf(p+".source", "unknown source %q: declare it under sources", ps.Source)
			}
		}
		d, err := time.Parse(DateLayout, ps.Date)
		if err != nil {
			l.errorf(p+".date", "date %q: want a date like 2025-03-18", ps.Date)
		}
		if !ps.Stance.valid() {
			l.errorf(p+".stance", "stance %q: want supports, rejects, conditional or unknown", ps.Stance)
		}
		switch {
		case ps.Stance == Conditional && ps.Condition == "":
			l.errorf(p+".stance", "a conditional stance needs a condition: the terms it depends on, e.g. arms-pause AND mobilisation-halt")
		case ps.Stance != Conditional && ps.Condition != "":
			l.errorf(p+".condition", "a condition is only for a conditional stance, not %s", ps.Stance)
		case ps.Condition != "":
			f.conds[i] = l.condition(p+".condition", ps, terms)
		}
		if !okParty || !okTerm || err != nil {
			continue
		}
		k := key{ps.Party, ps.Term}
		if j, seen := last[k]; seen && f.Positions[j].Date > ps.Date {
			at, _ := l.pos.Lookup(strictyaml.JoinIndex("positions", j) + ".date")
			l.errorf(p+".date", "%s on %s dated %s, before the position above it (%s, line %d): write each party's positions on a term in date order",
				ps.Party, ps.Term, d.Format(DateLayout), f.Positions[j].Date, at.Line)
		}
		last[k] = i
	}
}

// condition parses a formula and checks its terms, pointing at the term
// itself: line:col of the value plus the term's offset in it.
func (l *linter) condition(path string, ps Position, terms map[string]int) *Expr {
	e, err := ParseFormula(ps.Condition)
	if err != nil {
		var fe *FormulaError
		if errors.As(err, &fe) {
			l.out = append(l.out, l.at(path, fe.Off, "condition %q: %s", ps.Condition, fe.Msg))
		}
		return nil
	}
	ok := true
	var walk func(x *Expr)
	walk = func(x *Expr) {
		if x.Op == OpTerm {
			i, known := terms[x.Term]
			switch {
			case !known:
				ok = false
				l.out = append(l.out, l.at(path, x.Off, "unknown term %q in the condition: declare it under terms", x.Term))
			case x.Term == ps.Term:
				ok = false
				l.out = append(l.out, l.at(path, x.Off, "the condition for %s names %s itself: a term cannot be its own condition", ps.Term, x.Term))
			default:
				x.bit = i
			}
		}
		for _, a := range x.Args {
			walk(a)
		}
	}
	walk(e)
	if !ok {
		return nil
	}
	return e
}

// at is a problem at byte offset off inside the scalar at path: plain and
// quoted scalars written on one line are pointed at exactly; a folded or
// multi-line value at its start.
func (l *linter) at(path string, off int, format string, args ...any) Problem {
	p := l.pos.Problem(path, format, args...)
	start := lineOffset(l.data, p.Line) + p.Column - 1
	if start < 0 || start >= len(l.data) {
		return p
	}
	switch l.data[start] {
	case '"', '\'':
		p.Column += 1 + off
	case '|', '>':
	default:
		p.Column += off
	}
	return p
}

// lineOffset is the byte offset where line n (from 1) starts.
func lineOffset(data []byte, n int) int {
	line := 1
	for i, c := range data {
		if line == n {
			return i
		}
		if c == '\n' {
			line++
		}
	}
	if line == n {
		return len(data)
	}
	return -1 << 30
}

// String describes the file for messages.
func (f *File) String() string { return fmt.Sprintf("%s (%s)", f.name, f.ID) }
