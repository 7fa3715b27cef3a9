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
	statuses    []string
	records     recordFlags
}

func (a *invocation) findingsCommand() *cobra.Command {
	var fl findingsFlags
	c := &cobra.Command{
		Use: "findings [--agreement ID [--version N]] [--reading PARTY] [--accused PARTY] [--verdict V,...] [--status S,...] [--needs-review] [--withdrawn]" +
			" [--from T] [--to T] [--source S] [--kind K] [--category C] [--country CC] [--admin1 CODE] [--text WORDS] [--output FORMAT]",
		Short: "List the findings 'truce evaluate' stored",
		Long: `List stored findings in the order of the time of their events and claims,
each with its explanation, the record as it is now stored, and its review
state (status, and whether it needs review because its record changed or
evaluation changed it).

By default the findings of the latest evaluated version of every agreement
are listed; --agreement ID --version N lists those of an older version,
which are kept when a new one is evaluated. Withdrawn findings (their record
no longer gives them) are left out unless --withdrawn.

--from, --to, --source, --kind, --category, --country, --admin1 and --text
narrow the list by the finding's record, as the API's records list does:
its start (--from 2025-03-18 or an RFC 3339 time, up to but not including
--to), source, kind or category and the narrower ones (--kind strike
lists strike.drone), country (ISO 3166-1) or admin-1 (ISO 3166-2, UA-14):
an event's, or any of a claim's places; words its text holds, in any case.

A filter that names nothing (an agreement not stored, a reading or accused
party that is not one of the agreement's parties, an unknown verdict,
status, kind or category, a country or admin-1 that is no ISO code) is
an error listing what there is, not an empty list; party ids, verdicts and
codes match in any case (--reading ua).

Output: table (for people), json (JSON Lines, one finding a line), csv, or
geojson, as for 'truce check'; the store adds the finding's id, status and
review flag.

After the list (on stderr, with the tally), each agreement's standing
releases: which confirmed finding put which party in violation since when,
and whom that releases under the agreement's release rule.`,
		Example: `  truce findings
  truce findings --agreement energy-moratorium-2025 --reading UA --verdict candidate,ambiguous
  truce findings --needs-review --output json
  truce findings --status alleged,corroborated --admin1 UA-14 --from 2025-03-18 --to 2025-04-18`,
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
	f.StringSliceVar(&fl.statuses, "status", nil, "only these review statuses: "+words(vocab.Statuses()))
	fl.records.add(f, "findings of records", true)
	outputFlag(c, &fl.output, report.Outputs)
	return c
}

func (a *invocation) runFindings(c *cobra.Command, fl findingsFlags) error {
	ctx := c.Context()
	if _, err := knownCodes("verdict", fl.verdicts, vocab.Verdicts()); err != nil {
		return err
	}
	if _, err := knownCodes("status", fl.statuses, vocab.Statuses()); err != nil {
		return err
	}
	from, to, err := fl.records.times()
	if err != nil {
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
		Accused: fl.accused, NeedsReview: fl.needsReview, Withdrawn: fl.withdrawn, Statuses: fl.statuses,
		From: from, To: to, Source: fl.records.source, Kind: fl.records.kind, Category: fl.records.category,
		Country: fl.records.country, Admin1: fl.records.admin1, Text: fl.records.text,
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
