package match

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
)

// The prefilter's promise: when Relevant or RelevantTime says no, Event and
// Claim give nothing, with near misses on and off, for every reading. Run
// over a mix of kinds and times around and far from the windows, and check
// it also says no often enough to be worth asking.
func TestRelevantNeverHidesAResult(t *testing.T) {
	ags := []string{"energy-moratorium-2025.yaml", "easter-truce-2025.yaml", "jeddah-ceasefire-proposal-2025.yaml"}
	kinds := []string{"strike.drone", "strike.artillery", "strike", "strike.foo", "ground.clash", "interception",
		"strategic", "protest", "other", "", "not-a-kind"}
	r := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var evs []*event.Event
	for _, e := range acledMix(1 << 11) {
		evs = append(evs, e)
		// The same record again at another kind and precision, and somewhere
		// in 2024-2026 with no time at all now and then.
		c := *e
		c.Kind = kinds[r.IntN(len(kinds))]
		d := start.AddDate(0, 0, r.IntN(900)-300)
		switch r.IntN(5) {
		case 0:
			c.Time = event.Span{}
		case 1:
			c.Time = event.Span{Start: d, End: d.AddDate(0, 0, 7), Precision: event.TimeWeek}
		case 2:
			c.Time = event.Span{Start: d.Add(time.Duration(r.IntN(1440)) * time.Minute), Precision: event.TimeExact}
		default:
			c.Time = day(d.Format("2006-01-02"))
		}
		evs = append(evs, &c)
	}
	for _, opt := range []Options{{}, {NoNearMisses: true}, {Reading: "UA"}, {Reading: "RU", NoNearMisses: true}, {NearTime: time.Hour}} {
		m := matcher(t, opt, parse(t, ags[0]), parse(t, ags[1]), parse(t, ags[2]))
		var skippedTime, skipped, results int
		for _, e := range evs {
			res := m.Event(e, nil)
			cl := &event.Claim{Source: "claims", SourceID: e.SourceID, Time: e.Time, Kind: e.Kind, Targets: e.Targets,
				Places: []event.Place{e.Place}, Accused: "RU", Claimant: "UA"}
			claimRes := m.Claim(cl, nil)
			results += len(res) + len(claimRes)
			if !m.RelevantTime(e.Time) {
				skippedTime++
				if len(res) > 0 || len(claimRes) > 0 {
					t.Fatalf("%+v: RelevantTime false, but %d results: %s", opt, len(res)+len(claimRes), summaries(append(res, claimRes...)))
				}
			}
			if !m.Relevant(e.Kind, e.Time) {
				skipped++
				if len(res) > 0 || len(claimRes) > 0 {
					t.Fatalf("%+v: Relevant(%q, %v) false, but results %s", opt, e.Kind, e.Time, summaries(append(res, claimRes...)))
				}
			} else if !m.RelevantTime(e.Time) {
				t.Fatalf("%+v: Relevant without RelevantTime for %v", opt, e.Time)
			}
		}
		t.Logf("%+v: %d records, %d results; %d skipped on time, %d on kind and time", opt, len(evs), results, skippedTime, skipped)
		if results == 0 || skipped < len(evs)/4 || skippedTime == 0 {
			t.Errorf("%+v: the mix does not exercise the prefilter: %d results, %d skipped on time, %d on kind and time",
				opt, results, skippedTime, skipped)
		}
	}
}

// A few exact answers, candidates only: the moratorium prohibits strikes
// from 18 March 2025 (Moscow) for 30 days.
func TestRelevantCases(t *testing.T) {
	m := matcher(t, Options{NoNearMisses: true}, parse(t, "energy-moratorium-2025.yaml"))
	for _, c := range []struct {
		kind string
		span event.Span
		want bool
	}{
		{"strike.drone", day("2025-03-28"), true},
		{"strike.foo", day("2025-03-28"), true}, // an unknown narrower kind is still a strike
		// A clash's notes may allege a strike (package allege): not ruled out.
		{"ground.clash", day("2025-03-28"), true},
		{"strike.drone", day("2025-03-17"), true}, // the UTC day straddles Moscow's midnight
		{"strike.drone", day("2025-03-10"), false},
		{"strike.drone", day("2024-03-28"), false},
		{"strike.drone", event.Span{}, true}, // no time: unsure, not ruled out
	} {
		if got := m.Relevant(c.kind, c.span); got != c.want {
			t.Errorf("Relevant(%q, %v) = %v, want %v", c.kind, c.span.Start, got, c.want)
		}
	}
	if m.RelevantTime(day("2025-03-10")) || !m.RelevantTime(day("2025-03-20")) {
		t.Error("RelevantTime: wrong around the window")
	}
	// With near misses a week either side counts, and any kind at a time
	// inside the window may be a near miss on kind.
	nm := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	if !nm.RelevantTime(day("2025-03-12")) || nm.RelevantTime(day("2025-03-01")) {
		t.Error("RelevantTime with near misses: wrong around the window")
	}
	if !nm.Relevant("ground.clash", day("2025-03-28")) || nm.Relevant("ground.clash", day("2025-03-01")) || !nm.Relevant("strike", day("2025-03-12")) {
		t.Error("Relevant with near misses: wrong")
	}
}
