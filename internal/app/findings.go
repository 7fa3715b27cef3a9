package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Finding is the view of one finding: the match result with its
// explanation, the record as now stored, and (Stored) the finding's id and
// review state. 'truce findings --output json' prints it a line each, and
// 'truce check' the same without Stored.
type Finding = report.Finding

// FindingQuery selects findings. Zero fields select the standing findings
// of the latest evaluated version of every agreement.
type FindingQuery struct {
	// Agreement is an agreement id, exactly as stored; Version one of its
	// versions (0: the latest evaluated), and needs Agreement.
	Agreement string
	Version   int
	// Reading and Accused are party ids of the agreement (of any stored
	// agreement without one), in any case.
	Reading, Accused string
	// Verdicts, in any case.
	Verdicts    []string
	NeedsReview bool // only findings flagged for review
	Withdrawn   bool // withdrawn findings too
}

// Findings calls each with the findings q selects, in the time order of
// their records, streaming. A filter that names nothing is an error, not
// an empty answer: an agreement or version not stored (KindNotFound), a
// party or verdict that is not one (KindInvalid, listing those there
// are). Reading findings needs no token.
func (a *App) Findings(ctx context.Context, q FindingQuery, each func(*Finding) error) error {
	verdicts, err := KnownCodes("verdict", q.Verdicts, vocab.Verdicts())
	if err != nil {
		return err
	}
	if q.Version != 0 && q.Agreement == "" {
		return errorf(KindInvalid, "a version needs an agreement")
	}
	if err := a.agreementFilter(ctx, q.Agreement, q.Version, map[string]*string{"reading": &q.Reading, "accused party": &q.Accused}); err != nil {
		return err
	}
	filter := store.FindingFilter{
		AgreementID: q.Agreement, Version: q.Version, Reading: q.Reading, Verdicts: verdicts,
		Accused: q.Accused, NeedsReview: q.NeedsReview, IncludeWithdrawn: q.Withdrawn,
	}
	return a.st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		f, err := findingView(fr)
		if err != nil {
			return err
		}
		return each(&f)
	})
}

// Releases returns the standing releases under agreementID (every stored
// agreement if ""): which confirmed finding put which party in violation
// since when, and whom that releases. Reading them needs no token.
func (a *App) Releases(ctx context.Context, agreementID string) ([]review.Release, error) {
	ids := []string{agreementID}
	if agreementID == "" {
		vs, err := a.st.ListAgreements(ctx)
		if err != nil {
			return nil, err
		}
		ids = ids[:0]
		for _, v := range vs {
			ids = append(ids, v.AgreementID)
		}
	}
	var out []review.Release
	for _, id := range ids {
		rs, err := a.AgreementReleases(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// storedExplanation is how a finding's checks and notes are stored.
type storedExplanation struct {
	Checks []match.Check `json:"checks"`
	Notes  []string      `json:"notes,omitempty"`
}

// findingView is a stored finding as its view.
func findingView(fr *store.FindingRecord) (Finding, error) {
	var ex storedExplanation
	if err := json.Unmarshal(fr.Explanation, &ex); err != nil {
		return Finding{}, fmt.Errorf("finding %d: explanation: %w", fr.ID, err)
	}
	sub := &fr.Subject
	f := Finding{
		Result: match.Result{
			AgreementID: fr.AgreementID, Version: fr.AgreementVersion, Reading: fr.Reading, CommitmentID: fr.CommitmentID,
			Part: fr.Part, Accused: fr.Accused, Claimant: fr.Claimant, Verdict: match.Verdict(fr.Verdict), Time: match.Position(fr.TimePosition),
			Category: fr.Category, Failed: match.Clause(fr.FailedClause), Exception: fr.Exception,
			Checks: ex.Checks, Notes: ex.Notes,
		},
		Record: fr.Record.Kind, Source: sub.Source, SourceID: sub.SourceID,
		Span: sub.Time, Place: sub.Place, Kind: sub.Kind, Text: sub.Text, Allegation: sub.Allegation,
		Stored: &report.Stored{
			ID: fr.ID, Record: refName(fr.Record), Status: fr.Status, NeedsReview: fr.NeedsReview, Withdrawn: !fr.WithdrawnAt.IsZero(),
			EvaluatedAt: fr.EvaluatedAt, RecordVersion: fr.RecordVersion, Supersedes: fr.Supersedes,
		},
	}
	// The one spelling of the record (and allegation), as the report
	// writers set it: the view is complete without them.
	f.RecordID = f.Stored.Record
	if f.Part > 0 {
		f.RecordID += "#" + strconv.Itoa(f.Part)
	}
	return f, nil
}
