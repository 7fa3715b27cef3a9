package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/vocab"
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
	Subject  vocab.Ref
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

// ReleaseTerms are the terms of an agreement a release depends on: its
// parties and its release rule.
type ReleaseTerms struct {
	Parties []agreement.Party  `json:"parties"`
	Release *agreement.Release `json:"release"`
}

// ParseReleaseTerms reads the release terms from an agreement's normalised
// form (agreement.Normalized, as the store keeps it).
func ParseReleaseTerms(normalized []byte) (*ReleaseTerms, error) {
	var t ReleaseTerms
	if err := json.Unmarshal(normalized, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Withdrawable reports whether a confirmed violation releases the other
// parties: the release rule is counterparty_may_withdraw.
func (t *ReleaseTerms) Withdrawable() bool {
	return t.Release != nil && t.Release.Kind == agreement.ReleaseCounterpartyMayWithdraw
}

// ReleaseOf is the release v starts: the other parties, from v's act.
func (t *ReleaseTerms) ReleaseOf(agreementID string, v ConfirmedViolation) Release {
	r := Release{AgreementID: agreementID, Party: v.Party, Since: v.At, FindingID: v.FindingID}
	for _, p := range t.Parties {
		if p.ID != v.Party {
			r.Released = append(r.Released, p.ID)
		}
	}
	slices.Sort(r.Released)
	return r
}

// AgreementReleases are the releases standing under an agreement with terms
// t, given its confirmed violations (each party's earliest): one each when
// the release rule lets the others withdraw; none otherwise.
func AgreementReleases(agreementID string, t *ReleaseTerms, confirmed []ConfirmedViolation) []Release {
	if !t.Withdrawable() {
		return nil
	}
	out := make([]Release, 0, len(confirmed))
	for _, v := range confirmed {
		out = append(out, t.ReleaseOf(agreementID, v))
	}
	return out
}

// ReleaseData gives Releases what it decides on, by agreement: the release
// terms of its latest version, and its standing confirmed violations (each
// party's earliest). Releases asks only for the agreements it needs.
type ReleaseData struct {
	Terms     func(agreementID string) (*ReleaseTerms, error)
	Confirmed func(agreementID string) ([]ConfirmedViolation, error)
}

// Releases decides, from the findings of a subject that are (or would be,
// once confirmed) confirmed violations, earliest first by party (as
// store.ViolationsIfConfirmed orders them), which releases they start under
// agreements whose rule lets the other parties withdraw: with standingOnly,
// those that stand (the party's earliest confirmed violation); otherwise
// those a confirmation would start (the party's first, or one earlier
// than its standing one).
func Releases(vs []ConfirmedViolation, d ReleaseData, standingOnly bool) ([]Release, error) {
	var out []Release
	seen := map[string]bool{}
	standing := map[string]map[string]ConfirmedViolation{}
	for _, v := range vs {
		key := v.AgreementID + "\x00" + v.Party
		if seen[key] {
			continue // the earliest of the party's, by the store's order
		}
		seen[key] = true
		terms, err := d.Terms(v.AgreementID)
		if err != nil {
			return nil, err
		}
		if !terms.Withdrawable() {
			continue
		}
		if standing[v.AgreementID] == nil {
			cvs, err := d.Confirmed(v.AgreementID)
			if err != nil {
				return nil, err
			}
			standing[v.AgreementID] = map[string]ConfirmedViolation{}
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
		out = append(out, terms.ReleaseOf(v.AgreementID, v))
	}
	return out, nil
}
