package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

type evaluateFlags struct {
	agreements []string
	nearMisses bool
	full       bool
	jsonOut    bool
	yaml       strictyaml.Limits // the stored agreements are re-read within these
}

func (a *invocation) evaluateCommand() *cobra.Command {
	var fl evaluateFlags
	c := &cobra.Command{
		Use:   "evaluate [--agreement ID]... [--near-misses] [--full]",
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
withdrawn findings), and the time taken.`,
		Example: `  truce evaluate
  truce evaluate --agreement energy-moratorium-2025 --near-misses
  truce evaluate --full --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runEvaluate(c, fl) },
	}
	f := c.Flags()
	f.StringSliceVar(&fl.agreements, "agreement", nil, "evaluate only agreement `ID` (repeatable; default: every stored agreement)")
	f.BoolVar(&fl.nearMisses, "near-misses", false, "also store records excluded by exactly one clause, and why")
	f.BoolVar(&fl.full, "full", false, "evaluate every record again, not only those changed since the last evaluation")
	f.BoolVar(&fl.jsonOut, "json", false, "print the summary as JSON")
	return c
}

// newMatcher compiles agreements for matching, with region names resolved
// through gaz so that they match events the gazetteer resolved at ingest.
// An empty reading evaluates every reading.
func newMatcher(gaz *geo.Gazetteer, reading string, nearMisses bool, ags ...*agreement.Agreement) (*match.Matcher, error) {
	return match.NewWith(match.Options{
		Reading:      reading,
		NoNearMisses: !nearMisses,
		ResolveAdmin1: func(name string) (string, bool) {
			u, ok := gaz.Resolve(name)
			return u.ID, ok
		},
	}, ags...)
}

// evaluation is the run of one agreement version, and its summary line.
type evaluation struct {
	ag *agreement.Agreement
	// violations are the agreement's confirmed violations, for its release
	// rule (none without one), and violationsKey their digest.
	violations    []store.ConfirmedViolation
	violationsKey string
	// had holds the records with standing findings: re-evaluated, they are
	// written even when they give nothing, so those findings are withdrawn.
	had map[store.RecordRef]bool

	Agreement string `json:"agreement"`
	Version   int    `json:"version"`
	// From is the import batch evaluation started after, 0 for a full one;
	// Why says why it was full.
	From      int64               `json:"from_batch"`
	Why       string              `json:"full_because,omitempty"`
	To        int64               `json:"to_batch"`
	Records   int                 `json:"records"`
	ByVerdict map[string]int      `json:"findings"`
	Store     store.FindingCounts `json:"store"`
	Seconds   float64             `json:"seconds"`
	PerSecond float64             `json:"records_per_second"`
}

func (a *invocation) runEvaluate(c *cobra.Command, fl evaluateFlags) error {
	ctx := c.Context()
	fl.yaml = yamlLimits(c)
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	evals, err := evaluations(ctx, st, fl)
	if err != nil {
		return err
	}
	// Read before any record is: whatever commits later has a larger batch
	// id, and is left for the next run.
	to, err := st.LatestBatch(ctx)
	if err != nil {
		return err
	}
	// Versions starting from the same batch share one matcher and one scan;
	// those up to date have nothing to read.
	groups := map[int64][]*evaluation{}
	var upToDate []*evaluation
	for _, ev := range evals {
		ev.To = to
		if ev.From >= to {
			ev.From = to
			upToDate = append(upToDate, ev)
			continue
		}
		groups[ev.From] = append(groups[ev.From], ev)
	}
	if err := setStates(ctx, st, upToDate, fl.nearMisses); err != nil {
		return err
	}
	gaz := geo.Builtin()
	start := time.Now()
	records := 0
	for _, from := range slices.Sorted(maps.Keys(groups)) {
		n, err := evaluateGroup(ctx, st, gaz, from, groups[from], fl.nearMisses)
		if err != nil {
			return err
		}
		records += n
		// Each group's progress is kept as soon as its findings are
		// written: a failure later does not make it start again.
		if err := setStates(ctx, st, groups[from], fl.nearMisses); err != nil {
			return err
		}
	}
	secs := time.Since(start).Seconds()
	if fl.jsonOut {
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(evals)
	}
	printEvaluations(c.OutOrStdout(), evals)
	fmt.Fprintf(c.OutOrStdout(), "%d records read in %.2f s (%.0f records/s); evaluated up to import batch %d; list the findings with: truce findings\n",
		records, secs, perSecond(records, secs), to)
	return nil
}

