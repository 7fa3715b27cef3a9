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
	tr, err := svc.Transition(ctx, "alice", subj, store.StatusCorroborated, "  three outlets  ")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Transition{Subject: subj, From: store.StatusAlleged, To: store.StatusCorroborated, By: "alice", Reason: "three outlets"}
	if tr != want || f.revision != 4 {
		t.Errorf("applied %+v at revision %d, want %+v at 4", tr, f.revision, want)
	}

	if _, err := svc.Transition(ctx, "carol", subj, store.StatusCorroborated, "r"); !errors.Is(err, auth.ErrDenied) {
		t.Errorf("analyst reviewed: %v", err)
	}
	if _, err := svc.Transition(ctx, "alice", store.Subject{Type: store.SubjectFinding, ID: 1}, store.StatusCorroborated, "r"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown subject: %v", err)
	}
	f.conflict = true
	_, err = svc.Transition(ctx, "alice", subj, store.StatusCorroborated, "r")
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "show it again and decide again") {
		t.Errorf("conflict: %v", err)
	}
	if len(f.applied) != 1 {
		t.Errorf("%d transitions applied, want 1", len(f.applied))
	}

	item, err := svc.AddEvidence(ctx, "carol", store.EvidenceItem{Subject: subj, AddedBy: "someone else", Notes: "n"}, nil)
	if err != nil || item.AddedBy != "carol" {
		t.Errorf("evidence added as %q, %v; want the acting user", item.AddedBy, err)
	}
}
