package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// fakeStore holds one subject's state and records what is applied. The
// methods it does not define are the embedded nil interface's: calling one
// panics, naming what the use case reached for unexpectedly.
type fakeStore struct {
	store.Store
	st       review.State
	users    map[string]auth.User
	applied  []review.Transition
	revision int
	conflict bool
	// violations: what confirming would make violations; standing: the
	// confirmed ones; agreements: stored forms by id.
	violations []review.ConfirmedViolation
	standing   []review.ConfirmedViolation
	agreements map[string][]byte // normalised JSON, by id
}

func (f *fakeStore) ViolationsIfConfirmed(context.Context, vocab.Ref) ([]review.ConfirmedViolation, error) {
	return f.violations, nil
}

func (f *fakeStore) ConfirmedViolations(context.Context, string) ([]review.ConfirmedViolation, error) {
	return f.standing, nil
}

func (f *fakeStore) GetAgreementVersion(_ context.Context, id string, _ int) (store.AgreementVersion, error) {
	n, ok := f.agreements[id]
	if !ok {
		return store.AgreementVersion{}, store.ErrNotFound
	}
	return store.AgreementVersion{AgreementID: id, Version: 1, Normalized: n}, nil
}

func (f *fakeStore) ReviewState(_ context.Context, s vocab.Ref) (review.State, error) {
	if s != f.st.Subject {
		return review.State{}, store.ErrNotFound
	}
	return f.st, nil
}

func (f *fakeStore) ApplyTransition(_ context.Context, t review.Transition, revision int) (review.Transition, error) {
	if f.conflict {
		return review.Transition{}, store.ErrConflict
	}
	f.applied, f.revision = append(f.applied, t), revision
	return t, nil
}

func (f *fakeStore) AddEvidence(_ context.Context, item review.EvidenceItem, _ []byte) (review.EvidenceItem, error) {
	return item, nil
}

func (f *fakeStore) CountUsers(context.Context) (int, error) { return len(f.users), nil }

func (f *fakeStore) UserByToken(_ context.Context, hash string) (auth.User, error) {
	for name, u := range f.users {
		if auth.HashToken(fakeToken(name)) == hash {
			return u, nil
		}
	}
	return auth.User{}, store.ErrNotFound
}

// fakeToken is the made-up token of the user name in a fakeStore.
func fakeToken(name string) string {
	sum := sha256.Sum256([]byte(name))
	return auth.TokenPrefix + hex.EncodeToString(sum[:])
}

// as is the App on f for the user name.
func (f *fakeStore) as(name string) *App { return New(f, Options{}).As(fakeToken(name)) }

// transition takes step on subj for the user name.
func (f *fakeStore) transition(ctx context.Context, name string, subj vocab.Ref, to vocab.Status, reason string, seen review.Seen, accept bool) (review.Transition, error) {
	r, err := f.as(name).Transition(ctx, subj, Step{To: to, Reason: reason, Seen: seen, AcceptRelease: accept})
	if err != nil {
		return review.Transition{}, err
	}
	return review.Transition(*r.Transition), nil
}

func TestTransition(t *testing.T) {
	ctx := context.Background()
	subj := vocab.Ref{Kind: vocab.KindIncident, ID: 3}
	f := &fakeStore{
		st:    review.State{Subject: subj, Status: vocab.StatusAlleged, Revision: 4},
		users: map[string]auth.User{"alice": {Name: "alice", Role: vocab.RoleMonitor}, "carol": {Name: "carol", Role: vocab.RoleAnalyst}},
	}
	seen := review.Seen{Status: vocab.StatusAlleged}
	tr, err := f.transition(ctx, "alice", subj, vocab.StatusCorroborated, "  three outlets  ", seen, false)
	if err != nil {
		t.Fatal(err)
	}
	want := review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "alice", Reason: "three outlets"}
	if tr != want || f.revision != 4 {
		t.Errorf("applied %+v at revision %d, want %+v at 4", tr, f.revision, want)
	}

	if _, err := f.transition(ctx, "carol", subj, vocab.StatusCorroborated, "r", seen, false); !errors.Is(err, auth.ErrDenied) {
		t.Errorf("analyst reviewed: %v", err)
	}
	if _, err := f.transition(ctx, "alice", vocab.Ref{Kind: vocab.KindFinding, ID: 1}, vocab.StatusCorroborated, "r", seen, false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown subject: %v", err)
	}
	f.conflict = true
	_, err = f.transition(ctx, "alice", subj, vocab.StatusCorroborated, "r", seen, false)
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "show it again and decide again") {
		t.Errorf("conflict: %v", err)
	}
	f.conflict = false
	// What the author saw decides, not what the store holds when the step
	// arrives: a step on a state its author never saw is refused unapplied.
	f.st.History = []review.Transition{{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusInconclusive, By: "ada", Reason: "sources disagree"}}
	f.st.Status, f.st.Revision = vocab.StatusInconclusive, 5
	for _, tc := range []struct {
		seen review.Seen
		ok   bool
	}{
		{review.Seen{Status: vocab.StatusAlleged}, false},
		{review.Seen{Revision: 4, HasRevision: true}, false},
		{review.Seen{Status: vocab.StatusInconclusive, Revision: 4, HasRevision: true}, false},
		{review.Seen{}, false}, // nothing seen: refused, not applied on whatever is there
		{review.Seen{Status: vocab.StatusInconclusive, Revision: 5, HasRevision: true}, true},
	} {
		_, err := f.transition(ctx, "alice", subj, vocab.StatusCorroborated, "r", tc.seen, false)
		switch {
		case tc.ok && err != nil:
			t.Errorf("seen %+v: %v", tc.seen, err)
		case !tc.ok && err == nil:
			t.Errorf("seen %+v: applied on inconclusive at revision 5", tc.seen)
		case tc.seen == review.Seen{} && !errors.Is(err, review.ErrUnseen):
			t.Errorf("nothing seen: %v, want ErrUnseen", err)
		case !tc.ok && tc.seen != review.Seen{} && (!errors.Is(err, store.ErrConflict) ||
			!strings.Contains(err.Error(), `ada moved it from alleged to inconclusive`)):
			t.Errorf("seen %+v: %v, want a conflict naming ada's step", tc.seen, err)
		}
	}
	if len(f.applied) != 2 || f.revision != 5 {
		t.Errorf("%d transitions applied, the last at revision %d; want 2, at 5", len(f.applied), f.revision)
	}

	item, err := f.as("carol").AddEvidence(ctx, NewEvidence{Item: review.EvidenceItem{Subject: subj, AddedBy: "someone else", Notes: "n"}})
	if err != nil || item.AddedBy != "carol" {
		t.Errorf("evidence added as %q, %v; want the acting user", item.AddedBy, err)
	}
}

