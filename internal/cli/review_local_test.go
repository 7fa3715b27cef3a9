package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// A store without users is run by whoever holds it: the review tools work
// without a token and record their changes as "local" (docs/review.md).
// Once the store has users, they take a token again.
func TestReviewSingleUser(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *session) {
		s.want(0, nil, "demo")
		items := jsonLines[reviewListed](t, "review list", s.as("").want(0, nil, "review", "list", "--type", "finding", "--output", "json"))
		if len(items) == 0 {
			t.Fatal("review list on the demo lists no findings")
		}
		subj := items[0].Subject
		if out := s.want(0, nil, "review", "show", subj); !strings.HasPrefix(out, subj+": alleged, revision 0") {
			t.Errorf("review show %s:\n%s", subj, out)
		}
		if out := s.want(0, nil, "evidence", "add", subj, "--url", "https://example.org/footage", "--notes", "n"); !strings.Contains(out, " by local (audit entry ") {
			t.Errorf("evidence add: %q, want it added by local", out)
		}
		if out := s.want(0, []string{"1 evidence items on " + subj}, "evidence", "list", subj); !strings.Contains(out, " by local") {
			t.Errorf("evidence list: %q", out)
		}
		if out := s.want(0, nil, "review", "set", subj, "corroborated", "--from", "alleged", "--reason", "footage"); !strings.Contains(out, subj+": alleged -> corroborated by local at ") {
			t.Errorf("review set: %q, want the step taken by local", out)
		}
		var page struct {
			Status  string
			History []struct{ By string }
		}
		if err := json.Unmarshal([]byte(s.want(0, nil, "review", "show", subj, "--output", "json")), &page); err != nil {
			t.Fatal(err)
		}
		if page.Status != "corroborated" || len(page.History) != 1 || page.History[0].By != "local" {
			t.Errorf("after the step: %+v", page)
		}
		if out := s.want(0, nil, "audit", "list"); !strings.Contains(out, "local") || !strings.Contains(out, "review.transition") {
			t.Errorf("the step is not audited as local:\n%s", out)
		}

		// With users, a token again: none is refused, a monitor's works.
		root := s.addUser("root", "admin")
		mona := s.as(root).addUser("mona", "monitor")
		for _, args := range [][]string{
			{"review", "list"},
			{"review", "show", subj},
			{"review", "set", subj, "confirmed", "--from", "corroborated", "--reason", "r"},
			{"evidence", "add", subj, "--notes", "n"},
			{"evidence", "list", subj},
		} {
			s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, args...)
		}
		if out := s.as(mona).want(0, nil, "review", "set", subj, "confirmed", "--from", "corroborated", "--reason", "second look", "--yes"); !strings.Contains(out, "by mona") {
			t.Errorf("review set as mona: %q", out)
		}
		// A disabled user is told who can let them act again.
		s.as(root).want(0, nil, "user", "disable", "mona", "--reason", "left")
		s.as(mona).want(1, []string{`review: permission denied: user "mona" is disabled (an admin can run 'truce user enable mona')`},
			"review", "set", subj, "alleged", "--from", "confirmed", "--reason", "r")
	})
}
