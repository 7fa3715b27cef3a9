package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/truce-monitor/truce/internal/positions"
)

// matrixJSON is the matrix for programs.
type matrixJSON struct {
	File    string             `json:"file"`
	Date    string             `json:"date"`
	Parties []positions.Party  `json:"parties"`
	Terms   []positions.Term   `json:"terms"`
	Cells   []matrixCellJSON   `json:"cells"`
	Sources []positions.Source `json:"sources"`
}

type matrixCellJSON struct {
	Party     string           `json:"party"`
	Term      string           `json:"term"`
	Stance    positions.Stance `json:"stance"`
	Condition string           `json:"condition,omitempty"`
	Since     string           `json:"since,omitempty"`
	Source    string           `json:"source,omitempty"`
	Quote     string           `json:"quote,omitempty"`
	Note      string           `json:"note,omitempty"`
}

func matrixView(f *positions.File, s positions.Snapshot) matrixJSON {
	m := matrixJSON{File: f.Name(), Date: day(s.Date), Parties: s.Parties, Terms: s.Terms, Sources: f.Sources}
	for i, p := range s.Parties {
		for j, t := range s.Terms {
			c := s.Cells[i][j]
			cell := matrixCellJSON{Party: p.ID, Term: t.ID, Stance: c.Stance}
			if c.Cond != nil {
				cell.Condition = c.Cond.String()
			}
			if ps := c.Position; ps != nil {
				cell.Since, cell.Source, cell.Quote, cell.Note = ps.Date, ps.Source, ps.Quote, ps.Note
			}
			m.Cells = append(m.Cells, cell)
		}
	}
	return m
}

// short is a cell in a grid: the stance, or "if FORMULA".
func short(c positions.Cell) string {
	switch {
	case c.Cond != nil:
		return "if " + c.Cond.String()
	case c.Position == nil:
		return "-"
	}
	return string(c.Stance)
}

