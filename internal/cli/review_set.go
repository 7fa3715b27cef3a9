package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
)

// reviewSetFlags are the flags of `truce review set`.
type reviewSetFlags struct {
	reason, from string
	revision     int
	yes          bool
	// The filter selecting subjects instead of naming them.
	needsReview bool
	agreement   string
	typ         string
}

func (fl reviewSetFlags) filtered() bool {
	return fl.needsReview || fl.agreement != "" || fl.typ != ""
}

func (a *invocation) reviewSetCommand() *cobra.Command {
	var fl reviewSetFlags
	c := &cobra.Command{
		Use:   "set SUBJECT... STATUS --from SEEN [--revision N] --reason TEXT [--yes]",
		Short: "Move findings or incidents to another review status",
		Long: `Move one or more findings or incidents to STATUS, recording who (the user
of TRUCE_TOKEN, who must be a monitor or an admin), when, from, to and why.
STATUS is one of: alleged, corroborated, confirmed, refuted, inconclusive,
not_attributable.

Say what you decided on: --from the status you saw, and/or --revision the
revision you saw ('truce review show' prints both; one subject only). The
step applies only if the subject is still so; if someone moved it since, the
command fails naming who moved it, to what and when, and changes nothing:
show it again and decide again. --from alone lets a step through if the
subject was moved away and back meanwhile; --revision does not.

Several subjects, or a filter instead of subjects (--needs-review,
--agreement ID, --type): each subject is its own step, checked against the
rules and audited on its own; one refused does not stop the others, and the
command exits 1 if any was refused. A filter selects the subjects now at
--from.

Confirming a finding, or an incident whose records have findings, that
states a prohibited act by a named party may release the other parties
under the agreement's release rule, from that act's time: the command says
which confirmed finding would release whom since when, and confirms only
with --yes.

Setting the status it already has re-affirms it after an upstream change
(allowed only while it is flagged for review) and clears the flag. The
rules ('truce review --help') are checked against the subject as stored.`,
		Example: `  truce review set finding/12 corroborated --from alleged --reason "two independent outlets, one with video"
  truce review set finding/12 confirmed --from corroborated --revision 1 --reason "geolocation checked" --yes   # a second monitor
  truce review set incident/3 refuted --from alleged --reason "the photo predates the moratorium (evidence #4)"
  truce review set finding/12 finding/13 confirmed --from confirmed --reason "the upstream edit changes only the count"
  truce review set --needs-review --agreement energy-moratorium-2025 confirmed --from confirmed --reason "re-evaluation only added the release note"`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			to, err := knownCode("status", args[len(args)-1], store.Statuses())
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			var subjects []store.Subject
			for _, arg := range args[:len(args)-1] {
				subj, err := reviewSubject(arg)
				if err != nil {
					return err
				}
				subjects = append(subjects, subj)
			}
			switch {
			case len(subjects) == 0 && !fl.filtered():
				return &exitError{code: 2, err: fmt.Errorf("name the subjects (finding/N, incident/N) or select them with --needs-review, --agreement, --type")}
			case len(subjects) > 0 && fl.filtered():
				return &exitError{code: 2, err: fmt.Errorf("name subjects or give a filter, not both")}
			}
			if fl.from != "" {
				if fl.from, err = knownCode("--from status", fl.from, store.Statuses()); err != nil {
					return &exitError{code: 2, err: err}
				}
			}
			if fl.typ != "" {
				typ, err := knownCodes("type", []string{fl.typ}, []string{store.SubjectFinding, store.SubjectIncident})
				if err != nil {
					return &exitError{code: 2, err: err}
				}
				fl.typ = typ[0]
			}
			if strings.TrimSpace(fl.reason) == "" {
				return &exitError{code: 2, err: fmt.Errorf("--reason is empty: say why they should be %s", to)}
			}
			seen := review.Seen{Status: fl.from, Revision: fl.revision, HasRevision: c.Flags().Changed("revision")}
			switch {
			case seen.HasRevision && fl.revision < 0:
				return &exitError{code: 2, err: fmt.Errorf("--revision %d: revisions count steps from 0", fl.revision)}
			case seen.HasRevision && (len(subjects) > 1 || fl.filtered()):
				return &exitError{code: 2, err: fmt.Errorf("--revision is one subject's: give --from for several")}
			case fl.from == "" && !seen.HasRevision:
				name := "SUBJECT"
				if len(subjects) == 1 {
					name = subjects[0].String()
				}
				return &exitError{code: 2, err: fmt.Errorf("say what you decided on: --from STATUS and/or --revision N, as 'truce review show %s' prints them", name)}
			}
			return a.runReviewSet(c, subjects, to, fl, seen)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.reason, "reason", "", "why, recorded with each step (required)")
	f.StringVar(&fl.from, "from", "", "the `STATUS` you saw: a step applies only if its subject still has it")
	f.IntVar(&fl.revision, "revision", 0, "the review revision `N` you saw (one subject): the step applies only if it is still at it")
	f.BoolVar(&fl.yes, "yes", false, "confirm even though the confirmation releases a party under its agreement's release rule")
	f.BoolVar(&fl.needsReview, "needs-review", false, "select the subjects flagged for review (at --from)")
	f.StringVar(&fl.agreement, "agreement", "", "select the findings of agreement `ID` (at --from)")
	f.StringVar(&fl.typ, "type", "", "select only `finding` or incident subjects (at --from)")
	_ = c.MarkFlagRequired("reason")
	return c
}

