package review

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/store"
)

// Release is what a confirmation starts under an agreement whose release
// rule lets the other parties withdraw: Party's confirmed violation
// (finding FindingID, its act at Since) releases the others from Since.
type Release struct {
	AgreementID string
	Party       string
	Released    []string
	Since       time.Time
	FindingID   int64
}

func (r Release) String() string {
	return fmt.Sprintf("finding/%d: %s in confirmed violation of %s since %s, so %s may consider itself released",
		r.FindingID, r.Party, r.AgreementID, r.Since.UTC().Format(time.RFC3339), strings.Join(r.Released, ", "))
}

// ReleaseError is a confirmation refused because it would release a party
// and its author did not say they accept that (the CLI's --yes, the API's
// explicit flag on the same call).
type ReleaseError struct {
	Subject  store.Subject
	Releases []Release
}

func (e *ReleaseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "confirming %s would release a party under its agreement's release rule:", e.Subject)
	for _, r := range e.Releases {
		b.WriteString("\n  ")
		b.WriteString(r.String())
	}
	b.WriteString("\nthe step must accept the release to confirm")
	return b.String()
}

// StandingReleases returns the releases subj's confirmation started and
// that still stand: its findings that are their party's earliest confirmed
// violation under an agreement with a counterparty_may_withdraw rule.
func (s *Service) StandingReleases(ctx context.Context, subj store.Subject) ([]Release, error) {
	return s.releases(ctx, subj, true)
}

// AgreementReleases returns the releases standing under an agreement: each
// party's earliest confirmed violation, when its release rule lets the
// others withdraw; none otherwise.
func (s *Service) AgreementReleases(ctx context.Context, agreementID string) ([]Release, error) {
	ag, err := s.agreement(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	if ag.Release == nil || ag.Release.Kind != agreement.ReleaseCounterpartyMayWithdraw {
		return nil, nil
	}
	cvs, err := s.store.ConfirmedViolations(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	out := make([]Release, 0, len(cvs))
	for _, v := range cvs {
		out = append(out, ag.release(agreementID, v))
	}
	return out, nil
}

// Releases returns what confirming subj would start: for each finding that
// would become a confirmed violation (store.ViolationsIfConfirmed) under
// an agreement with a counterparty_may_withdraw rule, the first of its
// party, or one earlier than the party's standing one.
func (s *Service) Releases(ctx context.Context, subj store.Subject) ([]Release, error) {
	return s.releases(ctx, subj, false)
}

// releases lists the releases of subj's findings: those standing (the
// party's earliest confirmed violation), or those a confirmation would
// start.
func (s *Service) releases(ctx context.Context, subj store.Subject, standingOnly bool) ([]Release, error) {
	vs, err := s.store.ViolationsIfConfirmed(ctx, subj)
	if err != nil {
		return nil, err
	}
	var out []Release
	seen := map[string]bool{}
	standing := map[string]map[string]store.ConfirmedViolation{}
	for _, v := range vs {
		key := v.AgreementID + "\x00" + v.Party
		if seen[key] {
			continue // the earliest of the party's, by the store's order
		}
		seen[key] = true
		ag, err := s.agreement(ctx, v.AgreementID)
		if err != nil {
			return nil, err
		}
		if ag.Release == nil || ag.Release.Kind != agreement.ReleaseCounterpartyMayWithdraw {
			continue
		}
		if standing[v.AgreementID] == nil {
			cvs, err := s.store.ConfirmedViolations(ctx, v.AgreementID)
			if err != nil {
				return nil, err
			}
			standing[v.AgreementID] = map[string]store.ConfirmedViolation{}
			for _, c := range cvs {
				standing[v.AgreementID][c.Party] = c
			}
		}
		at, ok := standing[v.AgreementID][v.Party]
		switch {
		case standingOnly && (!ok || at.FindingID != v.FindingID):
			continue // not the violation that stands
		case !standingOnly && ok && !v.At.Before(at.At):
			continue // the party is released from earlier already
		}
		out = append(out, ag.release(v.AgreementID, v))
	}
	return out, nil
}

// releaseTerms are the terms of an agreement a release depends on.
type releaseTerms struct {
	Parties []agreement.Party  `json:"parties"`
	Release *agreement.Release `json:"release"`
}

// agreement reads the release terms of the latest stored version of an
// agreement, from its normalised form (agreement.Normalized).
func (s *Service) agreement(ctx context.Context, id string) (*releaseTerms, error) {
	v, err := s.store.GetAgreementVersion(ctx, id, 0)
	if err != nil {
		return nil, fmt.Errorf("agreement %s: %w", id, err)
	}
	var ag releaseTerms
	if err := json.Unmarshal(v.Normalized, &ag); err != nil {
		return nil, fmt.Errorf("agreement %s: read its stored version %d: %w", id, v.Version, err)
	}
	return &ag, nil
}

// release is the release v starts: the other parties, from v's act.
func (t *releaseTerms) release(agreementID string, v store.ConfirmedViolation) Release {
	r := Release{AgreementID: agreementID, Party: v.Party, Since: v.At, FindingID: v.FindingID}
	for _, p := range t.Parties {
		if p.ID != v.Party {
			r.Released = append(r.Released, p.ID)
		}
	}
	slices.Sort(r.Released)
	return r
}
