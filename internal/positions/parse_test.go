package positions

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

const valid = `format: 1
id: t
title: Test
parties:
  - {id: RU, name: Russia}
  - {id: UA, name: Ukraine}
terms:
  - {id: ceasefire, title: A ceasefire}
  - {id: arms-pause, title: A pause in arms supplies}
  - {id: mobilisation-halt, title: A halt to mobilisation}
sources:
  - {id: s1, title: A statement}
positions:
  - party: RU
    term: ceasefire
    date: 2025-03-13
    stance: conditional
    condition: arms-pause AND mobilisation-halt
    source: s1
  - party: UA
    term: ceasefire
    date: 2025-03-11
    stance: supports
    source: s1
`

func TestParseValid(t *testing.T) {
	f, err := Parse("t.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	s := f.At(day)
	c := s.Cells[s.PartyIndex("RU")][s.TermIndex("ceasefire")]
	if c.Stance != Conditional || c.Cond.String() != "arms-pause AND mobilisation-halt" {
		t.Errorf("RU on ceasefire: %+v", c)
	}
	if got := f.At(day.AddDate(0, 0, -6)).Cells[0][0].Stance; got != Unknown {
		t.Errorf("before the first position: %s, want unknown", got)
	}
}

// Each edit of the valid file is refused at the position given.
func TestLintPositions(t *testing.T) {
	cases := []struct{ name, old, new, at, msg string }{
		{"unknown key", "    stance: supports\n", "    stance: supports\n    stanse: x\n", "t.yaml:24:5:", `unknown key "stanse"`},
		{"unknown term in a formula", "arms-pause AND mobilisation-halt", "arms-pause AND demobilisation", "t.yaml:18:31:", `unknown term "demobilisation"`},
		{"unknown term in a quoted formula", "condition: arms-pause AND mobilisation-halt", `condition: "(arms-pause OR mobilisaton-halt)"`, "t.yaml:18:32:", `unknown term "mobilisaton-halt"`},
		{"bad formula", "arms-pause AND mobilisation-halt", "arms-pause AND (mobilisation-halt", "t.yaml:18:31:", "never closed"},
		{"lower-case keyword", "arms-pause AND mobilisation-halt", "arms-pause and mobilisation-halt", "t.yaml:18:27:", `unexpected "and"`},
		{"self condition", "arms-pause AND mobilisation-halt", "ceasefire OR arms-pause", "t.yaml:18:16:", "its own condition"},
		{"unknown party", "  - party: UA\n", "  - party: EU\n", "t.yaml:20:12:", `unknown party "EU"`},
		{"unknown term", "    term: ceasefire\n    date: 2025-03-11", "    term: truce\n    date: 2025-03-11", "t.yaml:21:11:", `unknown term "truce"`},
		{"unknown source", "    source: s1\n", "    source: s2\n", "t.yaml:19:13:", `unknown source "s2"`},
		{"duplicate id", "{id: mobilisation-halt,", "{id: arms-pause,", "t.yaml:10:10:", `duplicate id "arms-pause" (first at line 9)`},
		{"bad date", "date: 2025-03-11", "date: 11/03/2025", "t.yaml:22:11:", "want a date like 2025-03-18"},
		{"bad stance", "stance: supports", "stance: accepts", "t.yaml:23:13:", `stance "accepts"`},
		{"condition without conditional", "    stance: supports\n", "    stance: supports\n    condition: arms-pause\n", "t.yaml:24:16:", "only for a conditional stance"},
		{"conditional without condition", "    condition: arms-pause AND mobilisation-halt\n", "", "t.yaml:17:13:", "needs a condition"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := strings.Replace(valid, c.old, c.new, 1)
			if body == valid {
				t.Fatal("the edit matched nothing")
			}
			_, err := Parse("t.yaml", []byte(body))
			if !strictyaml.HasProblem(err, c.at, c.msg) {
				t.Errorf("want %s ... %s, got:\n%v", c.at, c.msg, err)
			}
		})
	}
}

func TestLintDatesOutOfOrder(t *testing.T) {
	body := valid + `  - party: UA
    term: ceasefire
    date: 2025-03-10
    stance: rejects
    source: s1
`
	_, err := Parse("t.yaml", []byte(body))
	if !strictyaml.HasProblem(err, "t.yaml:27:11:", "before the position above it (2025-03-11, line 22)") {
		t.Errorf("got %v", err)
	}
}

func TestParseFormula(t *testing.T) {
	for in, want := range map[string]string{
		"a AND b OR c":          "a AND b OR c",
		"a AND (b OR c)":        "a AND (b OR c)",
		"NOT (a AND b)":         "NOT (a AND b)",
		"NOT a AND NOT b":       "NOT a AND NOT b",
		"((a))":                 "a",
		"a OR b AND NOT c OR d": "a OR b AND NOT c OR d",
	} {
		e, err := ParseFormula(in)
		if err != nil || e.String() != want {
			t.Errorf("%q: %v %v, want %q", in, e, err, want)
		}
	}
	for _, bad := range []string{"", "a AND", "AND a", "a b", "a AND (b", "a)", "a & b", "Arms"} {
		if _, err := ParseFormula(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
