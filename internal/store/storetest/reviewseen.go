package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// testReviewSeen holds review steps to what their authors saw: a step
// taken on a subject someone else moved since is refused, naming who moved
// it, to what and when, never applied on top of a decision its author did
// not see.
func testReviewSeen(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	addUsers(t, s, "ada:monitor", "mona:monitor")
	svc := newReviewer(t, s)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	alleged := review.Seen{Status: vocab.StatusAlleged}

	if _, err := svc.Transition(ctx, "ada", subj, vocab.StatusInconclusive, "sources disagree", alleged, false); err != nil {
		t.Fatal(err)
	}
	ada := reviewState(t, s, subj).History[0]
	for _, seen := range []review.Seen{alleged, {Revision: 0, HasRevision: true}, {Status: vocab.StatusInconclusive, HasRevision: true}} {
		_, err := svc.Transition(ctx, "mona", subj, vocab.StatusCorroborated, "footage", seen, false)
		checkErr(t, err, store.ErrConflict)
		var conflict *store.ConflictError
		if !errors.As(err, &conflict) || conflict.Last == nil || conflict.Last.ID != ada.ID || conflict.Status != vocab.StatusInconclusive || conflict.Revision != 1 {
			t.Fatalf("seen %s: %v (%+v), want a conflict naming ada's step", seen, err, conflict)
		}
		for _, want := range []string{"ada moved it from alleged to inconclusive", ada.At.UTC().Format("2006-01-02T15:04:05Z"), "show it again"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("seen %s: error %q does not say %q", seen, err, want)
			}
		}
	}
	if st := reviewState(t, s, subj); st.Status != vocab.StatusInconclusive || len(st.History) != 1 {
		t.Fatalf("refused steps changed the subject: %+v", st)
	}
	// The store's own compare-and-set says the same (an API passes If-Match
	// straight to it).
	_, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "mona", Reason: "r"}, 0)
	var conflict *store.ConflictError
	if !errors.As(err, &conflict) || conflict.Last == nil || conflict.Last.By != "ada" || conflict.Last.To != vocab.StatusInconclusive {
		t.Errorf("store conflict: %v, want one naming ada's step", err)
	}
	if _, err := svc.Transition(ctx, "mona", subj, vocab.StatusCorroborated, "footage", review.Seen{Status: vocab.StatusInconclusive, Revision: 1, HasRevision: true}, false); err != nil {
		t.Errorf("seen as it is: %v", err)
	}

	// Reviewers racing from what they all saw, each in a program of its
	// own: exactly one step lands, and every other author is told whose.
	const racers = 8
	names := make([]string, racers)
	for i := range names {
		names[i] = fmt.Sprintf("monitor%d", i)
		addUsers(t, s, names[i]+":monitor")
		svc.as(ctx, names[i]) // their token, before the race
	}
	for n, seen := range []review.Seen{alleged, {Status: vocab.StatusAlleged, Revision: 0, HasRevision: true}} {
		race := findingSubject(newFinding(t, s, "acled", "acled-csv", fmt.Sprintf("RACE%d", n)))
		errs := make([]error, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				own := reopen(t, b, dsn)
				to := []vocab.Status{vocab.StatusInconclusive, vocab.StatusCorroborated, vocab.StatusNotAttributable}[i%3]
				_, errs[i] = svc.on(own).Transition(ctx, names[i], race, to, "race", seen, false)
			})
		}
		wg.Wait()
		st := reviewState(t, s, race)
		if len(st.History) != 1 || st.History[0].From != vocab.StatusAlleged || st.Revision != 1 {
			t.Fatalf("seen %s: history %+v, want one step from alleged", seen, st.History)
		}
		won := st.History[0]
		for i, err := range errs {
			switch {
			case names[i] == won.By && err != nil:
				t.Errorf("seen %s: the winner %s failed: %v", seen, won.By, err)
			case names[i] != won.By && !errors.Is(err, store.ErrConflict):
				t.Errorf("seen %s: %s: %v, want ErrConflict", seen, names[i], err)
			case names[i] != won.By && !strings.Contains(err.Error(), won.By+" moved it from alleged to "+string(won.To)):
				t.Errorf("seen %s: %s: %q does not name the step that won", seen, names[i], err)
			}
		}
	}
}
