package agreement

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func readObligation(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/obligation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A positive obligation parses with its steps; it is not among the terms
// matching evaluates, and Normalize lists it apart.
func TestObligationIsValid(t *testing.T) {
	a, err := Parse("obligation.yaml", []byte(readObligation(t)))
	if err != nil {
		t.Fatalf("obligation.yaml should be valid:\n%v", err)
	}
	c := a.Commitments[1]
	if !c.IsObligation() || a.Commitments[0].IsObligation() {
		t.Fatalf("obligation flags wrong: %+v", a.Commitments)
	}
	if c.Obligation.Due != "2025-04-30" || len(c.Implementation) != 2 || c.Implementation[1].Level != LevelMinimal {
		t.Fatalf("decoded wrongly: %+v", c)
	}
	all, err := a.AllTerms()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || len(all[0].Commitments) != 1 || all[0].Commitments[0].ID != "no-strikes" {
		t.Fatalf("terms carry obligations: %+v", all)
	}
	n, err := a.Normalize("")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Obligations) != 1 || n.Obligations[0].ID != "navigation" {
		t.Fatalf("normalized obligations %+v", n.Obligations)
	}
}

// Each case edits the valid file and expects a problem at an exact place.
func TestObligationLintProblems(t *testing.T) {
	base := readObligation(t)
	cases := []struct {
		name, old, new, want, message string
	}{
		{"unknown key in a step", "        note: A first step.\n", "        note: A first step.\n        levle: full\n",
			"t.yaml:47:9:", `unknown key "levle" in commitments[1].implementation[1]`},
		{"unknown key in an obligation", "      due: 2025-04-30\n", "      due: 2025-04-30\n      by: 2025-04-30\n",
			"t.yaml:38:7:", `unknown key "by" in commitments[1].obligation`},
		{"unknown level", "level: minimal", "level: partial",
			"t.yaml:44:16:", `level "partial" is not one of "not_started", "minimal", "intermediate", "full"`},
		{"steps out of order", "      - date: 2025-04-18\n", "      - date: 2025-03-18\n",
			"t.yaml:43:15:", "step date 2025-03-18 is before the previous step's 2025-03-25"},
		{"bad step date", "      - date: 2025-04-18\n", "      - date: 18 April\n",
			"t.yaml:43:15:", `date "18 April" is not a date`},
		{"undeclared step source", "        source: s2\n", "        source: s3\n",
			"t.yaml:45:17:", `source "s3" is not declared under sources`},
		{"step without a note", "        note: A first step.\n", "",
			"t.yaml:43:13:", "step of 2025-04-18 needs a note"},
		{"both prohibition and obligation", "    obligation:\n", "    prohibited: {kinds: [strike]}\n    obligation:\n",
			"t.yaml:36:5:", `commitment "navigation" has both prohibited and obligation`},
		{"neither prohibition nor obligation", "    obligation:\n      action: Ensure safe navigation in the Black Sea.\n      due: 2025-04-30\n", "",
			"t.yaml:35:5:", `commitment "navigation" has implementation steps but no obligation`},
		{"no term at all", "    prohibited:\n      kinds: [strike]\n      targets: [infrastructure.transport.port]\n", "",
			"t.yaml:25:7:", `commitment "no-strikes" needs prohibited (conduct it forbids) or obligation (what a party must do)`},
		{"steps on a prohibition", "      targets: [infrastructure.transport.port]\n", "      targets: [infrastructure.transport.port]\n    implementation: [{date: 2025-03-25, level: full, source: s1, note: x}]\n",
			"t.yaml:31:5:", `commitment "no-strikes" has implementation steps but no obligation`},
		{"empty action", "action: Ensure safe navigation in the Black Sea.", `action: ""`,
			"t.yaml:36:15:", `obligation "navigation" needs the action in words`},
		{"bad due date", "due: 2025-04-30", "due: end of April",
			"t.yaml:37:12:", `date "end of April" is not a date`},
		{"geography on an obligation", "      due: 2025-04-30\n", "      due: 2025-04-30\n    geography: {countries: [UA]}\n",
			"t.yaml:38:5:", `obligation "navigation" has a geography`},
		{"mediator bound by a prohibition", "bound: [RU, UA]\n    prohibited", "bound: [RU, US]\n    prohibited",
			"t.yaml:27:17:", "it is a mediator or guarantor, not a party"},
		{"undeclared party bound by an obligation", "bound: [RU, UA, US]", "bound: [RU, UA, TR]",
			"t.yaml:34:21:", `commitment "navigation" binds undeclared party "TR"`},
		{"reading overrides an obligation", "commitments:\n", "readings:\n  - party: UA\n    description: x\n    commitments:\n      navigation: {targets: [energy]}\n    source: s1\ncommitments:\n",
			"t.yaml:28:7:", `reading overrides obligation "navigation"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("test is stale: %q not in obligation.yaml", tc.old)
			}
			_, err := Parse("t.yaml", []byte(strings.Replace(base, tc.old, tc.new, 1)))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want Problems, got %v", err)
			}
			for _, p := range ps {
				if s := p.String(); strings.HasPrefix(s, tc.want) && strings.Contains(s, tc.message) {
					return
				}
			}
			t.Fatalf("want a problem %q ... %q, got:\n%v", tc.want, tc.message, err)
		})
	}
}

func TestSchemaHasObligations(t *testing.T) {
	b, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"intermediate"`, `"implementation"`, `"oneOf"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("schema lacks %s", want)
		}
	}
}

// The bundled Black Sea arrangements are obligations only, never in
// force: nothing for matching, three obligations scored.
func TestBlackSeaExample(t *testing.T) {
	a := parseExample(t, "black-sea-2025.yaml")
	all, err := a.AllTerms()
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusProposed || len(all) != 1 || len(all[0].Commitments) != 0 || !all[0].Window.Start.IsZero() {
		t.Fatalf("status %s, terms %+v", a.Status, all)
	}
	n, err := a.Normalize("")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Obligations) != 3 {
		t.Fatalf("obligations %d, want 3", len(n.Obligations))
	}
	for _, o := range n.Obligations {
		for _, st := range o.Implementation {
			if st.Level != LevelNotStarted && st.Level != LevelMinimal {
				t.Errorf("%s %s: level %s; the arrangements never entered into force", o.ID, st.Date, st.Level)
			}
		}
	}
}
