package report

import (
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/compliance"
)

// implementationSections score the agreement's positive obligations: one
// section saying what the levels mean, then one per obligation with its
// level as of the period's last day and a table of its steps, each with
// its evidence.
func implementationSections(r *compliance.Report) []section {
	if len(r.Implementation) == 0 {
		return nil
	}
	counted := ""
	if r.Prohibitions > 0 {
		counted = " Obligations yield no findings and are not counted above."
	}
	out := []section{{Heading: "Implementation", Level: 2, Blocks: []block{{Text: fmt.Sprintf(
		"The agreement's positive obligations (what a party must do, not conduct it must not engage in), scored in the spirit of the Peace Accords Matrix: "+
			"not started, minimal, intermediate, full. An obligation's level on a day is that of its last recorded step on or before it; "+
			"each step names the source it rests on. Levels as of %s.%s", r.Implementation[0].AsOf, counted)}}}}
	for _, o := range r.Implementation {
		s := section{Heading: o.Commitment + ": " + o.Title, Level: 3}
		must := "Bound: " + strings.Join(o.Bound, ", ") + ". Must: " + strings.TrimSpace(o.Action)
		if o.Due != "" {
			must += " Due by " + o.Due + "."
		}
		level := fmt.Sprintf("Level as of %s: %s.", o.AsOf, levelText(o.Level))
		if o.Overdue {
			level += " Overdue: the due date has passed."
		}
		s.Blocks = append(s.Blocks, block{Text: must}, block{Text: level})
		if len(o.Steps) == 0 {
			s.Blocks = append(s.Blocks, block{Text: "No step recorded by then."})
			out = append(out, s)
			continue
		}
		t := &table{Head: []string{"date", "level", "change", "evidence", "note"}}
		for _, st := range o.Steps {
			t.Rows = append(t.Rows, []string{st.Date, levelText(st.Level), st.Change, evidence(st.Evidence), strings.TrimSpace(st.Note)})
		}
		s.Blocks = append(s.Blocks, block{Table: t})
		out = append(out, s)
	}
	return out
}

func levelText(l agreement.Level) string { return strings.ReplaceAll(string(l), "_", " ") }

// evidence names a source: its id, publisher, title and date, and its
// address when it has one.
func evidence(s agreement.Source) string {
	parts := []string{s.ID}
	for _, p := range []string{s.Publisher, s.Title, s.Date, s.URL} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}
