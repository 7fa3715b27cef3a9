package positions

import (
	"fmt"
	"strings"
)

// Expr is a parsed condition: a boolean formula over term ids with AND, OR,
// NOT and parentheses. NOT binds tighter than AND, AND tighter than OR.
// Keywords are upper case; term ids are lower-case slugs, so the two never
// clash.
type Expr struct {
	Op   Op
	Term string  // for OpTerm
	Off  int     // byte offset of the term or operator in the formula text
	Args []*Expr // one for OpNot, two or more for OpAnd and OpOr
	bit  int     // the term's index in the file's terms, for OpTerm
}

// Op is the kind of an Expr node.
type Op int

// Ops.
const (
	OpTerm Op = iota
	OpNot
	OpAnd
	OpOr
)

// String writes the formula back with the fewest parentheses.
func (e *Expr) String() string {
	switch e.Op {
	case OpTerm:
		return e.Term
	case OpNot:
		s := e.Args[0].String()
		if e.Args[0].Op == OpAnd || e.Args[0].Op == OpOr {
			s = "(" + s + ")"
		}
		return "NOT " + s
	}
	sep := " AND "
	if e.Op == OpOr {
		sep = " OR "
	}
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
		if e.Op == OpAnd && a.Op == OpOr {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

// Terms lists the term ids the formula mentions, each once, in order.
func (e *Expr) Terms() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(*Expr)
	walk = func(x *Expr) {
		if x.Op == OpTerm && !seen[x.Term] {
			seen[x.Term] = true
			out = append(out, x.Term)
		}
		for _, a := range x.Args {
			walk(a)
		}
	}
	walk(e)
	return out
}

// Eval says whether the formula holds when exactly the terms for which
// included returns true are in the package.
func (e *Expr) Eval(included func(term string) bool) bool {
	switch e.Op {
	case OpTerm:
		return included(e.Term)
	case OpNot:
		return !e.Args[0].Eval(included)
	case OpAnd:
		for _, a := range e.Args {
			if !a.Eval(included) {
				return false
			}
		}
		return true
	}
	for _, a := range e.Args {
		if a.Eval(included) {
			return true
		}
	}
	return false
}

// tri is a three-valued truth value, for partial packages.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// eval3 evaluates under a partial package: bit i of set says whether term i
// is decided, bit i of in whether it is included.
func (e *Expr) eval3(in, set uint64) tri {
	switch e.Op {
	case OpTerm:
		if set&(1<<e.bit) == 0 {
			return triUnknown
		}
		if in&(1<<e.bit) != 0 {
			return triTrue
		}
		return triFalse
	case OpNot:
		switch e.Args[0].eval3(in, set) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case OpAnd:
		r := triTrue
		for _, a := range e.Args {
			switch a.eval3(in, set) {
			case triFalse:
				return triFalse
			case triUnknown:
				r = triUnknown
			}
		}
		return r
	}
	r := triFalse
	for _, a := range e.Args {
		switch a.eval3(in, set) {
		case triTrue:
			return triTrue
		case triUnknown:
			r = triUnknown
		}
	}
	return r
}

// FormulaError is a formula that does not parse, at a byte offset.
type FormulaError struct {
	Off int
	Msg string
}

func (e *FormulaError) Error() string { return fmt.Sprintf("at character %d: %s", e.Off+1, e.Msg) }

// maxFormula bounds a formula's length (and so its nesting).
const maxFormula = 2000

// ParseFormula parses a condition. Term ids are not checked here: the lint
// checks them against the file's terms.
func ParseFormula(s string) (*Expr, error) {
	if len(s) > maxFormula {
		return nil, &FormulaError{Off: 0, Msg: fmt.Sprintf("%d characters, more than the %d allowed", len(s), maxFormula)}
	}
	p := &formulaParser{toks: lex(s), end: len(s)}
	for _, t := range p.toks {
		if t.kind == tokBad {
			return nil, &FormulaError{Off: t.off, Msg: fmt.Sprintf("unexpected %q: write term ids (lower case), AND, OR, NOT and parentheses", t.text)}
		}
	}
	if len(p.toks) == 0 {
		return nil, &FormulaError{Off: 0, Msg: "empty condition: name the terms the stance depends on"}
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, &FormulaError{Off: t.off, Msg: fmt.Sprintf("unexpected %q: join terms with AND or OR", t.text)}
	}
	return e, nil
}

type tokKind int

const (
	tokTerm tokKind = iota
	tokAnd
	tokOr
	tokNot
	tokOpen
	tokClose
	tokBad
)

type tok struct {
	kind tokKind
	text string
	off  int
}

func isSlug(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' }

func lex(s string) []tok {
	var out []tok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, tok{tokOpen, "(", i})
			i++
		case c == ')':
			out = append(out, tok{tokClose, ")", i})
			i++
		case isSlug(c):
			j := i
			for j < len(s) && isSlug(s[j]) {
				j++
			}
			out = append(out, tok{tokTerm, s[i:j], i})
			i = j
		case c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || isSlug(s[j])) {
				j++
			}
			k := tokBad
			switch s[i:j] {
			case "AND":
				k = tokAnd
			case "OR":
				k = tokOr
			case "NOT":
				k = tokNot
			}
			out = append(out, tok{k, s[i:j], i})
			i = j
		default:
			out = append(out, tok{tokBad, string(c), i})
			i++
		}
	}
	return out
}

type formulaParser struct {
	toks []tok
	i    int
	end  int
}

func (p *formulaParser) peek(k tokKind) bool { return p.i < len(p.toks) && p.toks[p.i].kind == k }

func (p *formulaParser) binary(op Op, k tokKind, next func() (*Expr, error)) (*Expr, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	args := []*Expr{first}
	off := 0
	for p.peek(k) {
		off = p.toks[p.i].off
		p.i++
		e, err := next()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &Expr{Op: op, Off: off, Args: args}, nil
}

func (p *formulaParser) or() (*Expr, error)  { return p.binary(OpOr, tokOr, p.and) }
func (p *formulaParser) and() (*Expr, error) { return p.binary(OpAnd, tokAnd, p.unary) }

func (p *formulaParser) unary() (*Expr, error) {
	if p.i >= len(p.toks) {
		return nil, &FormulaError{Off: p.end, Msg: "the condition ends where a term is expected"}
	}
	t := p.toks[p.i]
	switch t.kind {
	case tokNot:
		p.i++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Expr{Op: OpNot, Off: t.off, Args: []*Expr{e}}, nil
	case tokOpen:
		p.i++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.peek(tokClose) {
			return nil, &FormulaError{Off: t.off, Msg: "this parenthesis is never closed"}
		}
		p.i++
		return e, nil
	case tokTerm:
		p.i++
		return &Expr{Op: OpTerm, Term: t.text, Off: t.off}, nil
	}
	return nil, &FormulaError{Off: t.off, Msg: fmt.Sprintf("unexpected %q where a term is expected", t.text)}
}
