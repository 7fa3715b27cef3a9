package agreement

import (
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // the expected instants must not depend on the host's zoneinfo
)

const examplesDir = "../../examples/agreements"

// TestExamplesParse checks that every bundled agreement is valid.
func TestExamplesParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no agreements found in %s", examplesDir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			a, err := ParseFile(f)
			if err != nil {
				t.Fatalf("%s is not valid:\n%v", f, err)
			}
			// Every reading must resolve, and the agreed text too.
			if _, err := a.AllTerms(); err != nil {
				t.Fatalf("AllTerms: %v", err)
			}
		})
	}
}

func parseExample(t *testing.T, name string) *Agreement {
	t.Helper()
	a, err := ParseFile(filepath.Join(examplesDir, name))
	if err != nil {
		t.Fatalf("%s:\n%v", name, err)
	}
	return a
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestEnergyMoratoriumReadings pins the two readings of the moratorium's
// window. Moscow is UTC+3 all year. Kyiv is UTC+2 until 03:00 on 30 March
// 2025 and UTC+3 after, so a 30-calendar-day window from 25 March starts at
// 22:00 UTC and ends at 21:00 UTC.
func TestEnergyMoratoriumReadings(t *testing.T) {
	a := parseExample(t, "energy-moratorium-2025.yaml")
	want := map[string]struct{ start, end time.Time }{
		// 2025-03-18T00:00 MSK + 30d = 2025-04-17T00:00 MSK.
		"RU": {utc("2025-03-17T21:00:00Z"), utc("2025-04-16T21:00:00Z")},
		// 2025-03-25T00:00 EET + 30d = 2025-04-24T00:00 EEST.
		"UA": {utc("2025-03-24T22:00:00Z"), utc("2025-04-23T21:00:00Z")},
	}
	got := map[string]Terms{}
	for party, w := range want {
		terms, err := a.TermsFor(party)
		if err != nil {
			t.Fatalf("TermsFor(%s): %v", party, err)
		}
		got[party] = terms
		if terms.Reading != party {
			t.Errorf("TermsFor(%s).Reading = %q, want the party's own reading", party, terms.Reading)
		}
		if !terms.Window.Start.Equal(w.start) {
			t.Errorf("%s reading starts %s, want %s", party, terms.Window.Start, w.start)
		}
		if !terms.Window.End.Equal(w.end) {
			t.Errorf("%s reading ends %s, want %s", party, terms.Window.End, w.end)
		}
	}
	if got["RU"].Window.Start.Equal(got["UA"].Window.Start) {
		t.Errorf("RU and UA readings start at the same instant %s; the start date is the disputed term", got["RU"].Window.Start)
	}

	// The night of 18-19 March (e.g. the strike on Sloviansk's grid) is inside
	// Russia's reading and outside Ukraine's.
	night := utc("2025-03-18T23:00:00Z")
	if !got["RU"].Window.Contains(night) {
		t.Errorf("RU reading should contain %s", night)
	}
	if got["UA"].Window.Contains(night) {
		t.Errorf("UA reading should not contain %s", night)
	}

	// Ukraine's reading adds civilian infrastructure to the Kremlin's five
	// energy categories; Russia's reading is the Kremlin list as written.
	if n := len(got["RU"].Commitments); n != 1 {
		t.Fatalf("RU reading has %d commitments, want 1", n)
	}
	if ts := got["RU"].Commitments[0].Prohibited.Targets; len(ts) != 5 {
		t.Errorf("RU reading targets = %v, want the five categories of the Kremlin list", ts)
	}
	uaTargets := got["UA"].Commitments[0].Prohibited.Targets
	hasInfra := false
	for _, tg := range uaTargets {
		hasInfra = hasInfra || tg == "infrastructure"
	}
	if !hasInfra {
		t.Errorf("UA reading targets = %v, want infrastructure included", uaTargets)
	}
}

// TestEasterTruceWindow pins the Easter truce: 18:00 Moscow on 19 April plus
// 30 hours is 00:00 Moscow on 21 April.
func TestEasterTruceWindow(t *testing.T) {
	a := parseExample(t, "easter-truce-2025.yaml")
	all, err := a.AllTerms()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Reading != AgreedReading {
		t.Fatalf("want one agreed reading, got %d", len(all))
	}
	w := all[0].Window
	if start := utc("2025-04-19T15:00:00Z"); !w.Start.Equal(start) {
		t.Errorf("start = %s, want %s", w.Start, start)
	}
	if end := utc("2025-04-20T21:00:00Z"); !w.End.Equal(end) {
		t.Errorf("end = %s, want %s", w.End, end)
	}
	// The last minute is in, midnight Moscow is out.
	if !w.Contains(utc("2025-04-20T20:59:00Z")) || w.Contains(utc("2025-04-20T21:00:00Z")) {
		t.Errorf("window %s..%s has the wrong end boundary", w.Start, w.End)
	}
}

// TestJeddahProposalHasNoStart checks that a proposal "from acceptance"
// resolves to no instants.
func TestJeddahProposalHasNoStart(t *testing.T) {
	a := parseExample(t, "jeddah-ceasefire-proposal-2025.yaml")
	terms, err := a.TermsFor("UA")
	if err != nil {
		t.Fatal(err)
	}
	if !terms.Window.Start.IsZero() || !terms.Window.End.IsZero() {
		t.Errorf("window = %s..%s, want no instants until accepted", terms.Window.Start, terms.Window.End)
	}
}