// writeMatrixTable prints terms down, parties across, then each stated
// stance with its date, source and quote.
func writeMatrixTable(w io.Writer, f *positions.File, s positions.Snapshot) error {
	fmt.Fprintf(w, "Positions on %s (%s); - is no position recorded (unknown)\n\n", day(s.Date), f.Name())
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, "TERM")
	for _, p := range s.Parties {
		fmt.Fprintf(tw, "\t%s", p.ID)
	}
	fmt.Fprintln(tw)
	for j, t := range s.Terms {
		fmt.Fprint(tw, t.ID)
		for i := range s.Parties {
			fmt.Fprintf(tw, "\t%s", short(s.Cells[i][j]))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nStances recorded:")
	cited := map[string]bool{}
	for i, p := range s.Parties {
		for j, t := range s.Terms {
			c := s.Cells[i][j]
			if c.Position == nil {
				continue
			}
			cited[c.Position.Source] = true
			fmt.Fprintf(w, "  %s on %s: %s since %s [%s]\n", p.ID, t.ID, short(c), c.Position.Date, c.Position.Source)
			if c.Position.Quote != "" {
				fmt.Fprintf(w, "      quote: %s\n", oneLine(c.Position.Quote))
			}
		}
	}
	fmt.Fprintln(w, "\nSources:")
	for _, src := range f.Sources {
		if cited[src.ID] {
			fmt.Fprintf(w, "  %s\n", sourceText(f, src.ID))
		}
	}
	return nil
}

func writeMatrixMarkdown(w io.Writer, f *positions.File, s positions.Snapshot) error {
	fmt.Fprintf(w, "# Positions on %s\n\n%s (`%s`). Each cell: the stance, its condition, since when and on whose word.\n\n", day(s.Date), f.Title, f.Name())
	fmt.Fprint(w, "| Term |")
	for _, p := range s.Parties {
		fmt.Fprintf(w, " %s |", mdEscape(p.Name))
	}
	fmt.Fprint(w, "\n|---|")
	for range s.Parties {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for j, t := range s.Terms {
		fmt.Fprintf(w, "| **%s** %s |", t.ID, mdEscape(t.Title))
		for i := range s.Parties {
			c := s.Cells[i][j]
			cell := "unknown"
			if c.Position != nil {
				cell = fmt.Sprintf("%s (%s, %s)", mdEscape(short(c)), c.Position.Date, mdEscape(c.Position.Source))
			}
			fmt.Fprintf(w, " %s |", cell)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\n## Sources")
	for _, src := range f.Sources {
		fmt.Fprintf(w, "\n- `%s`: %s\n", src.ID, mdEscape(sourceText(f, src.ID)))
	}
	return nil
}

func mdEscape(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// sourceText names a source: title, publisher, date, url.
func sourceText(f *positions.File, id string) string {
	src, ok := f.Source(id)
	if !ok {
		return id
	}
	parts := []string{src.Title}
	if src.Publisher != "" {
		parts = append(parts, src.Publisher)
	}
	if src.Date != "" {
		parts = append(parts, src.Date)
	}
	if src.URL != "" {
		parts = append(parts, src.URL)
	}
	return id + " (" + strings.Join(parts, ", ") + ")"
}

// reasonText is one stance as it bears on a package.
func stanceReason(r positions.Reason) string {
	s := fmt.Sprintf("%s %s %s", r.Party, r.Stance, r.Term)
	if r.Condition != "" {
		s = fmt.Sprintf("%s accepts %s only if %s", r.Party, r.Term, r.Condition)
		if r.Why != "" {
			s += " (" + r.Why + ")"
		}
	}
	if r.Source != "" {
		s += fmt.Sprintf(" [%s, %s]", r.Source, r.Date)
	} else if r.Stance == positions.Unknown {
		s = fmt.Sprintf("%s has no recorded position on %s", r.Party, r.Term)
	}
	return s
}

func setText(ids []string) string {
	if len(ids) == 0 {
		return "{} (nothing)"
	}
	return "{" + strings.Join(ids, ", ") + "}"
}

func writeGround(w io.Writer, f *positions.File, r positions.Result) error {
	fmt.Fprintf(w, "Common ground on %s (%s)\n", r.Date, f.Name())
	fmt.Fprintf(w, "Method: %s\n", r.Method)
	fmt.Fprintf(w, "Terms on the table (%d): %s\n", len(r.Terms), strings.Join(r.Terms, ", "))
	if len(r.Idle) > 0 {
		fmt.Fprintf(w, "Idle (no stance, no condition names them; left out): %s\n", strings.Join(r.Idle, ", "))
	}
	fmt.Fprintf(w, "Acceptable packages: %s, the empty one included; %d maximal (every acceptable package is part of one)\n", r.Count, len(r.Packages))
	if r.OnlyEmpty {
		fmt.Fprintln(w, "\nNo package but the empty one is acceptable to every party.")
	}
	for i, p := range r.Packages {
		if r.OnlyEmpty {
			break
		}
		fmt.Fprintf(w, "\n%d. %d term(s): %s\n", i+1, len(p.Include), setText(p.Include))
		if len(p.Exclude) > 0 {
			fmt.Fprintf(w, "   excluded: %s\n", strings.Join(p.Exclude, ", "))
		}
		fmt.Fprintln(w, "   every party accepts it: no one rejects an included term, and each condition on one is met")
		for _, m := range p.Met {
			fmt.Fprintf(w, "   - met: %s\n", stanceReason(m))
		}
		for _, u := range unknownByTerm(p.Unknown) {
			fmt.Fprintf(w, "   - rests on unknown stances on %s\n", u)
		}
	}
	if len(r.Blocked) > 0 {
		fmt.Fprintln(w, "\nPackages that fail, and what blocks them:")
		for _, b := range r.Blocked {
			fmt.Fprintf(w, "\n  %s\n", setText(b.Include))
			for _, x := range b.Blocks {
				fmt.Fprintf(w, "  - %s\n", stanceReason(x))
			}
		}
	}
	if len(r.Openings) > 0 {
		proof := "the fewest"
		if !r.OpeningsExact {
			proof = "the fewest found (the search stopped before proving it)"
		}
		fmt.Fprintf(w, "\nWhat would open a package: %s stance changes, each to supports:\n", proof)
		for _, o := range r.Openings {
			var ch []string
			for _, c := range o.Changes {
				ch = append(ch, fmt.Sprintf("%s on %s (now %s)", c.Party, c.Term, stanceWords(c)))
			}
			fmt.Fprintf(w, "  - %s would open %s\n", strings.Join(ch, " and "), setText(o.Include))
		}
	}
	return nil
}

func stanceWords(r positions.Reason) string {
	if r.Condition != "" {
		return "only if " + r.Condition
	}
	return string(r.Stance)
}

func writeTimeline(w io.Writer, steps []positions.Step) error {
	for _, st := range steps {
		fmt.Fprintf(w, "%s\n", st.Date)
		for i, c := range st.Changes {
			if was := stanceWords(st.Was[i]); was == stanceWords(c) {
				fmt.Fprintf(w, "  %s on %s: %s, restated [%s]\n", c.Party, c.Term, was, c.Source)
			} else {
				fmt.Fprintf(w, "  %s on %s: %s -> %s [%s]\n", c.Party, c.Term, was, stanceWords(c), c.Source)
			}
		}
		change := "unchanged"
		switch {
		case len(st.Gained) > 0 && len(st.Lost) > 0:
			change = "gained " + strings.Join(st.Gained, ", ") + "; lost " + strings.Join(st.Lost, ", ")
		case len(st.Gained) > 0:
			change = "gained " + strings.Join(st.Gained, ", ")
		case len(st.Lost) > 0:
			change = "lost " + strings.Join(st.Lost, ", ")
		}
		fmt.Fprintf(w, "  => common ground: largest package %s (%s); %s acceptable package(s), %d maximal\n", setText(st.Best), change, st.Count, st.Maximal)
	}
	return nil
}

// unknownByTerm groups the unknown stances a package rests on by term:
// "black-sea: RU (stated unknown), UA, GB".
func unknownByTerm(rs []positions.Reason) []string {
	var out []string
	var parties []string
	for i, r := range rs {
		name := r.Party
		if r.Source != "" {
			name += " (unknown per " + r.Source + ")"
		}
		parties = append(parties, name)
		if i == len(rs)-1 || rs[i+1].Term != r.Term {
			out = append(out, r.Term+": "+strings.Join(parties, ", "))
			parties = nil
		}
	}
	return out
}
