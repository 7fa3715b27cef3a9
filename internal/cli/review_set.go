package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
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
	kind        vocab.Kind // typ, checked
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
of TRUCE_TOKEN, who must be a monitor or an admin; "local" on a database
without users), when, from, to and why.
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
			to, err := knownCode("status", args[len(args)-1], vocab.Statuses())
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			var subjects []vocab.Ref
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
			var from vocab.Status
			if fl.from != "" {
				if from, err = knownCode("--from status", fl.from, vocab.Statuses()); err != nil {
					return &exitError{code: 2, err: err}
				}
			}
			if fl.typ != "" {
				if fl.kind, err = knownCode("type", fl.typ, []vocab.Kind{vocab.KindFinding, vocab.KindIncident}); err != nil {
					return &exitError{code: 2, err: err}
				}
			}
			if strings.TrimSpace(fl.reason) == "" {
				return &exitError{code: 2, err: fmt.Errorf("--reason is empty: say why they should be %s", to)}
			}
			seen := review.Seen{Status: from, Revision: fl.revision, HasRevision: c.Flags().Changed("revision")}
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

func (a *invocation) runReviewSet(c *cobra.Command, subjects []vocab.Ref, to vocab.Status, fl reviewSetFlags, seen review.Seen) error {
	ctx := c.Context()
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	var sel *app.SubjectSelection
	if fl.filtered() {
		sel = &app.SubjectSelection{NeedsReview: fl.needsReview, AgreementID: fl.agreement, Type: fl.kind}
	}
	results, err := ap.TransitionAll(ctx, subjects, sel, app.Step{To: to, Reason: fl.reason, Seen: seen, AcceptRelease: fl.yes})
	if err != nil {
		return err
	}
	out := report.TermWriter(c.OutOrStdout())
	var failed []string
	for _, r := range results {
		if r.Err != nil {
			err := stepAdvice(r.Subject, r.Err)
			if len(results) == 1 {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "truce: %s\n", explain(err))
			failed = append(failed, r.Subject.String())
			continue
		}
		t := r.Transition
		fmt.Fprintf(out, "%s: %s -> %s by %s at %s (audit entry %d)\n", r.Subject, t.From, t.To, t.By, t.At.Format(time.RFC3339), t.AuditSeq)
		for _, rel := range r.Releases {
			fmt.Fprintf(out, "  releases: %s\n", rel)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d steps not taken: %s", len(failed), len(results), strings.Join(failed, ", "))
	}
	if len(results) > 1 {
		fmt.Fprintf(out, "%d steps taken\n", len(results))
	}
	return nil
}

// stepAdvice adds to a refused step what the user can do about it.
func stepAdvice(subj vocab.Ref, err error) error {
	var rel *review.ReleaseError
	switch {
	case errors.Is(err, review.ErrNeedsEvidence):
		return fmt.Errorf("%w (truce evidence add %s --url URL | --file FILE ...)", err, subj)
	case errors.As(err, &rel):
		return fmt.Errorf("%w: add --yes if that is what you decided", err)
	}
	return err
}
