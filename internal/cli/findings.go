package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/truce-monitor/truce/internal/review"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/store"
)

type findingsFlags struct {
	agreement   string
	version     int
	reading     string
	verdicts    []string
	accused     string
	needsReview bool
	withdrawn   bool
	output      string
}

func (a *invocation) findingsCommand() *cobra.Command {
	var fl findingsFlags
	c := &cobra.Command{
		Use:   "findings [--agreement ID] [--reading PARTY] [--verdict V,...] [--needs-review] [--output FORMAT]",
		Short: "List the findings 'truce evaluate' stored",
		Long: `List stored findings in the order of the time of their events and claims,
each with its explanation, the record as it is now stored, and its review
state (status, and whether it needs review because its record changed or
evaluation changed it).

By default the findings of the latest evaluated version of every agreement
are listed; --agreement ID --version N lists those of an older version,
which are kept when a new one is evaluated. Withdrawn findings (their record
no longer gives them) are left out unless --withdrawn.

A filter that names nothing (an agreement not stored, a reading or accused
party that is not one of the agreement's parties, an unknown verdict) is
an error listing what there is, not an empty list; party ids and verdicts
match in any case (--reading ua).

Output: table (for people), json (JSON Lines, one finding a line), csv, or
geojson, as for 'truce check'; the store adds the finding's id, status and
review flag.

After the list (on stderr, with the tally), each agreement's standing
releases: which confirmed finding put which party in violation since when,
and whom that releases under the agreement's release rule.`,
		Example: `  truce findings
  truce findings --agreement energy-moratorium-2025 --reading UA --verdict candidate,ambiguous
  truce findings --needs-review --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runFindings(c, fl) },
	}
	f := c.Flags()
	f.StringVar(&fl.agreement, "agreement", "", "only agreement `ID`")
	f.IntVar(&fl.version, "version", 0, "that agreement's version `N` (default: the latest evaluated)")
	f.StringVar(&fl.reading, "reading", "", "only findings under party `PARTY`'s reading")
	f.StringSliceVar(&fl.verdicts, "verdict", nil, "only these verdicts: "+strings.Join(store.Verdicts(), ", "))
	f.StringVar(&fl.accused, "accused", "", "only findings against party `PARTY`")
	f.BoolVar(&fl.needsReview, "needs-review", false, "only findings flagged for review")
	f.BoolVar(&fl.withdrawn, "withdrawn", false, "also list withdrawn findings")
	f.StringVar(&fl.output, "output", "table", "output: "+strings.Join(report.Outputs, ", "))
	return c
}

func (a *invocation) runFindings(c *cobra.Command, fl findingsFlags) error {
	ctx := c.Context()
	verdicts, err := knownCodes("verdict", fl.verdicts, store.Verdicts())
	if err != nil {
		return err
	}
	fl.verdicts = verdicts
	if fl.version != 0 && fl.agreement == "" {
		return &exitError{code: 2, err: fmt.Errorf("--version needs --agreement ID")}
	}
	out, err := report.NewFindingWriter(c.OutOrStdout(), fl.output)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := agreementFilter(ctx, st, fl.agreement, fl.version, map[string]*string{"reading": &fl.reading, "accused party": &fl.accused}); err != nil {
		return err
	}
	filter := store.FindingFilter{
		AgreementID: fl.agreement, Version: fl.version, Reading: fl.reading, Verdicts: fl.verdicts,
		Accused: fl.accused, NeedsReview: fl.needsReview, IncludeWithdrawn: fl.withdrawn,
	}
	var tally findingsTally
	err = st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		f, err := reportFinding(fr)
		if err != nil {
			return err
		}
		tally.add(&f)
		return out.Write(&f)
	})
	if err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintln(c.ErrOrStderr(), tally)
	return printAgreementReleases(ctx, c.ErrOrStderr(), st, fl.agreement)
}

// printAgreementReleases says, per agreement (one, or every stored one),
// which confirmed finding released whom since when.
func printAgreementReleases(ctx context.Context, w io.Writer, st store.Store, agreementID string) error {
	ids := []string{agreementID}
	if agreementID == "" {
		vs, err := st.ListAgreements(ctx)
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, v := range vs {
			ids = append(ids, v.AgreementID)
		}
	}
	svc := review.NewService(st)
	for _, id := range ids {
		rs, err := svc.AgreementReleases(ctx, id)
		if err != nil {
			return err
		}
		for _, r := range rs {
			fmt.Fprintf(w, "released: %s\n", r)
		}
	}
	return nil
}

// reportFinding is a stored finding as the report writers take it.
func reportFinding(fr *store.FindingRecord) (report.Finding, error) {
	var ex explanation
	if err := json.Unmarshal(fr.Explanation, &ex); err != nil {
		return report.Finding{}, fmt.Errorf("finding %d: explanation: %w", fr.ID, err)
	}
	sub := &fr.Subject
	return report.Finding{
		Result: match.Result{
			AgreementID: fr.AgreementID, Version: fr.AgreementVersion, Reading: fr.Reading, CommitmentID: fr.CommitmentID,
			Part: fr.Part, Accused: fr.Accused, Claimant: fr.Claimant, Verdict: match.Verdict(fr.Verdict), Time: match.Position(fr.TimePosition),
			Category: fr.Category, Failed: match.Clause(fr.FailedClause), Exception: fr.Exception,
			Checks: ex.Checks, Notes: ex.Notes,
		},
		Record: fr.Record.Type, Source: sub.Source, SourceID: sub.SourceID,
		Span: sub.Time, Place: sub.Place, Kind: sub.Kind, Text: sub.Text, Allegation: sub.Allegation,
		Stored: &report.Stored{
			ID: fr.ID, Record: refName(fr.Record), Status: fr.Status, NeedsReview: fr.NeedsReview, Withdrawn: !fr.WithdrawnAt.IsZero(),
			EvaluatedAt: fr.EvaluatedAt, RecordVersion: fr.RecordVersion, Supersedes: fr.Supersedes,
		},
	}, nil
}

type findingsTally struct {
	n, review int
	byVerdict map[match.Verdict]int
}

func (t *findingsTally) add(f *report.Finding) {
	if t.byVerdict == nil {
		t.byVerdict = map[match.Verdict]int{}
	}
	t.n++
	t.byVerdict[f.Verdict]++
	if f.Stored.NeedsReview {
		t.review++
	}
}

func (t findingsTally) String() string {
	if t.n == 0 {
		return "no findings ('truce evaluate' stores them)"
	}
	var parts []string
	for _, v := range []match.Verdict{match.VerdictCandidate, match.VerdictAmbiguous, match.VerdictExcepted, match.VerdictNearMiss} {
		if n := t.byVerdict[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	return fmt.Sprintf("%d findings: %s; %d need review", t.n, strings.Join(parts, ", "), t.review)
}
