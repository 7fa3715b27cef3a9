package review

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
)

// fakeStore holds one subject's state and records what is applied.
type fakeStore struct {
	st       store.ReviewState
	users    map[string]store.User
	applied  []store.Transition
	revision int
	conflict bool
	// violations: what confirming would make violations; standing: the
	// confirmed ones; agreements: stored forms by id.
	violations []store.ConfirmedViolation
	standing   []store.ConfirmedViolation
	agreements map[string][]byte // normalised JSON, by id
}

func (f *fakeStore) ViolationsIfConfirmed(context.Context, store.Subject) ([]store.ConfirmedViolation, error) {
	return f.violations, nil
}

func (f *fakeStore) ConfirmedViolations(context.Context, string) ([]store.ConfirmedViolation, error) {
	return f.standing, nil
}

func (f *fakeStore) GetAgreementVersion(_ context.Context, id string, _ int) (store.AgreementVersion, error) {
	n, ok := f.agreements[id]
	if !ok {
		return store.AgreementVersion{}, store.ErrNotFound
	}
	return store.AgreementVersion{AgreementID: id, Version: 1, Normalized: n}, nil
}

func (f *fakeStore) ReviewState(_ context.Context, s store.Subject) (store.ReviewState, error) {
	if s != f.st.Subject {
		return store.ReviewState{}, store.ErrNotFound
	}
	return f.st, nil
}

func (f *fakeStore) ApplyTransition(_ context.Context, t store.Transition, revision int) (store.Transition, error) {
	if f.conflict {
		return store.Transition{}, store.ErrConflict
	}
	f.applied, f.revision = append(f.applied, t), revision
	return t, nil
}

func (f *fakeStore) AddEvidence(_ context.Context, item store.EvidenceItem, _ []byte) (store.EvidenceItem, error) {
	return item, nil
}

func (f *fakeStore) GetUser(_ context.Context, name string) (store.User, error) {
	u, ok := f.users[name]
	if !ok {
		return store.User{}, store.ErrNotFound
	}
	return u, nil
}

func TestServiceTransition(t *testing.T) {
	ctx := context.Background()
	subj := store.Subject{Type: store.SubjectIncident, ID: 3}
	f := &fakeStore{
		st:    store.ReviewState{Subject: subj, Status: store.StatusAlleged, Revision: 4},
		users: map[string]store.User{"alice": {Name: "alice", Role: store.RoleMonitor}, "carol": {Name: "carol", Role: store.RoleAnalyst}},
	}
	svc := NewService(f)
	seen := Seen{Status: store.StatusAlleged}
	tr, err := svc.Transition(ctx, "alice", subj, store.StatusCorroborated, "  three outlets  ", seen, false)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Transition{Subject: subj, From: store.StatusAlleged, To: store.StatusCorroborated, By: "alice", Reason: "three outlets"}
	if tr != want || f.revision != 4 {
		t.Errorf("applied %+v at revision %d, want %+v at 4", tr, f.revision, want)
	}

	if _, err := svc.Transition(ctx, "carol", subj, store.StatusCorroborated, "r", seen, false); !errors.Is(err, auth.ErrDenied) {
		t.Errorf("analyst reviewed: %v", err)
	}
	if _, err := svc.Transition(ctx, "alice", store.Subject{Type: store.SubjectFinding, ID: 1}, store.StatusCorroborated, "r", seen, false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown subject: %v", err)
	}
	f.conflict = true
	_, err = svc.Transition(ctx, "alice", subj, store.StatusCorroborated, "r", seen, false)
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "show it again and decide again") {
		t.Errorf("conflict: %v", err)
	}
	f.conflict = false
	// What the author saw decides, not what the store holds when the step
	// arrives: a step on a state its author never saw is refused unapplied.
	f.st.History = []store.Transition{{Subject: subj, From: store.StatusAlleged, To: store.StatusInconclusive, By: "ada", Reason: "sources disagree"}}
	f.st.Status, f.st.Revision = store.StatusInconclusive, 5
	for _, tc := range []struct {
		seen Seen
		ok   bool
	}{
		{Seen{Status: store.StatusAlleged}, false},
		{Seen{Revision: 4, HasRevision: true}, false},
		{Seen{Status: store.StatusInconclusive, Revision: 4, HasRevision: true}, false},
		{Seen{}, false}, // nothing seen: refused, not applied on whatever is there
		{Seen{Status: store.StatusInconclusive, Revision: 5, HasRevision: true}, true},
	} {
		_, err := svc.Transition(ctx, "alice", subj, store.StatusCorroborated, "r", tc.seen, false)
		switch {
		case tc.ok && err != nil:
			t.Errorf("seen %+v: %v", tc.seen, err)
		case !tc.ok && err == nil:
			t.Errorf("seen %+v: applied on inconclusive at revision 5", tc.seen)
		case tc.seen == Seen{} && !errors.Is(err, ErrUnseen):
			t.Errorf("nothing seen: %v, want ErrUnseen", err)
		case !tc.ok && tc.seen != Seen{} && (!errors.Is(err, store.ErrConflict) ||
			!strings.Contains(err.Error(), `ada moved it from alleged to inconclusive`)):
			t.Errorf("seen %+v: %v, want a conflict naming ada's step", tc.seen, err)
		}
	}
	if len(f.applied) != 2 || f.revision != 5 {
		t.Errorf("%d transitions applied, the last at revision %d; want 2, at 5", len(f.applied), f.revision)
	}

	item, err := svc.AddEvidence(ctx, "carol", store.EvidenceItem{Subject: subj, AddedBy: "someone else", Notes: "n"}, nil)
	if err != nil || item.AddedBy != "carol" {
		t.Errorf("evidence added as %q, %v; want the acting user", item.AddedBy, err)
	}
}
