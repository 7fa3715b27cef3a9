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
	ViolationsIfConfirmed(ctx context.Context, subj store.Subject) ([]store.ConfirmedViolation, error)
	ConfirmedViolations(ctx context.Context, agreementID string) ([]store.ConfirmedViolation, error)
	GetAgreementVersion(ctx context.Context, id string, version int) (store.AgreementVersion, error)
}

// Service takes review steps on behalf of users: it checks the user and the
// rules against the subject as stored, then records the step. It moves to
// the application layer (internal/app); the rules it applies are the pure
// functions of this package.
type Service struct {
	store Store
}

// NewService returns a Service on s.
func NewService(s Store) *Service { return &Service{store: s} }

// Transition moves subj to status to on behalf of the user named by, if
// subj is still as seen. Otherwise, or if someone else takes a step between
// reading subj and writing, it fails with a *store.ConflictError naming who
// changed it, to what and when: read it again and decide again.
//
// A confirmation that would release a party (see Releases) fails with a
// *ReleaseError listing what it would release unless acceptRelease: the
// author says on the same call that they saw it coming.
func (s *Service) Transition(ctx context.Context, by string, subj store.Subject, to, reason string, seen Seen, acceptRelease bool) (store.Transition, error) {
	if !seen.Given() {
		return store.Transition{}, ErrUnseen
	}
	if _, err := s.actor(ctx, by, auth.Review); err != nil {
		return store.Transition{}, err
	}
	st, err := s.store.ReviewState(ctx, subj)
	if err != nil {
		return store.Transition{}, err
	}
	conflict := func(err error) error {
		return fmt.Errorf("%s is no longer as you saw it (%s): %w; show it again and decide again", subj, seen, err)
	}
	if !seen.Matches(st) {
		return store.Transition{}, conflict(store.NewConflict(st))
	}
	if err := Check(st, by, to, reason); err != nil {
		return store.Transition{}, err
	}
	if to == store.StatusConfirmed && st.Status != store.StatusConfirmed && !acceptRelease {
		rs, err := s.Releases(ctx, subj)
		if err != nil {
			return store.Transition{}, err
		}
		if len(rs) > 0 {
			return store.Transition{}, &ReleaseError{Subject: subj, Releases: rs}
		}
	}
	// st matched seen: its revision is the one seen when given (the API's
	// If-Match), else the one whose status was seen. Either way a step
	// taken since fails the compare-and-set.
	t, err := s.store.ApplyTransition(ctx, store.Transition{
		Subject: subj, From: st.Status, To: to, By: by, Reason: strings.TrimSpace(reason),
	}, st.Revision)
	if errors.Is(err, store.ErrConflict) {
		return store.Transition{}, conflict(err)
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

// StandingReleases returns the releases subj's confirmation started and
// that still stand.
func (s *Service) StandingReleases(ctx context.Context, subj store.Subject) ([]Release, error) {
	return s.releases(ctx, subj, true)
}

// Releases returns what confirming subj would start.
func (s *Service) Releases(ctx context.Context, subj store.Subject) ([]Release, error) {
	return s.releases(ctx, subj, false)
}

// AgreementReleases returns the releases standing under an agreement.
func (s *Service) AgreementReleases(ctx context.Context, agreementID string) ([]Release, error) {
	t, err := s.terms(ctx)(agreementID)
	if err != nil || !t.Withdrawable() {
		return nil, err
	}
	cvs, err := s.store.ConfirmedViolations(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	return AgreementReleases(agreementID, t, cvs), nil
}

func (s *Service) releases(ctx context.Context, subj store.Subject, standingOnly bool) ([]Release, error) {
	vs, err := s.store.ViolationsIfConfirmed(ctx, subj)
	if err != nil {
		return nil, err
	}
	return Releases(vs, ReleaseData{Terms: s.terms(ctx), Confirmed: func(id string) ([]store.ConfirmedViolation, error) {
		return s.store.ConfirmedViolations(ctx, id)
	}}, standingOnly)
}

func (s *Service) terms(ctx context.Context) func(string) (*ReleaseTerms, error) {
	return func(id string) (*ReleaseTerms, error) {
		v, err := s.store.GetAgreementVersion(ctx, id, 0)
		if err != nil {
			return nil, fmt.Errorf("agreement %s: %w", id, err)
		}
		t, err := ParseReleaseTerms(v.Normalized)
		if err != nil {
			return nil, fmt.Errorf("agreement %s: read its stored version %d: %w", id, v.Version, err)
		}
		return t, nil
	}
}
