package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/vocab"
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
		Use:   "findings [--agreement ID [--version N]] [--reading PARTY] [--accused PARTY] [--verdict V,...] [--needs-review] [--withdrawn] [--output FORMAT]",
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
	f.StringSliceVar(&fl.verdicts, "verdict", nil, "only these verdicts: "+words(vocab.Verdicts()))
	f.StringVar(&fl.accused, "accused", "", "only findings against party `PARTY`")
	f.BoolVar(&fl.needsReview, "needs-review", false, "only findings flagged for review")
	f.BoolVar(&fl.withdrawn, "withdrawn", false, "also list withdrawn findings")
	outputFlag(c, &fl.output, report.Outputs)
	return c
}

func (a *invocation) runFindings(c *cobra.Command, fl findingsFlags) error {
	ctx := c.Context()
	if _, err := knownCodes("verdict", fl.verdicts, vocab.Verdicts()); err != nil {
		return err
	}
	if fl.version != 0 && fl.agreement == "" {
		return &exitError{code: 2, err: fmt.Errorf("--version needs --agreement ID")}
	}
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	q := app.FindingQuery{
		Agreement: fl.agreement, Version: fl.version, Reading: fl.reading, Verdicts: fl.verdicts,
		Accused: fl.accused, NeedsReview: fl.needsReview, Withdrawn: fl.withdrawn,
	}
	return printFindings(c, ap, q, fl.output)
}

// printFindings prints what q selects as output, with the tally and each
// agreement's standing releases on stderr: the findings command's output,
// which the demo prints too.
func printFindings(c *cobra.Command, ap *app.App, q app.FindingQuery, output string) error {
	ctx := c.Context()
	out, err := report.NewFindingWriter(c.OutOrStdout(), output)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	var tally findingsTally
	err = ap.Findings(ctx, q, func(f *app.Finding) error {
		tally.add(f)
		return out.Write(f)
	})
	if err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintln(c.ErrOrStderr(), tally)
	// Each agreement's standing releases: which confirmed finding released
	// whom since when.
	rels, err := ap.Releases(ctx, q.Agreement)
	if err != nil {
		return err
	}
	for _, r := range rels {
		fmt.Fprintf(c.ErrOrStderr(), "released: %s\n", r)
	}
	return nil
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
