package review

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/internal/store"
)

// ReleaseReader is what Service reads releases from.
type ReleaseReader interface {
	ViolationsIfConfirmed(ctx context.Context, s store.Subject) ([]store.ConfirmedViolation, error)
	ConfirmedViolations(ctx context.Context, agreementID string) ([]store.ConfirmedViolation, error)
	GetAgreementVersion(ctx context.Context, id string, version int) (store.AgreementVersion, error)
}

// Service reads the releases standing on the store.
//
// Deprecated: use app.App's StandingReleases and AgreementReleases. It
// stays only until 'truce findings' and 'truce incident show' call the
// application layer; review steps and evidence moved there already.
type Service struct{ r ReleaseReader }

// NewService returns a Service on r.
//
// Deprecated: see Service.
func NewService(r ReleaseReader) *Service { return &Service{r: r} }

// StandingReleases: see app.App.StandingReleases.
func (s *Service) StandingReleases(ctx context.Context, subj store.Subject) ([]Release, error) {
	vs, err := s.r.ViolationsIfConfirmed(ctx, subj)
	if err != nil {
		return nil, err
	}
	return Releases(vs, ReleaseData{Terms: s.terms(ctx), Confirmed: func(id string) ([]store.ConfirmedViolation, error) {
		return s.r.ConfirmedViolations(ctx, id)
	}}, true)
}

// AgreementReleases: see app.App.AgreementReleases.
func (s *Service) AgreementReleases(ctx context.Context, agreementID string) ([]Release, error) {
	t, err := s.terms(ctx)(agreementID)
	if err != nil || !t.Withdrawable() {
		return nil, err
	}
	cvs, err := s.r.ConfirmedViolations(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	return AgreementReleases(agreementID, t, cvs), nil
}

func (s *Service) terms(ctx context.Context) func(string) (*ReleaseTerms, error) {
	return func(id string) (*ReleaseTerms, error) {
		v, err := s.r.GetAgreementVersion(ctx, id, 0)
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
