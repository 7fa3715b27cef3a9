package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/match"
)

type evaluateFlags struct {
	agreements []string
	nearMisses bool
	full       bool
	output     string
}

func (a *invocation) evaluateCommand() *cobra.Command {
	var fl evaluateFlags
	c := &cobra.Command{
		Use:   "evaluate [--agreement ID]... [--near-misses] [--full] [--output table|json]",
		Short: "Match the stored evidence against the stored agreements and keep the findings",
		Long: `Evaluate the events and claims in the store against the latest version of
every stored agreement (or of those named by --agreement), under every
party's reading, and store the findings with their explanations. List them
with 'truce findings'.

Evaluation is incremental. Each agreement version remembers the import batch
up to which it has been evaluated, and the next run reads only the events
and claims whose current version a later batch wrote: new records, records
edited upstream, records deleted upstream. A new agreement version starts
from nothing and evaluates everything; the findings of the version before
stay, under their own version number. --full evaluates everything again, and
so does a change of --near-misses, since that changes what is stored.

A re-evaluated record's findings are replaced as a set. A finding whose
verdict or explanation is unchanged keeps its id and review status; one that
changed is updated and flagged for review; one the record no longer gives
(edited so that it no longer matches, or deleted upstream) is withdrawn: kept,
with its review history, flagged for review, and hidden from 'truce findings'
unless --withdrawn. Any new version of a record flags its findings for review
as soon as it is imported, whatever evaluation later concludes.

Under an agreement with a release rule (release: counterparty_may_withdraw),
the findings against the other parties after a party's earliest confirmed
violation (a finding of a prohibited act by that party, or its incident,
that review confirmed; never a count-only claim: see 'truce review set')
carry a note that they may consider themselves released, from that act's
time, naming the confirmed finding. The findings are kept, never hidden. When review confirms a new violation, the
next evaluation is full, so that every later finding gets its note.

The summary gives, per agreement version: the records read, the findings
those records gave by verdict, what changed in the store (new, changed,
withdrawn findings), and the time taken: a table, or with --output json the
evaluations for programs.

Evaluating changes the store: once it has users, it takes the token
(TRUCE_TOKEN) of an analyst or admin, as ingest does, and each agreement
version evaluated is recorded in the audit log (action evaluate).`,
		Example: `  truce evaluate
  truce evaluate --agreement energy-moratorium-2025 --near-misses
  truce evaluate --full --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runEvaluate(c, fl) },
	}
	f := c.Flags()
	f.StringSliceVar(&fl.agreements, "agreement", nil, "evaluate only agreement `ID` (repeatable; default: every stored agreement)")
	f.BoolVar(&fl.nearMisses, "near-misses", false, "also store records excluded by exactly one clause, and why")
	f.BoolVar(&fl.full, "full", false, "evaluate every record again, not only those changed since the last evaluation")
	outputFlag(c, &fl.output, []string{outTable, outJSON}, outJSON)
	return c
}

// explanation is a stored finding's explanation, as findings and review
// read it back.
type explanation = app.Explanation

func (a *invocation) runEvaluate(c *cobra.Command, fl evaluateFlags) error {
	defer bulkGC(a.env.Getenv)()
	ap, err := a.openApp(c.Context(), false)
	if err != nil {
		return err
	}
	defer ap.Close()
	res, err := ap.Evaluate(c.Context(), app.EvaluateRequest{Agreements: fl.agreements, NearMisses: fl.nearMisses, Full: fl.full, YAML: yamlLimits(c)})
	if err != nil {
		return err
	}
	return printEvaluated(c.OutOrStdout(), res, fl.output == outJSON)
}

// printEvaluated prints what an evaluation did: JSON (the evaluations),
// or a table and a line of totals.
func printEvaluated(w io.Writer, res app.EvaluateResult, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Evaluations)
	}
	printEvaluations(w, res.Evaluations)
	fmt.Fprintf(w, "%d records read in %.2f s (%.0f records/s); evaluated up to import batch %d; list the findings with: truce findings\n",
		res.Records, res.Seconds, res.PerSecond, res.To)
	return nil
}

// printEvaluations prints the summary table, a line per agreement version.
// Versions evaluated in one scan share its records and seconds.
func printEvaluations(w io.Writer, evals []*app.Evaluation) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AGREEMENT\tVERSION\tFROM BATCH\tRECORDS\tCANDIDATE\tAMBIGUOUS\tEXCEPTED\tNEAR MISS\tNEW\tCHANGED\tWITHDRAWN\tSECONDS\tRECORDS/S")
	for _, ev := range evals {
		from := fmt.Sprint(ev.From)
		if ev.Why != "" {
			from = "all (" + ev.Why + ")"
		}
		v := ev.ByVerdict
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.0f\n", ev.Agreement, ev.Version, from, ev.Records,
			v[string(match.VerdictCandidate)], v[string(match.VerdictAmbiguous)], v[string(match.VerdictExcepted)], v[string(match.VerdictNearMiss)],
			ev.Store.New, ev.Store.Changed, ev.Store.Withdrawn, ev.Seconds, ev.PerSecond)
	}
	tw.Flush()
}