// setStates records that evals are evaluated up to their To batch.
func setStates(ctx context.Context, st store.Store, evals []*evaluation, nearMisses bool) error {
	for _, ev := range evals {
		err := st.SetEvaluationState(ctx, store.EvaluationState{
			AgreementID: ev.Agreement, AgreementVersion: ev.Version, LastBatch: ev.To, NearMisses: nearMisses,
			Violations: ev.violationsKey})
		if err != nil {
			return err
		}
		// A finding under a new version names the one it supersedes, so a
		// reviewer sees its history across versions.
		if ev.Version > 1 {
			if _, err := st.LinkSupersededFindings(ctx, ev.Agreement, ev.Version); err != nil {
				return err
			}
		}
	}
	return nil
}

func perSecond(n int, secs float64) float64 {
	if secs <= 0 {
		return 0
	}
	return float64(n) / secs
}

// evaluations lists the agreement versions to evaluate and where each
// starts from.
func evaluations(ctx context.Context, st store.Store, fl evaluateFlags) ([]*evaluation, error) {
	var versions []store.AgreementVersion
	if len(fl.agreements) == 0 {
		vs, err := st.ListAgreements(ctx)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return nil, errors.New("no agreement in the store: import one first (truce agreement import FILE)")
		}
		versions = vs
	}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(fl.agreements))) {
		v, err := st.GetAgreementVersion(ctx, id, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("agreement %q is not in the store (truce agreement import FILE)", id)
		}
		if err != nil {
			return nil, err
		}
		versions = append(versions, v)
	}
	var evals []*evaluation
	for _, v := range versions {
		ag, err := agreement.ParseWith(v.AgreementID, v.Source, fl.yaml)
		if err != nil {
			return nil, fmt.Errorf("stored agreement %s version %d no longer parses: %w", v.AgreementID, v.Version, err)
		}
		ev := &evaluation{ag: ag, Agreement: v.AgreementID, Version: v.Version, ByVerdict: map[string]int{}}
		if ag.Release != nil && ag.Release.Kind == agreement.ReleaseCounterpartyMayWithdraw {
			if ev.violations, err = st.ConfirmedViolations(ctx, v.AgreementID); err != nil {
				return nil, err
			}
			ev.violationsKey = store.ConfirmedViolationsKey(ev.violations)
		}
		state, err := st.GetEvaluationState(ctx, v.AgreementID, v.Version)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ev.Why = "first evaluation"
		case err != nil:
			return nil, err
		case fl.full:
			ev.Why = "--full"
		case state.NearMisses != fl.nearMisses:
			ev.Why = "--near-misses changed"
		case state.Violations != ev.violationsKey:
			// Every record after a newly confirmed violation may now carry
			// the release note.
			ev.Why = "confirmed violations changed"
		default:
			ev.From = state.LastBatch
		}
		evals = append(evals, ev)
	}
	return evals, nil
}

// setsPerWrite is how many records' findings go to the store in one
// transaction: few enough to keep the transaction short, enough that
// committing costs little.
const setsPerWrite = 500

// evaluateGroup evaluates the records changed since from against the
// agreement versions of evals, writes their findings and returns how many
// records it read.
func evaluateGroup(ctx context.Context, st store.Store, gaz *geo.Gazetteer, from int64, evals []*evaluation, nearMisses bool) (int, error) {
	start := time.Now()
	ags := make([]*agreement.Agreement, len(evals))
	var violations []match.Violation
	for i, ev := range evals {
		ags[i] = ev.ag
		for _, v := range ev.violations {
			violations = append(violations, match.Violation{Party: v.Party, At: v.At, AgreementID: ev.Agreement, FindingID: v.FindingID})
		}
		refs, err := st.FindingRecords(ctx, ev.Agreement, ev.Version)
		if err != nil {
			return 0, err
		}
		ev.had = make(map[store.RecordRef]bool, len(refs))
		for _, r := range refs {
			ev.had[r] = true
		}
	}
	matcher, err := newMatcher(gaz, "", nearMisses, ags...)
	if err != nil {
		return 0, fmt.Errorf("compile agreements: %w", err)
	}
	matcher = matcher.WithViolations(violations...)
	w := &findingSink{st: st, evals: evals, index: map[setRef]int{}}
	// Deleted records too: they give no findings, which withdraws theirs.
	// The order does not matter, so records are read in the cheapest.
	filter := store.EventFilter{ChangedSince: from, IncludeDeleted: true, NoRaw: true, ByID: true}
	var results []match.Result
	records := 0
	err = st.ScanEvents(ctx, filter, func(e *event.Event) error {
		records++
		results = matcher.Event(e, results[:0])
		return w.add(ctx, store.RecordRef{Type: store.RecordEvent, ID: e.ID}, e.Version, e.Hash, e.Time.Start, results)
	})
	if err != nil {
		return 0, err
	}
	err = st.ScanClaims(ctx, filter, func(cl *event.Claim) error {
		records++
		results = matcher.Claim(cl, results[:0])
		return w.add(ctx, store.RecordRef{Type: store.RecordClaim, ID: cl.ID}, cl.Version, cl.Hash, cl.Time.Start, results)
	})
	if err != nil {
		return 0, err
	}
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	secs := time.Since(start).Seconds()
	for _, ev := range evals {
		ev.Records, ev.Seconds, ev.PerSecond = records, secs, perSecond(records, secs)
	}
	return records, nil
}

