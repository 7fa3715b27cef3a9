package agreement

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func readMinimal(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMinimalIsValid(t *testing.T) {
	a, err := Parse("minimal.yaml", []byte(readMinimal(t)))
	if err != nil {
		t.Fatalf("minimal.yaml should be valid:\n%v", err)
	}
	if a.ID != "test-truce" || len(a.Commitments) != 1 || a.Commitments[0].Prohibited.Targets[0] != "energy" {
		t.Fatalf("decoded wrongly: %+v", a)
	}
}

// Each case edits the valid file and expects one problem at an exact place.
func TestLintProblems(t *testing.T) {
	base := readMinimal(t)
	cases := []struct {
		name    string
		old     string // text of base to replace
		new     string
		want    string // exact FILE:LINE:COL: prefix of the message
		message string // substring of the message
	}{
		{"unknown top-level key", "title: Test truce\n", "title: Test truce\ntitel: typo\n",
			"t.yaml:5:1:", `unknown key "titel" at the top level (did you mean "title"?)`},
		{"unknown nested key", "      kinds: [strike]\n", "      kinds: [strike]\n      target: [energy]\n",
			"t.yaml:31:7:", `unknown key "target" in commitments[0].prohibited (did you mean "targets"?)`},
		{"bad time zone", "time_zone: Europe/Moscow", "time_zone: Europe/Moskow",
			"t.yaml:22:14:", `unknown time zone "Europe/Moskow"`},
		{"end before start", "  duration: 30d\n", "  end: 2025-03-17T23:00\n",
			"t.yaml:23:8:", "end 2025-03-17T23:00 is not after start 2025-03-18T00:00"},
		{"undeclared party", "bound: [RU, UA]", "bound: [RU, BY]",
			"t.yaml:28:17:", `commitment "c1" binds undeclared party "BY"`},
		{"mediator is not bound-able", "bound: [RU, UA]", "bound: [RU, US]",
			"t.yaml:28:17:", "it is a mediator or guarantor, not a party"},
		{"unknown target category", "targets: [energy]", "targets: [energy, enrgy.refinery]",
			"t.yaml:31:25:", `unknown target category "enrgy.refinery" (did you mean energy.refinery?)`},
		{"unknown event kind", "kinds: [strike]", "kinds: [strikes]",
			"t.yaml:30:15:", `unknown event kind "strikes"`},
		{"duplicate commitment id", "    source: s1\n", "    source: s1\n  - id: c1\n    title: Again\n    bound: [RU]\n    prohibited: {kinds: [strike]}\n    source: s1\n",
			"t.yaml:33:9:", `duplicate commitment id "c1" (first used at line 26)`},
		{"reused commitment id", "    source: s1\n", "    source: s1\n    withdrawn: {version: 1, source: s1}\n  - id: c1\n    title: Again\n    bound: [RU]\n    prohibited: {kinds: [strike]}\n    source: s1\n",
			"t.yaml:34:9:", `reused commitment id "c1"`},
		{"undeclared source", "  source: s1\ncommitments", "  source: s2\ncommitments",
			"t.yaml:24:11:", `source "s2" is not declared under sources`},
		{"offset in local time", "start: 2025-03-18T00:00", "start: 2025-03-18T00:00:00+03:00",
			"t.yaml:21:10:", "carries a UTC offset"},
		{"duplicate key", "version: 1\n", "version: 1\nversion: 2\n",
			"t.yaml:4:1:", `mapping key "version" already defined at [3:1]`},
		{"wrong type", "version: 1", "version: one",
			"t.yaml:3:10:", `version: expected a whole number like 1, got the text "one"`},
		{"syntax error", "  - id: UA\n", "  - id: UA\n   bad indent: [\n",
			"t.yaml:", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("test is stale: %q not in minimal.yaml", tc.old)
			}
			src := strings.Replace(base, tc.old, tc.new, 1)
			_, err := Parse("t.yaml", []byte(src))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want Problems, got %v", err)
			}
			for _, p := range ps {
				s := p.String()
				if strings.HasPrefix(s, tc.want) && strings.Contains(s, tc.message) {
					return
				}
			}
			t.Fatalf("want a problem %q ... %q, got:\n%v", tc.want, tc.message, err)
		})
	}
}

func TestLintReportsEveryUnknownKey(t *testing.T) {
	src := strings.Replace(readMinimal(t), "title: Test truce\n", "title: Test truce\nfoo: 1\nbar: 2\n", 1)
	_, err := Parse("t.yaml", []byte(src))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if ps[0].String() != `t.yaml:5:1: unknown key "foo" at the top level` || ps[1].Line != 6 {
		t.Fatalf("got %v", ps)
	}
}

func TestWindowsResolve(t *testing.T) {
	cases := []struct {
		name, start, tz, dur, end string
		wantStart, wantEnd        string
	}{
		{"days count on the local calendar across DST", "2025-03-25T00:00", "Europe/Kyiv", "30d", "",
			"2025-03-24T22:00:00Z", "2025-04-23T21:00:00Z"},
		{"hours are elapsed time", "2025-04-19T18:00", "Europe/Moscow", "30h", "",
			"2025-04-19T15:00:00Z", "2025-04-20T21:00:00Z"},
		{"explicit end", "2025-03-18", "Europe/Moscow", "", "2025-04-17T00:00",
			"2025-03-17T21:00:00Z", "2025-04-16T21:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Window{Start: tc.start, TimeZone: tc.tz, Duration: tc.dur, End: tc.end}.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Start.Format(time.RFC3339); got != tc.wantStart {
				t.Errorf("start %s, want %s", got, tc.wantStart)
			}
			if got := r.End.Format(time.RFC3339); got != tc.wantEnd {
				t.Errorf("end %s, want %s", got, tc.wantEnd)
			}
		})
	}
}

func TestReadingsOverride(t *testing.T) {
	src := readMinimal(t) + `readings:
  - party: UA
    description: counts from 25 March in Kyiv time and covers all infrastructure
    window: {start: 2025-03-25T00:00, time_zone: Europe/Kyiv}
    commitments:
      c1: {targets: [energy, infrastructure]}
    source: s1
`
	a, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ua, err := a.TermsFor("UA")
	if err != nil {
		t.Fatal(err)
	}
	ru, err := a.TermsFor("RU")
	if err != nil {
		t.Fatal(err)
	}
	if ua.Window.Start.Equal(ru.Window.Start) {
		t.Fatal("readings should resolve to different starts")
	}
	if got := ua.Window.Start.Format(time.RFC3339); got != "2025-03-24T22:00:00Z" {
		t.Errorf("UA start %s", got)
	}
	if got := ru.Window.Start.Format(time.RFC3339); got != "2025-03-17T21:00:00Z" {
		t.Errorf("RU start %s", got)
	}
	if got := ua.Commitments[0].Prohibited.Targets; len(got) != 2 || got[1] != "infrastructure" {
		t.Errorf("UA targets %v", got)
	}
	if got := ru.Commitments[0].Prohibited.Targets; len(got) != 1 {
		t.Errorf("RU targets %v", got)
	}
	if _, err := a.TermsFor("BY"); err == nil {
		t.Error("unknown party should fail")
	}
}
