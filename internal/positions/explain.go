package positions

// Explanations: why a package is acceptable, what blocks one that is not.

// ids names the terms of a set, in file order.
func (p *problem) ids(set uint64) []string {
	out := []string{}
	for t, term := range p.s.Terms {
		if set&(1<<t) != 0 {
			out = append(out, term.ID)
		}
	}
	return out
}

func (p *problem) reason(party, term int) Reason {
	c := p.s.Cells[party][term]
	r := Reason{Party: p.s.Parties[party].ID, Term: p.s.Terms[term].ID, Stance: c.Stance}
	if c.Cond != nil {
		r.Condition = c.Cond.String()
	}
	if c.Position != nil {
		r.Source, r.Date, r.Quote = c.Position.Source, c.Position.Date, c.Position.Quote
	}
	return r
}

// why states the terms a condition names, as the package has them.
func (p *problem) why(e *Expr, in uint64) string {
	var s string
	for i, id := range e.Terms() {
		if i > 0 {
			s += ", "
		}
		state := "excluded"
		if in&(1<<p.s.TermIndex(id)) != 0 {
			state = "included"
		}
		s += id + " " + state
	}
	return s
}

// explain says why every party accepts an acceptable package.
func (p *problem) explain(in uint64) Package {
	pk := Package{Include: p.ids(in), Exclude: p.ids(p.active &^ in)}
	for t := range p.s.Terms {
		if in&(1<<t) == 0 {
			continue
		}
		for i := range p.s.Parties {
			c := p.s.Cells[i][t]
			switch {
			case c.Stance == Conditional:
				r := p.reason(i, t)
				r.Why = p.why(c.Cond, in)
				pk.Met = append(pk.Met, r)
			case c.Stance == Unknown:
				pk.Unknown = append(pk.Unknown, p.reason(i, t))
			}
		}
	}
	return pk
}

// blocks lists what keeps a package from being accepted.
func (p *problem) blocks(in uint64) []Reason {
	var out []Reason
	for t := range p.s.Terms {
		if in&(1<<t) == 0 {
			continue
		}
		for i := range p.s.Parties {
			c := p.s.Cells[i][t]
			switch {
			case c.Stance == Rejects:
				out = append(out, p.reason(i, t))
			case c.Stance == Conditional && (c.Cond == nil || c.Cond.eval3(in, ^uint64(0)) != triTrue):
				r := p.reason(i, t)
				if c.Cond != nil {
					r.Why = p.why(c.Cond, in)
				}
				out = append(out, r)
			}
		}
	}
	return out
}

// blocked explains the packages that fail: all terms, and the best
// package with each term it leaves out.
func (p *problem) blocked(maximal []uint64) []Blocked {
	var out []Blocked
	seen := map[uint64]bool{}
	add := func(in uint64) {
		if seen[in] {
			return
		}
		seen[in] = true
		if b := p.blocks(in); len(b) > 0 {
			out = append(out, Blocked{Include: p.ids(in), Blocks: b})
		}
	}
	add(p.active)
	if len(maximal) > 0 {
		best := maximal[0]
		for t := range p.s.Terms {
			if bit := uint64(1) << t; p.active&bit != 0 && best&bit == 0 {
				add(best | bit)
			}
		}
	}
	return out
}