// A store without users is single-user: steps and evidence need no token
// and are recorded as the local actor; the page shows everything.
func TestLocalActorReviews(t *testing.T) {
	ctx := context.Background()
	subj := vocab.Ref{Kind: vocab.KindIncident, ID: 3}
	f := &fakeStore{st: review.State{Subject: subj, Status: vocab.StatusAlleged}}
	a := New(f, Options{})
	r, err := a.Transition(ctx, subj, Step{To: vocab.StatusCorroborated, Reason: "r", Seen: review.Seen{Status: vocab.StatusAlleged}})
	if err != nil || r.Transition.By != LocalActor {
		t.Fatalf("step without users: %+v, %v; want it by %q", r, err, LocalActor)
	}
	e, err := a.AddEvidence(ctx, NewEvidence{Item: review.EvidenceItem{Subject: subj, Notes: "n"}})
	if err != nil || e.AddedBy != LocalActor {
		t.Errorf("evidence without users: %+v, %v; want it by %q", e, err, LocalActor)
	}
	for _, item := range []review.EvidenceItem{
		{Subject: subj},
		{Subject: subj, URL: "example.org/x"},
		{Subject: subj, Lat: new(float64), Notes: "half a geolocation"},
		{Subject: subj, MediaType: "image/png", Notes: "a type without a file"},
	} {
		if _, err := a.AddEvidence(ctx, NewEvidence{Item: item}); KindOf(err) != KindInvalid {
			t.Errorf("evidence %+v: %v, want it invalid", item, err)
		}
	}
	// A token shown on a store without users changes nothing.
	if r, err := a.As(fakeToken("alice")).Transition(ctx, subj, Step{To: vocab.StatusInconclusive, Reason: "r", Seen: review.Seen{Status: vocab.StatusAlleged}}); err != nil || r.Transition.By != LocalActor {
		t.Errorf("step with a stray token: %+v, %v", r, err)
	}
}

// With users, no token is unauthenticated, and a viewer is told an
// unpublished subject is not found, as a missing one.
func TestReviewIdentityWithUsers(t *testing.T) {
	ctx := context.Background()
	subj := vocab.Ref{Kind: vocab.KindIncident, ID: 3}
	f := &fakeStore{
		st:    review.State{Subject: subj, Status: vocab.StatusAlleged},
		users: map[string]auth.User{"dave": {Name: "dave", Role: vocab.RoleViewer}},
	}
	_, err := New(f, Options{}).Transition(ctx, subj, Step{To: vocab.StatusCorroborated, Reason: "r", Seen: review.Seen{Status: vocab.StatusAlleged}})
	if !errors.Is(err, ErrNoToken) || KindOf(err) != KindUnauthenticated {
		t.Errorf("no token: %v (%s)", err, KindOf(err))
	}
	for _, s := range []vocab.Ref{subj, {Kind: vocab.KindFinding, ID: 99}} {
		_, err := f.as("dave").Evidence(ctx, s, false)
		var nf *SubjectNotFoundError
		if !errors.As(err, &nf) || KindOf(err) != KindNotFound || err.Error() != s.String()+" not found" {
			t.Errorf("viewer lists evidence of %s: %v", s, err)
		}
	}
}
