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
// rules against the subject as stored, then records the step.
type Service struct {
	store Store
}

// NewService returns a Service on s.
func NewService(s Store) *Service { return &Service{store: s} }

// Seen is the state of a subject its reviewer decided on: a step applies
// only while the subject is still so. The CLI gives it with --from and
// --revision; the HTTP API's If-Match carries the revision.
type Seen struct {
	Status string // the status seen; "" if not given
	// Revision is the review revision seen ('truce review show'), if
	// HasRevision: the count of steps taken so far.
	Revision    int
	HasRevision bool
}

func (s Seen) String() string {
	var parts []string
	if s.Status != "" {
		parts = append(parts, s.Status)
	}
	if s.HasRevision {
		parts = append(parts, fmt.Sprintf("revision %d", s.Revision))
	}
	return strings.Join(parts, " at ")
}

// matches reports whether st is still as seen.
func (s Seen) matches(st store.ReviewState) bool {
	return (s.Status == "" || s.Status == st.Status) && (!s.HasRevision || s.Revision == st.Revision)
}

// ErrUnseen means a step did not say what its author saw: without that, a
// step could land on a decision its author never saw.
var ErrUnseen = errors.New("say what you decided on: the status you saw (and/or its revision)")

// Transition moves subj to status to on behalf of the user named by, if
// subj is still as seen. Otherwise, or if someone else takes a step between
// reading subj and writing, it fails with a *store.ConflictError naming who
// changed it, to what and when: read it again and decide again.
//
// A confirmation that would release a party (see Releases) fails with a
// *ReleaseError listing what it would release unless acceptRelease: the
// author says on the same call that they saw it coming.
func (s *Service) Transition(ctx context.Context, by string, subj store.Subject, to, reason string, seen Seen, acceptRelease bool) (store.Transition, error) {
	if seen.Status == "" && !seen.HasRevision {
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
	if !seen.matches(st) {
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

// CanSee reports whether u may see a subject with this status and review
// flag: published subjects are public, the rest only for roles that may
// read unpublished items.
func CanSee(u store.User, status string, needsReview bool) bool {
	return Published(status, needsReview) || auth.Allow(u, auth.ReadUnpublished) == nil
}
