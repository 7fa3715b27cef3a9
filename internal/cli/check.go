package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
)

type checkFlags struct {
	agreements []string
	reading    string
	format     string
	mapping    string
	output     string
	nearMisses bool
	maxErrors  int
	input      inputFlags
}

func (a *invocation) checkCommand() *cobra.Command {
	var fl checkFlags
	c := &cobra.Command{
		Use:   "check --agreement FILE --format FORMAT [--mapping FILE] FILE...",
		Short: "Check evidence files against an agreement, without a store",
		Long: `Stream evidence files through an agreement and print the candidate
violations, each with its explanation: which commitment, under which reading,
and for every clause (party, kind, target, place, time) the field and words
that satisfied it. Nothing is stored: this is what you run on a fresh
download.

Verdicts: candidate (every clause holds), ambiguous (every clause holds but
one only possibly: a day-precision event on the boundary day of a window, a
UCDP event whose acting side is unknown), excepted (an exception of the
commitment covers it). With --near-misses, records that fail exactly one
clause are listed too, with the clause that left them out.

Readings: by default every party's reading is evaluated and each finding
names its reading; --reading PARTY evaluates one.

Output: table (for people), json (JSON Lines, one finding a line), csv, or
geojson (a FeatureCollection; findings without coordinates have a null
geometry).`,
		Example: `  truce check --agreement examples/agreements/energy-moratorium-2025.yaml \
      --format strikes ../shared/data/missile-attacks-ukraine/missile_attacks_daily.csv
  truce check --agreement moratorium.yaml --reading UA --format acled --output json acled.csv
  truce check --agreement moratorium.yaml --format claims --mapping examples/mappings/mod-russia-telegram.yaml posts.csv`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error { return a.runCheck(c, fl, files) },
	}
	f := c.Flags()
	f.StringSliceVar(&fl.agreements, "agreement", nil, "agreement `FILE` to check against (repeatable; required)")
	f.StringVar(&fl.reading, "reading", "", "evaluate only party `PARTY`'s reading (default: every reading)")
	f.StringVar(&fl.format, "format", "", "input format: "+strings.Join(pipeline.Names(), ", ")+" (required)")
	f.StringVar(&fl.mapping, "mapping", "", "column mapping `FILE` for the claims and csv formats")
	outputFlag(c, &fl.output, report.Outputs)
	f.BoolVar(&fl.nearMisses, "near-misses", false, "also list records excluded by exactly one clause, and why")
	f.IntVar(&fl.maxErrors, "max-errors", 20, "print at most `N` bad rows per file (all are counted)")
	addInputFlags(f, &fl.input)
	c.MarkFlagRequired("agreement")
	c.MarkFlagRequired("format")
	return c
}

func (a *invocation) runCheck(c *cobra.Command, fl checkFlags, files []string) error {
	format, err := pipeline.Lookup(fl.format)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	m, err := loadMapping(c, format, fl.mapping)
	if err != nil {
		return err
	}
	var ags []*agreement.Agreement
	for _, path := range fl.agreements {
		ag, err := loadAgreement(c, path)
		if err != nil {
			return err
		}
		ags = append(ags, ag)
	}
	checker, err := app.NewChecker(app.CheckRequest{Agreements: ags, Reading: fl.reading, Format: format, Mapping: m, MappingFile: fl.mapping,
		NearMisses: fl.nearMisses, Encoding: fl.input.encoding, DateLayout: fl.input.dateLayout, Limits: fl.input.limits})
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	out, err := report.NewFindingWriter(c.OutOrStdout(), fl.output)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	stderr := c.ErrOrStderr()
	tally := checker.Check(c.Context(), files, c.InOrStdin(), app.CheckEvents{
		Finding: out.Write,
		BadRow: func(re *ingest.RowError, n int) {
			if n <= fl.maxErrors {
				fmt.Fprintln(stderr, re)
			}
		},
		FileFailed: func(name string, err error) { fmt.Fprintln(stderr, withName(name, err)) },
		FileDone: func(name string, bad int) {
			if bad > fl.maxErrors {
				fmt.Fprintf(stderr, "%s: %d more bad rows not shown\n", name, bad-fl.maxErrors)
			}
		},
	})
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stderr, tallyLine(tally))
	for _, g := range tally.Ambiguous {
		fmt.Fprintf(stderr, "%s: %d ambiguous: %s\n", g.File, g.Count, g.Reason)
	}
	if tally.Failed > 0 {
		return errProblemsFound
	}
	return nil
}

// tallyLine is what a check read and found, in a line.
func tallyLine(t app.CheckTally) string {
	var parts []string
	for _, v := range []match.Verdict{match.VerdictCandidate, match.VerdictAmbiguous, match.VerdictExcepted, match.VerdictNearMiss} {
		if n := t.ByVerdict[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	findings := "no findings"
	if len(parts) > 0 {
		findings = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%d records read, %d bad rows: %s", t.Records, t.Bad, findings)
}
