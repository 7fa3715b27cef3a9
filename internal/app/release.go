package app

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// StandingReleases returns the releases subj's confirmation started and
// that still stand: its findings that are their party's earliest confirmed
// violation under an agreement with a counterparty_may_withdraw rule.
func (a *App) StandingReleases(ctx context.Context, subj vocab.Ref) ([]review.Release, error) {
	return a.releases(ctx, subj, true)
}

// AgreementReleases returns the releases standing under an agreement: each
// party's earliest confirmed violation, when its release rule lets the
// others withdraw; none otherwise.
func (a *App) AgreementReleases(ctx context.Context, agreementID string) ([]review.Release, error) {
	t, err := a.releaseTerms(ctx, agreementID)
	if err != nil || !t.Withdrawable() {
		return nil, err
	}
	cvs, err := a.st.ConfirmedViolations(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	return review.AgreementReleases(agreementID, t, cvs), nil
}

// releasesIfConfirmed returns what confirming subj would start: for each
// finding that would become a confirmed violation under an agreement with
// a counterparty_may_withdraw rule, the first of its party, or one earlier
// than the party's standing one.
func (a *App) releasesIfConfirmed(ctx context.Context, subj vocab.Ref) ([]review.Release, error) {
	return a.releases(ctx, subj, false)
}

func (a *App) releases(ctx context.Context, subj vocab.Ref, standingOnly bool) ([]review.Release, error) {
	vs, err := a.st.ViolationsIfConfirmed(ctx, subj)
	if err != nil {
		return nil, err
	}
	return review.Releases(vs, review.ReleaseData{
		Terms: func(id string) (*review.ReleaseTerms, error) { return a.releaseTerms(ctx, id) },
		Confirmed: func(id string) ([]review.ConfirmedViolation, error) {
			return a.st.ConfirmedViolations(ctx, id)
		},
	}, standingOnly)
}

// releaseTerms reads the release terms of the latest stored version of an
// agreement.
func (a *App) releaseTerms(ctx context.Context, id string) (*review.ReleaseTerms, error) {
	v, err := a.st.GetAgreementVersion(ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("agreement %s: %w", id, err)
	}
	t, err := review.ParseReleaseTerms(v.Normalized)
	if err != nil {
		return nil, fmt.Errorf("agreement %s: read its stored version %d: %w", id, v.Version, err)
	}
	return t, nil
}
