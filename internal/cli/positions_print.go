package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/positions"
)

// short is a cell in a grid: the stance, or "if FORMULA".
func short(c app.MatrixCell) string {
	switch {
	case c.Condition != "":
		return "if " + c.Condition
	case c.Since == "":
		return "-"
	}
	return string(c.Stance)
}

// writeMatrixTable prints terms down, parties across, then each stated
// stance with its date, source and quote.
func writeMatrixTable(w io.Writer, m app.PositionsMatrix) error {
	fmt.Fprintf(w, "Positions on %s (%s); - is no position recorded (unknown)\n\n", m.Date, m.File)
	if err := writeMatrixGrid(w, m); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nStances recorded:")
	cited := map[string]bool{}
	for _, c := range m.Cells {
		if c.Since == "" {
			continue
		}
		cited[c.Source] = true
		fmt.Fprintf(w, "  %s on %s: %s since %s [%s]\n", c.Party, c.Term, short(c), c.Since, c.Source)
		if c.Quote != "" {
			fmt.Fprintf(w, "      quote: %s\n", oneLine(c.Quote))
		}
	}
	fmt.Fprintln(w, "\nSources:")
	for _, src := range m.Sources {
		if cited[src.ID] {
			fmt.Fprintf(w, "  %s\n", sourceText(m.Sources, src.ID))
		}
	}
	return nil
}

// writeMatrixGrid prints terms down, parties across, each cell its
// stance or condition.
func writeMatrixGrid(w io.Writer, m app.PositionsMatrix) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprint(tw, "TERM")
	for _, p := range m.Parties {
		fmt.Fprintf(tw, "\t%s", p.ID)
	}
	fmt.Fprintln(tw)
	for j, t := range m.Terms {
		fmt.Fprint(tw, t.ID)
		for i := range m.Parties {
			fmt.Fprintf(tw, "\t%s", short(m.Cell(i, j)))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func writeMatrixMarkdown(w io.Writer, m app.PositionsMatrix) error {
	fmt.Fprintf(w, "# Positions on %s\n\n%s (`%s`). Each cell: the stance, its condition, since when and on whose word.\n\n", m.Date, m.Title, m.File)
	fmt.Fprint(w, "| Term |")
	for _, p := range m.Parties {
		fmt.Fprintf(w, " %s |", mdEscape(p.Name))
	}
	fmt.Fprint(w, "\n|---|")
	for range m.Parties {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for j, t := range m.Terms {
		fmt.Fprintf(w, "| **%s** %s |", t.ID, mdEscape(t.Title))
		for i := range m.Parties {
			c := m.Cell(i, j)
			cell := "unknown"
			if c.Since != "" {
				cell = fmt.Sprintf("%s (%s, %s)", mdEscape(short(c)), c.Since, mdEscape(c.Source))
			}
			fmt.Fprintf(w, " %s |", cell)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\n## Sources")
	for _, src := range m.Sources {
		fmt.Fprintf(w, "\n- `%s`: %s\n", src.ID, mdEscape(sourceText(m.Sources, src.ID)))
	}
	return nil
}

func mdEscape(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// sourceText names a source: title, publisher, date, url.
func sourceText(sources []positions.Source, id string) string {
	i := slices.IndexFunc(sources, func(s positions.Source) bool { return s.ID == id })
	if i < 0 {
		return id
	}
	src := sources[i]
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

func writeGround(w io.Writer, g app.PositionsGround) error {
	r := g.Result
	fmt.Fprintf(w, "Common ground on %s (%s)\n", r.Date, g.File)
	fmt.Fprintf(w, "Method: %s\n", r.Method)
	fmt.Fprintf(w, "Terms on the table (%d): %s\n", len(r.Terms), strings.Join(r.Terms, ", "))
	if len(r.Idle) > 0 {
		fmt.Fprintf(w, "Idle (no stance, no condition names them; left out): %s\n", strings.Join(r.Idle, ", "))
	}
	fmt.Fprintf(w, "Acceptable packages: %s, the empty one included; %d maximal (every acceptable package is part of one)\n", r.Count, len(r.Packages)+g.MorePackages)
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
	if g.MorePackages > 0 {
		fmt.Fprintf(w, "\n... and %d more maximal package(s), none larger than the last above (--top N shows more)\n", g.MorePackages)
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
		writeOpenings(w, r.Openings)
	}
	return nil
}

// writeGroundBrief is the common ground in a few lines (for the demo):
// the packages, then for each term the largest package leaves out, what
// keeps it out.
func writeGroundBrief(w io.Writer, g app.PositionsGround) error {
	r := g.Result
	fmt.Fprintf(w, "Common ground on %s: %s acceptable package(s), the empty one included; %d maximal; by %s\n",
		r.Date, r.Count, len(r.Packages)+g.MorePackages, r.Method)
	if r.OnlyEmpty {
		fmt.Fprintln(w, "  No package but the empty one is acceptable to every party; what would open one:")
		writeOpenings(w, r.Openings)
		return nil
	}
	for i, p := range r.Packages {
		fmt.Fprintf(w, "  %d. %s", i+1, setText(p.Include))
		if n := len(unknownByTerm(p.Unknown)); n > 0 {
			fmt.Fprintf(w, ", resting on unknown stances on %d of its terms", n)
		}
		fmt.Fprintln(w)
	}
	if g.MorePackages > 0 {
		fmt.Fprintf(w, "  ... and %d more\n", g.MorePackages)
	}
	fmt.Fprintln(w, "  What keeps each other term out of the largest:")
	best := r.Packages[0].Include
	for _, b := range r.Blocked {
		var added []string
		for _, t := range b.Include {
			if !slices.Contains(best, t) {
				added = append(added, t)
			}
		}
		if len(added) != 1 {
			continue // the package of every term: its blocks are each term's
		}
		var why []string
		for _, x := range b.Blocks {
			why = append(why, stanceReason(x))
		}
		fmt.Fprintf(w, "  + %s: %s\n", added[0], strings.Join(why, "; "))
	}
	return nil
}

func writeOpenings(w io.Writer, openings []positions.Opening) {
	for _, o := range openings {
		var ch []string
		for _, c := range o.Changes {
			ch = append(ch, fmt.Sprintf("%s on %s (now %s)", c.Party, c.Term, stanceWords(c)))
		}
		fmt.Fprintf(w, "  - %s would open %s\n", strings.Join(ch, " and "), setText(o.Include))
	}
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

func writePositionSets(w io.Writer, sets []app.PositionsSummary) error {
	if len(sets) == 0 {
		fmt.Fprintln(w, "no positions stored (truce positions import FILE)")
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tVERSION\tSTORED\tBY\tTITLE")
	for _, s := range sets {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", s.ID, s.Version, s.StoredAt.UTC().Format("2006-01-02 15:04"), s.StoredBy, oneLine(s.Title))
	}
	return tw.Flush()
}