// setRef names a pending set: an evaluation (by index) and a record.
type setRef struct {
	eval   int
	record store.RecordRef
}

// findingSink gathers the findings of evaluated records and writes them
// setsPerWrite records at a time.
type findingSink struct {
	st      store.Findings
	evals   []*evaluation
	pending []store.FindingSet
	owner   []int          // the evaluation of each pending set
	index   map[setRef]int // the pending set of a record
}

// add takes the results of one record, for every agreement version.
func (w *findingSink) add(ctx context.Context, rec store.RecordRef, version int, hash string, at time.Time, results []match.Result) error {
	// One finding per commitment, reading and accused for a record: the
	// strongest of its allegations.
	results = match.Strongest(results)
	for i, ev := range w.evals {
		var set *store.FindingSet
		for j := range results {
			r := &results[j]
			if r.AgreementID != ev.Agreement || r.Version != ev.Version {
				continue
			}
			if set == nil {
				set = w.set(i, rec)
			}
			fr, err := findingResult(r)
			if err != nil {
				return err
			}
			set.Results = append(set.Results, fr)
			ev.ByVerdict[string(r.Verdict)]++
		}
		if set == nil && ev.had[rec] {
			set = w.set(i, rec) // no findings now: withdraw the stored ones
		}
		if set != nil {
			set.RecordVersion, set.EvidenceHash, set.RecordTime = version, hash, at
		}
	}
	if len(w.pending) >= setsPerWrite {
		return w.flush(ctx)
	}
	return nil
}

// set returns the empty pending set of rec under evaluation i. A record a
// scan meets twice (its time moved while it ran) keeps only its last.
func (w *findingSink) set(i int, rec store.RecordRef) *store.FindingSet {
	k := setRef{i, rec}
	if n, ok := w.index[k]; ok {
		w.pending[n].Results = nil
		return &w.pending[n]
	}
	ev := w.evals[i]
	w.index[k] = len(w.pending)
	w.pending = append(w.pending, store.FindingSet{AgreementID: ev.Agreement, AgreementVersion: ev.Version, Record: rec})
	w.owner = append(w.owner, i)
	return &w.pending[len(w.pending)-1]
}

func (w *findingSink) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	counts, err := w.st.ReplaceFindings(ctx, w.pending)
	if err != nil {
		return err
	}
	for n, c := range counts {
		w.evals[w.owner[n]].Store.Add(c)
	}
	clear(w.pending) // let the explanations go
	w.pending, w.owner = w.pending[:0], w.owner[:0]
	clear(w.index)
	return nil
}

// explanation is how a finding's checks and notes are stored.
type explanation struct {
	Checks []match.Check `json:"checks"`
	Notes  []string      `json:"notes,omitempty"`
}

// findingResult is r as the store keeps it.
func findingResult(r *match.Result) (store.FindingResult, error) {
	expl, err := json.Marshal(explanation{Checks: r.Checks, Notes: r.Notes})
	if err != nil {
		return store.FindingResult{}, fmt.Errorf("explanation of %s/%s: %w", r.CommitmentID, r.Reading, err)
	}
	return store.FindingResult{
		CommitmentID: r.CommitmentID, Reading: r.Reading, Accused: r.Accused, Part: r.Part,
		Verdict: string(r.Verdict), Claimant: r.Claimant, FailedClause: string(r.Failed),
		Category: r.Category, TimePosition: string(r.Time), Exception: r.Exception,
		Explanation: expl, ExplanationText: r.Explanation(),
	}, nil
}

// printEvaluations prints the summary table, a line per agreement version.
// Versions evaluated in one scan share its records and seconds.
func printEvaluations(w io.Writer, evals []*evaluation) {
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
