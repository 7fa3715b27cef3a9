package cli

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/incident"
)

// The release rule end to end: once review confirms a Russian violation of
// the moratorium, the next evaluation is full and every later finding
// against Ukraine says Ukraine may consider itself released; the findings
// stay, and none before the violation gets the note.
func TestReleaseRuleFromConfirmedFindings(t *testing.T) {
	onBothStores(t, testReleaseRuleFromConfirmedFindings)
}

func testReleaseRuleFromConfirmedFindings(t *testing.T, s *session) {
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
	// The release is a consequence the reviewer sees coming: without --yes
	// the confirmation is refused, naming the finding, whom it releases and
	// since when (the act's time, not the window's start).
	since := sloviansk.Span.Start.UTC().Format(time.RFC3339)
	s.as(second).want(1, []string{"would release a party", subject + ": RU in confirmed violation of energy-moratorium-2025 since " + since,
		"UA may consider itself released", "--yes"},
		"review", "set", subject, "confirmed", "--from", "corroborated", "--reason", "second review: footage geolocated")
	out := s.as(second).want(0, nil, "review", "set", subject, "confirmed", "--from", "corroborated", "--reason", "second review: footage geolocated", "--yes")
	if !strings.Contains(out, "releases: "+subject) {
		t.Errorf("the confirmation does not say what it released:\n%s", out)
	}
	// The finding's and its incident's views say whom it released, since when.
	line := "releases: " + subject + ": RU in confirmed violation of energy-moratorium-2025 since " + since + ", so UA may consider itself released"
	if show := s.as(admin).want(0, nil, "review", "show", subject); !strings.Contains(show, line) {
		t.Errorf("review show lacks %q:\n%s", line, show)
	}
	// The agreement's view: the findings listing ends with its releases.
	if _, _, errOut := s.run("findings", "--agreement", "energy-moratorium-2025"); !strings.Contains(errOut, "released: "+line[len("releases: "):]) {
		t.Errorf("findings --agreement does not say what released whom:\n%s", errOut)
	}
	var holder *incident.Incident
	incs := incidents(t, s)
	for i := range incs {
		for _, m := range incs[i].Members {
			if m.SourceID == "ev-2025-03-18-sloviansk" {
				holder = &incs[i]
			}
		}
	}
	if holder == nil {
		t.Fatal("the Sloviansk report is in no incident")
	}
	if show := s.want(0, nil, "incident", "show", strconv.FormatInt(holder.ID, 10)); !strings.Contains(show, line) {
		t.Errorf("incident show lacks %q:\n%s", line, show)
	}

	out = s.want(0, nil, "evaluate")
	if !strings.Contains(out, "confirmed violations changed") {
		t.Errorf("evaluation after a confirmation is not full:\n%s", out)
	}
	after, notes := 0, 0
	for _, f := range list() {
		if f.Accused == "UA" && !f.Span.Start.Before(sloviansk.Span.Start) {
			after++
			if !released(f) {
				t.Errorf("finding %d against UA on %s lacks the release note: %v", f.Stored.ID, f.Span.Start, f.Notes)
			} else if !strings.Contains(strings.Join(f.Notes, " "), "confirmed "+subject+")") {
				t.Errorf("finding %d: the release note does not name the confirmed finding: %v", f.Stored.ID, f.Notes)
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

// A count-only claim ("more than 60 violations since 18 March") names no
// act: confirming its incident releases nobody, asks for no --yes, and the
// next evaluation adds no release note.
func TestReleaseNotByCountClaim(t *testing.T) { onBothStores(t, testReleaseNotByCountClaim) }

func testReleaseNotByCountClaim(t *testing.T, s *session) {
	s.want(0, nil, "demo")
	admin := s.addUser("ada", "admin")
	first := s.as(admin).addUser("mona", "monitor")
	second := s.as(admin).addUser("max", "monitor")
	var count *incident.Incident
	list := incidents(t, s)
	for i := range list {
		if len(list[i].Members) == 1 && strings.Contains(list[i].Summary, "count") {
			count = &list[i]
		}
	}
	if count == nil {
		for i := range list {
			t.Logf("incident %d: %s", list[i].ID, list[i].Summary)
		}
		t.Fatal("no incident of a count-only claim in the demo")
	}
	subject := "incident/" + strconv.FormatInt(count.ID, 10)
	s.as(first).want(0, nil, "evidence", "add", subject, "--url", "https://example.org/statement", "--notes", "the statement")
	s.as(first).want(0, nil, "review", "set", subject, "corroborated", "--from", "alleged", "--reason", "the statement was made")
	out := s.as(second).want(0, nil, "review", "set", subject, "confirmed", "--from", "corroborated", "--reason", "second review")
	if strings.Contains(out, "releases:") {
		t.Errorf("a count-only claim released a party:\n%s", out)
	}
	if out := s.want(0, nil, "findings", "--agreement", "energy-moratorium-2025", "--output", "json"); strings.Contains(out, "may consider itself released") {
		t.Errorf("release note after confirming a count-only claim")
	}
	// Evaluating changes the store: a monitor may not; an admin may.
	s.as(admin).want(0, nil, "evaluate")
	if out := s.want(0, nil, "findings", "--agreement", "energy-moratorium-2025", "--output", "json"); strings.Contains(out, "may consider itself released") {
		t.Errorf("release note after confirming a count-only claim and evaluating")
	}
}
