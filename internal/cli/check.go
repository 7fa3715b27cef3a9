package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
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
	f.StringVar(&fl.output, "output", "table", "output: "+strings.Join(report.Outputs, ", "))
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
	format = format.WithMapping(m)
	var ags []*agreement.Agreement
	for _, path := range fl.agreements {
		ag, err := loadAgreement(c, path)
		if err != nil {
			return err
		}
		ags = append(ags, ag)
	}
	gaz := geo.Builtin()
	matcher, err := app.NewMatcher(gaz, fl.reading, fl.nearMisses, ags...)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	out, err := report.NewFindingWriter(c.OutOrStdout(), fl.output)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	enr := pipeline.NewEnricherBuilding(classify.New, gaz, pipeline.NewParties(ags...))
	if m != nil {
		if enr, err = enr.WithAllegations(m.Allegations); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %w", fl.mapping, err)}
		}
	}

	var tally checkTally
	failed := false
	for _, name := range files {
		ins, err := pipeline.Open(c.Context(), name, c.InOrStdin(), fl.input.limits)
		if err != nil {
			failed = true
			fmt.Fprintln(c.ErrOrStderr(), withName(name, err))
			continue
		}
		for _, in := range ins {
			err = checkFile(c, in, format, m, enr, matcher, out, fl, &tally)
			in.Close()
			if err != nil {
				failed = true
				fmt.Fprintln(c.ErrOrStderr(), withName(in.Name, err))
			}
		}
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintln(c.ErrOrStderr(), tally)
	for _, r := range tally.reasons() {
		fmt.Fprintln(c.ErrOrStderr(), r)
	}
	if failed {
		return errProblemsFound
	}
	return nil
}

type checkTally struct {
	records, bad int
	byVerdict    map[match.Verdict]int
	// ambiguous counts each file's ambiguous findings by why they are
	// ambiguous: 194 identical "target unknown" rows read best as one line.
	files     []string
	ambiguous map[string]map[string]int
}

// noteAmbiguous counts an ambiguous result of file under its reason.
func (t *checkTally) noteAmbiguous(file string, r *match.Result) {
	if t.ambiguous == nil {
		t.ambiguous = map[string]map[string]int{}
	}
	m := t.ambiguous[file]
	if m == nil {
		m = map[string]int{}
		t.ambiguous[file] = m
		t.files = append(t.files, file)
	}
	m[ambiguousReason(r)]++
}

// ambiguousReason says in general words why a result is ambiguous: the
// clause that holds only possibly, without the record's own values.
func ambiguousReason(r *match.Result) string {
	for _, c := range r.Checks {
		if !c.Unsure {
			continue
		}
		switch {
		case strings.HasPrefix(c.Detail, "target unknown: "):
			why, _, _ := strings.Cut(c.Detail, " (field")
			return why
		case c.Clause == match.ClauseTime:
			return "time: a record of day precision on a boundary day of the window"
		case c.Clause == match.ClauseParty:
			return "party: who acted is unknown"
		case c.Clause == match.ClausePlace:
			return "place: the record's place may lie outside the area"
		}
		return string(c.Clause) + ": holds only possibly"
	}
	return "an exception may apply"
}

// reasons lists, for each file, its ambiguous findings grouped by reason,
// the largest group first.
func (t checkTally) reasons() []string {
	var out []string
	for _, f := range t.files {
		m := t.ambiguous[f]
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if m[keys[i]] != m[keys[j]] {
				return m[keys[i]] > m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			out = append(out, fmt.Sprintf("%s: %d ambiguous: %s", f, m[k], k))
		}
	}
	return out
}

func (t checkTally) String() string {
	var parts []string
	for _, v := range []match.Verdict{match.VerdictCandidate, match.VerdictAmbiguous, match.VerdictExcepted, match.VerdictNearMiss} {
		if n := t.byVerdict[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	findings := "no findings"
	if len(parts) > 0 {
		findings = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%d records read, %d bad rows: %s", t.records, t.bad, findings)
}

func checkFile(c *cobra.Command, in *pipeline.Input, format pipeline.Format, m *mapped.Mapping, enr *pipeline.Enricher,
	matcher *match.Matcher, out report.FindingWriter, fl checkFlags, tally *checkTally) error {
	if tally.byVerdict == nil {
		tally.byVerdict = map[match.Verdict]int{}
	}
	order, err := ingest.ParseOrder(fl.input.dateLayout)
	if err != nil {
		return err
	}
	chk := pipeline.Check{Format: format, Mapping: m, Enricher: enr, Matcher: matcher,
		Encoding: fl.input.encoding, DateOrder: order, Limits: fl.input.limits}
	bad := 0
	records, err := chk.Run(c.Context(), in, in.Name, func(it *pipeline.Item) error {
		if it.Bad != nil {
			bad++
			tally.bad++
			if bad <= fl.maxErrors {
				fmt.Fprintln(c.ErrOrStderr(), it.Bad)
			}
			return nil
		}
		f := report.Finding{File: in.Name, Line: it.Line}
		if it.Event != nil {
			f.SetEvent(it.Event)
		} else {
			f.SetClaim(it.Claim)
		}
		for i := range it.Results {
			f.Result = it.Results[i]
			tally.byVerdict[f.Verdict]++
			if f.Verdict == match.VerdictAmbiguous {
				tally.noteAmbiguous(in.Name, &f.Result)
			}
			if err := out.Write(&f); err != nil {
				return err
			}
		}
		return nil
	})
	tally.records += records
	if err != nil {
		return err
	}
	if bad > fl.maxErrors {
		fmt.Fprintf(c.ErrOrStderr(), "%s: %d more bad rows not shown\n", in.Name, bad-fl.maxErrors)
	}
	return nil
}
