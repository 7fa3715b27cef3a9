package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/vocab"
)

func (a *invocation) reviewCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "review",
		Short: "Move findings and incidents through the review, and read their history",
		Long: `Review findings and incidents: every one starts alleged and a monitor moves
it, step by step, to a verdict:

  alleged       -> corroborated, refuted, inconclusive, not_attributable
  corroborated  -> confirmed, refuted, inconclusive, not_attributable, alleged
  a verdict     -> alleged or corroborated (reopened)

The rules:
  - every step needs a reason (--reason), recorded with who and when;
  - confirming needs a second reviewer: not the one who last moved it to
    corroborated;
  - refuting needs at least one piece of evidence ('truce evidence add');
  - a finding or incident resting only on machine-coded sources (GDELT)
    stays alleged (or gets a verdict other than confirmed) until evidence
    is added: such sources are leads only;
  - when an event or claim behind a finding changes upstream, the finding
    is flagged for review: 'review show' lists what changed, and setting it
    to a status (its current one included) clears the flag.

A subject is published when it has a verdict (confirmed, refuted,
inconclusive, not_attributable) and is not flagged for review; viewers see
only published subjects. Commands act as the user whose API token is in
TRUCE_TOKEN (see 'truce user'); on a database without users, no token is
needed and steps are recorded as "local". Subjects are written finding/ID
or incident/ID, with the ids 'truce findings' and 'truce incident list'
show.`,
		Example: `  truce review list --status alleged --needs-review
  truce review show finding/12
  truce review set finding/12 corroborated --from alleged --reason "BBC and Suspilne report it, video geolocated"
  truce review set finding/12 confirmed --from corroborated --reason "checked the geolocation"   # by another monitor`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.reviewListCommand(), a.reviewShowCommand(), a.reviewSetCommand())
	return c
}

// reviewSubject reads a SUBJECT argument; a malformed one is a usage error.
func reviewSubject(arg string) (vocab.Ref, error) {
	subj, err := vocab.ParseSubject(arg)
	if err != nil {
		return vocab.Ref{}, &exitError{code: 2, err: err}
	}
	return subj, nil
}

type reviewListFlags struct {
	typ         string
	statuses    []string
	needsReview bool
	output      string
}

func (a *invocation) reviewListCommand() *cobra.Command {
	var fl reviewListFlags
	c := &cobra.Command{
		Use:   "list [--type finding|incident] [--status S]... [--needs-review] [--output table|json]",
		Short: "List findings and incidents with their review status",
		Long: `List findings (of the latest evaluated version of each agreement, withdrawn
ones included, since their reviews stand) and incidents, in time order,
with their review status and whether they are flagged for review.

A viewer sees only published subjects: those with a verdict and not
flagged for review. Output: table (for people) or json (JSON Lines). An
unknown type or status is an error listing the known ones; they match in
any case.`,
		Example: `  truce review list
  truce review list --type finding --status alleged --status corroborated
  truce review list --needs-review --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runReviewList(c, fl) },
	}
	f := c.Flags()
	f.StringVar(&fl.typ, "type", "", "only `finding` or incident subjects (default: both)")
	f.StringSliceVar(&fl.statuses, "status", nil, "only these statuses (repeat or comma-separate): "+words(vocab.Statuses()))
	f.BoolVar(&fl.needsReview, "needs-review", false, "only subjects flagged for review")
	outputFlag(c, &fl.output, []string{outTable, outJSON})
	return c
}

func (a *invocation) runReviewList(c *cobra.Command, fl reviewListFlags) error {
	ctx := c.Context()
	var kind vocab.Kind
	if fl.typ != "" {
		var err error
		if kind, err = knownCode("type", fl.typ, []vocab.Kind{vocab.KindFinding, vocab.KindIncident}); err != nil {
			return &exitError{code: 2, err: err}
		}
	}
	statuses, err := knownCodes("status", fl.statuses, vocab.Statuses())
	if err != nil {
		return err
	}
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	q, err := ap.ReviewQueue(ctx, app.ReviewFilter{Type: kind, Statuses: statuses, NeedsReview: fl.needsReview})
	if err != nil {
		return err
	}
	if err := writeReviewItems(c.OutOrStdout(), q.Items, fl.output); err != nil {
		return err
	}
	note := ""
	if q.PublishedOnly {
		note = " (published only: your role is " + string(q.Role) + ")"
	}
	fmt.Fprintf(c.ErrOrStderr(), "%d subjects, %d flagged for review%s\n", len(q.Items), q.Flagged, note)
	return nil
}

func writeReviewItems(w io.Writer, items []app.ReviewItem, output string) error {
	if output == outJSON {
		return writeJSONLines(w, items)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tSTATUS\tFLAG\tTIME\tSUMMARY")
	for _, it := range items {
		var flags []string
		if it.NeedsReview {
			flags = append(flags, "needs review")
		}
		if it.Withdrawn {
			flags = append(flags, "withdrawn")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Subject, it.Status, orDash(strings.Join(flags, ", "), "-"), it.Time.Format(time.DateOnly), report.Term(it.Summary))
	}
	return tw.Flush()
}

func (a *invocation) reviewShowCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "show SUBJECT [--output text|json]",
		Short: "Show a finding's or an incident's review: status, history, evidence, records",
		Long: `Show one finding or incident: its review status, every step taken (who,
when, from, to, why), its evidence (superseded items marked), and what it is
about: for a finding, the agreement clause, the explanation and the event or
claim; for an incident, its grade and members.

When the event or claim behind a finding got a new version upstream since
it was last judged (by the last review step, or by evaluation if never
reviewed), the version judged and the current one are shown side by side,
field by field, and a deletion upstream is called out.

A viewer can show only published subjects; any other is "not found".`,
		Example: `  truce review show finding/12
  truce review show incident/3 --output json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			return a.runReviewShow(c, subj, output)
		},
	}
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func (a *invocation) runReviewShow(c *cobra.Command, subj vocab.Ref, output string) error {
	ctx := c.Context()
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	page, err := ap.ReviewPage(ctx, subj)
	if err != nil {
		return err
	}
	if output == outJSON {
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(page)
	}
	return printReview(report.TermWriter(c.OutOrStdout()), page)
}
