package cli

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The release rule end to end: once review confirms a Russian violation of
// the moratorium, the next evaluation is full and every later finding
// against Ukraine says Ukraine may consider itself released; the findings
// stay, and none before the violation gets the note.
func TestReleaseRuleFromConfirmedFindings(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	admin := s.addUser("ada", "admin")
	first := s.as(admin).addUser("mona", "monitor")
	second := s.as(admin).addUser("max", "monitor")

	type finding struct {
		Accused, Reading string
		SourceID         string `json:"source_id"`
		Span             struct{ Start time.Time }
		Notes            []string
		Stored           struct{ ID int64 }
	}
	list := func() []finding {
		t.Helper()
		return jsonLines[finding](t, "findings", s.want(0, nil, "findings", "--agreement", "energy-moratorium-2025", "--output", "json"))
	}
	released := func(f finding) bool {
		for _, n := range f.Notes {
			if strings.Contains(n, "UA may consider itself released: RU in confirmed violation since") {
				return true
			}
		}
		return false
	}
	var sloviansk finding
	for _, f := range list() {
		if released(f) {
			t.Fatalf("before any review, finding %d says %v", f.Stored.ID, f.Notes)
		}
		if f.SourceID == "ev-2025-03-18-sloviansk" && f.Reading == "RU" && f.Accused == "RU" {
			sloviansk = f
		}
	}
	if sloviansk.Stored.ID == 0 {
		t.Fatal("no RU finding on the Sloviansk grid strike")
	}
	subject := "finding/" + strconv.FormatInt(sloviansk.Stored.ID, 10)
	s.as(first).want(0, nil, "review", "set", subject, "corroborated", "--from", "alleged", "--reason", "grid operator statement and local footage")
	s.as(second).want(0, nil, "review", "set", subject, "confirmed", "--from", "corroborated", "--reason", "second review: footage geolocated")

	out := s.want(0, nil, "evaluate")
	if !strings.Contains(out, "confirmed violations changed") {
		t.Errorf("evaluation after a confirmation is not full:\n%s", out)
	}
	after, notes := 0, 0
	for _, f := range list() {
		if f.Accused == "UA" && !f.Span.Start.Before(sloviansk.Span.Start) {
			after++
			if !released(f) {
				t.Errorf("finding %d against UA on %s lacks the release note: %v", f.Stored.ID, f.Span.Start, f.Notes)
			}
		}
		if released(f) {
			notes++
			if f.Accused != "UA" {
				t.Errorf("finding %d against %s has the release note", f.Stored.ID, f.Accused)
			}
		}
	}
	if after == 0 || notes != after {
		t.Errorf("%d findings against UA after the violation, %d with the note", after, notes)
	}
	// Nothing changed since: the next run reads nothing.
	if out := s.want(0, nil, "evaluate"); !strings.Contains(out, "\n0 records read in ") {
		t.Errorf("a second evaluation re-read records:\n%s", out)
	}
}
