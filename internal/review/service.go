package review

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
)

// Store is what Service needs of the store.
type Store interface {
	ReviewState(ctx context.Context, s store.Subject) (store.ReviewState, error)
	ApplyTransition(ctx context.Context, t store.Transition, revision int) (store.Transition, error)
	AddEvidence(ctx context.Context, item store.EvidenceItem, content []byte) (store.EvidenceItem, error)
	GetUser(ctx context.Context, name string) (store.User, error)
}

// Service takes review steps on behalf of users: it checks the user and the
// rules against the subject as stored, then records the step.
type Service struct {
	store Store
}

// NewService returns a Service on s.
func NewService(s Store) *Service { return &Service{store: s} }

// Transition moves subj to status to on behalf of the user named by. It
// fails with store.ErrConflict if someone else changed subj between reading
// it and writing: read it again and decide again.
func (s *Service) Transition(ctx context.Context, by string, subj store.Subject, to, reason string) (store.Transition, error) {
	if _, err := s.actor(ctx, by, auth.Review); err != nil {
		return store.Transition{}, err
	}
	st, err := s.store.ReviewState(ctx, subj)
	if err != nil {
		return store.Transition{}, err
	}
	if err := Check(st, by, to, reason); err != nil {
		return store.Transition{}, err
	}
	t, err := s.store.ApplyTransition(ctx, store.Transition{
		Subject: subj, From: st.Status, To: to, By: by, Reason: strings.TrimSpace(reason),
	}, st.Revision)
	if errors.Is(err, store.ErrConflict) {
		return store.Transition{}, fmt.Errorf("%s was reviewed by someone else meanwhile: show it again and decide again: %w", subj, err)
	}
	return t, err
}

// AddEvidence attaches item (and content, the uploaded file, if not nil) to
// its subject on behalf of the user named by.
func (s *Service) AddEvidence(ctx context.Context, by string, item store.EvidenceItem, content []byte) (store.EvidenceItem, error) {
	if _, err := s.actor(ctx, by, auth.AddEvidence); err != nil {
		return store.EvidenceItem{}, err
	}
	item.AddedBy = by
	return s.store.AddEvidence(ctx, item, content)
}

// actor returns the user named name if they exist and may do a.
func (s *Service) actor(ctx context.Context, name string, a auth.Action) (store.User, error) {
	if name == "" {
		return store.User{}, fmt.Errorf("%w: no acting user", auth.ErrDenied)
	}
	u, err := s.store.GetUser(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("%w: there is no user %q", auth.ErrDenied, name)
	}
	if err != nil {
		return store.User{}, err
	}
	if err := auth.Allow(u, a); err != nil {
		return store.User{}, err
	}
	return u, nil
}

// CanSee reports whether u may see a subject with this status and review
// flag: published subjects are public, the rest only for roles that may
// read unpublished items.
func CanSee(u store.User, status string, needsReview bool) bool {
	return Published(status, needsReview) || auth.Allow(u, auth.ReadUnpublished) == nil
}
