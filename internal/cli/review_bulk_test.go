package cli

import (
	"strings"
	"testing"
)

// Several subjects, or a filter: each is its own step, audited and checked
// against the rules on its own; one refused does not stop the others.
func TestReviewSetBulk(t *testing.T) { onBothStores(t, testReviewSetBulk) }

func testReviewSetBulk(t *testing.T, s *session) {
	r := newReviewTeamOn(t, s)
	f0, f1 := r.subject(0), r.subject(1)
	audit := func() int {
		t.Helper()
		return strings.Count(r.as(r.root).want(0, nil, "audit", "list"), "review.transition")
	}
	before := audit()
	out := r.as(r.alice).want(0, nil, "review", "set", f0, f1, "corroborated", "--from", "alleged", "--reason", "the air force report")
	for _, w := range []string{f0 + ": alleged -> corroborated by alice", f1 + ": alleged -> corroborated by alice", "2 steps taken"} {
		if !strings.Contains(out, w) {
			t.Errorf("bulk set lacks %q:\n%s", w, out)
		}
	}
	if n := audit() - before; n != 2 {
		t.Errorf("%d audit entries for two steps, want 2", n)
	}
	// Each step is checked on its own: f0 has moved on, f1 is refused by
	// the second-reviewer rule, nothing lands for either, and the command
	// says which.
	r.as(r.bob).want(0, nil, "review", "set", f0, "inconclusive", "--from", "corroborated", "--reason", "sources disagree")
	r.as(r.alice).want(1, []string{f0 + " is no longer as you saw it", "confirming needs a second reviewer", "2 of 2 steps not taken"},
		"review", "set", f0, f1, "confirmed", "--from", "corroborated", "--reason", "sure", "--yes")
	// A filter selects the subjects at --from: only f1 is corroborated.
	before = audit()
	out = r.as(r.bob).want(0, nil, "review", "set", "--type", "finding", "--agreement", "energy-moratorium-2025",
		"inconclusive", "--from", "corroborated", "--reason", "readings disagree")
	if !strings.Contains(out, f1+": corroborated -> inconclusive by bob") || strings.Contains(out, f0+":") {
		t.Errorf("filtered set:\n%s", out)
	}
	if n := audit() - before; n != 1 {
		t.Errorf("%d audit entries for one filtered step, want 1", n)
	}
	r.as(r.bob).want(1, []string{"no subject at corroborated matches the filter"},
		"review", "set", "--needs-review", "inconclusive", "--from", "corroborated", "--reason", "x")
	r.as(r.bob).want(2, []string{"not both"}, "review", "set", f0, "--needs-review", "alleged", "--from", "inconclusive", "--reason", "x")
	r.as(r.bob).want(2, []string{"--revision is one subject's"}, "review", "set", f0, f1, "alleged", "--revision", "3", "--reason", "x")
	r.as(r.bob).want(2, []string{"name the subjects"}, "review", "set", "alleged", "--from", "inconclusive", "--reason", "x")
}