func (a *invocation) runReviewSet(c *cobra.Command, subjects []store.Subject, to string, fl reviewSetFlags, seen review.Seen) error {
	ctx := c.Context()
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.requireUser(ctx, st, auth.Review)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	if fl.filtered() {
		if subjects, err = selectSubjects(ctx, st, fl); err != nil {
			return err
		}
		if len(subjects) == 0 {
			return fmt.Errorf("no subject at %s matches the filter: nothing to set", fl.from)
		}
	}
	svc := review.NewService(st)
	out := report.TermWriter(c.OutOrStdout())
	var failed []string
	for _, subj := range subjects {
		if err := setOne(ctx, out, svc, u.Name, subj, to, fl, seen); err != nil {
			if len(subjects) == 1 {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "truce: %v\n", err)
			failed = append(failed, subj.String())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d steps not taken: %s", len(failed), len(subjects), strings.Join(failed, ", "))
	}
	if len(subjects) > 1 {
		fmt.Fprintf(out, "%d steps taken\n", len(subjects))
	}
	return nil
}

// setOne takes one step, its own transaction and audit entry.
func setOne(ctx context.Context, out io.Writer, svc *review.Service, by string, subj store.Subject, to string, fl reviewSetFlags, seen review.Seen) error {
	var releases []review.Release
	if fl.yes && to == store.StatusConfirmed {
		// What the confirmation starts, to say so once it is made.
		var err error
		if releases, err = svc.Releases(ctx, subj); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	t, err := svc.Transition(ctx, by, subj, to, fl.reason, seen, fl.yes)
	var rel *review.ReleaseError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errSubjectNotFound(subj)
	case errors.Is(err, review.ErrNeedsEvidence):
		return fmt.Errorf("%w (truce evidence add %s --url URL | --file FILE ...)", err, subj)
	case errors.As(err, &rel):
		return fmt.Errorf("%w: add --yes if that is what you decided", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "%s: %s -> %s by %s at %s (audit entry %d)\n", subj, t.From, t.To, t.By, t.At.Format(time.RFC3339), t.AuditSeq)
	if t.From != store.StatusConfirmed {
		for _, r := range releases {
			fmt.Fprintf(out, "  releases: %s\n", r)
		}
	}
	return nil
}

// selectSubjects are the subjects the filter of fl selects, at --from.
func selectSubjects(ctx context.Context, st store.Store, fl reviewSetFlags) ([]store.Subject, error) {
	var out []store.Subject
	at := func(status string) bool { return fl.from == "" || status == fl.from }
	if fl.typ != store.SubjectIncident {
		err := st.ScanFindings(ctx, store.FindingFilter{AgreementID: fl.agreement, NeedsReview: fl.needsReview, IncludeWithdrawn: true},
			func(f *store.FindingRecord) error {
				if at(f.Status) {
					out = append(out, store.Subject{Type: store.SubjectFinding, ID: f.ID})
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("select findings: %w", err)
		}
	}
	if fl.typ != store.SubjectFinding && fl.agreement == "" {
		incs, err := st.ListIncidents(ctx, store.IncidentFilter{NeedsReview: fl.needsReview})
		if err != nil {
			return nil, fmt.Errorf("select incidents: %w", err)
		}
		for i := range incs {
			if at(incs[i].Status) {
				out = append(out, store.Subject{Type: store.SubjectIncident, ID: incs[i].ID})
			}
		}
	}
	return out, nil
}
