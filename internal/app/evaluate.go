package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

// EvaluateRequest says what to evaluate.
type EvaluateRequest struct {
	// Agreements are the ids of the agreements to evaluate, the latest
	// version of each; none: every stored agreement.
	Agreements []string
	// NearMisses also stores records excluded by exactly one clause.
	NearMisses bool
	// Full evaluates every record, not only those changed since the last
	// evaluation.
	Full bool
	// YAML are the limits the stored agreements are read again within.
	YAML strictyaml.Limits
}

// Evaluation is the view of the evaluation of one agreement version: the
// records read, the findings they gave by verdict, what changed in the
// store and the time taken. Versions evaluated in one scan share its
// records and seconds.
type Evaluation struct {
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

// evaluation is the run of one agreement version: its view and what the
// run needs.
type evaluation struct {
	*Evaluation
	ag *agreement.Agreement
	// violations are the agreement's confirmed violations, for its release
	// rule (none without one), and violationsKey their digest.
	violations    []review.ConfirmedViolation
	violationsKey string
	// had holds the records with standing findings: re-evaluated, they are
	// written even when they give nothing, so those findings are withdrawn.
	had map[vocab.Ref]bool
}

// EvaluateResult is what an evaluation run did.
type EvaluateResult struct {
	// Evaluations has one entry per agreement version evaluated.
	Evaluations []*Evaluation
	// Records is how many records the run read, in Seconds.
	Records   int
	Seconds   float64
	PerSecond float64
	// To is the import batch everything is now evaluated up to.
	To int64
}

// Evaluate matches the evidence in the store against the latest version of
// the agreements asked for, under every party's reading, and stores the
// findings. It is incremental: each agreement version remembers the import
// batch up to which it is evaluated and reads only the records a later
// batch wrote, unless Full, a change of NearMisses or of the confirmed
// violations (for a release rule) makes it read everything. Evaluating
// changes the store: the caller needs the right to import, and each
// version evaluated is audited.
func (a *App) Evaluate(ctx context.Context, req EvaluateRequest) (EvaluateResult, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return EvaluateResult{}, fmt.Errorf("evaluate: %w", err)
	}
	evals, err := a.evaluations(ctx, req)
	if err != nil {
		return EvaluateResult{}, err
	}
	// Read before any record is: whatever commits later has a larger batch
	// id, and is left for the next run.
	to, err := a.st.LatestBatch(ctx)
	if err != nil {
		return EvaluateResult{}, err
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
	if err := a.setStates(ctx, upToDate, req.NearMisses, who.Name); err != nil {
		return EvaluateResult{}, err
	}
	gaz := geo.Builtin()
	start := time.Now()
	records := 0
	for _, from := range slices.Sorted(maps.Keys(groups)) {
		n, err := a.evaluateGroup(ctx, gaz, from, groups[from], req.NearMisses)
		if err != nil {
			return EvaluateResult{}, err
		}
		records += n
		// Each group's progress is kept as soon as its findings are
		// written: a failure later does not make it start again.
		if err := a.setStates(ctx, groups[from], req.NearMisses, who.Name); err != nil {
			return EvaluateResult{}, err
		}
	}
	secs := time.Since(start).Seconds()
	views := make([]*Evaluation, len(evals))
	for i, ev := range evals {
		views[i] = ev.Evaluation
	}
	return EvaluateResult{Evaluations: views, Records: records, Seconds: secs, PerSecond: perSecond(records, secs), To: to}, nil
}

// NewMatcher compiles agreements for matching, with region names resolved
// through gaz so that they match events the gazetteer resolved at ingest.
// An empty reading evaluates every reading.
func NewMatcher(gaz *geo.Gazetteer, reading string, nearMisses bool, ags ...*agreement.Agreement) (*match.Matcher, error) {
	m, err := match.NewWith(match.Options{
		Reading:      reading,
		NoNearMisses: !nearMisses,
		ResolveAdmin1: func(name string) (string, bool) {
			u, ok := gaz.Resolve(name)
			return u.ID, ok
		},
	}, ags...)
	return m, withKind(KindInvalid, err)
}

// evaluationAudit is the detail of an evaluation's audit entry.
type evaluationAudit struct {
	From      int64               `json:"from_batch"`
	Why       string              `json:"full_because,omitempty"`
	To        int64               `json:"to_batch"`
	Records   int                 `json:"records"`
	ByVerdict map[string]int      `json:"findings"`
	Store     store.FindingCounts `json:"store"`
}

// setStates records that evals are evaluated up to their To batch, and
// audits each evaluation as done by by.
func (a *App) setStates(ctx context.Context, evals []*evaluation, nearMisses bool, by string) error {
	for _, ev := range evals {
		err := a.st.SetEvaluationState(ctx, store.EvaluationState{
			AgreementID: ev.Agreement, AgreementVersion: ev.Version, LastBatch: ev.To, NearMisses: nearMisses,
			Violations: ev.violationsKey})
		if err != nil {
			return err
		}
		// A finding under a new version names the one it supersedes, so a
		// reviewer sees its history across versions.
		if ev.Version > 1 {
			if _, err := a.st.LinkSupersededFindings(ctx, ev.Agreement, ev.Version); err != nil {
				return err
			}
		}
		detail, err := json.Marshal(evaluationAudit{From: ev.From, Why: ev.Why, To: ev.To, Records: ev.Records, ByVerdict: ev.ByVerdict, Store: ev.Store})
		if err != nil {
			return err
		}
		_, err = a.st.AppendAudit(ctx, store.AuditEntry{Actor: by, Action: "evaluate",
			Subject: "agreement/" + ev.Agreement + "@" + strconv.Itoa(ev.Version), Detail: detail})
		if err != nil {
			return fmt.Errorf("audit the evaluation of %s version %d: %w", ev.Agreement, ev.Version, err)
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
func (a *App) evaluations(ctx context.Context, req EvaluateRequest) ([]*evaluation, error) {
	st := a.st
	var versions []store.AgreementVersion
	if len(req.Agreements) == 0 {
		vs, err := st.ListAgreements(ctx)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return nil, withKind(KindNotFound, ErrNoAgreements)
		}
		versions = vs
	}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(req.Agreements))) {
		v, err := st.GetAgreementVersion(ctx, id, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil, notStored(id)
		}
		if err != nil {
			return nil, err
		}
		versions = append(versions, v)
	}
	var evals []*evaluation
	for _, v := range versions {
		ag, err := parseStored(v, req.YAML)
		if err != nil {
			return nil, err
		}
		ev := &evaluation{Evaluation: &Evaluation{Agreement: v.AgreementID, Version: v.Version, ByVerdict: map[string]int{}}, ag: ag}
		if ag.Release != nil && ag.Release.Kind == agreement.ReleaseCounterpartyMayWithdraw {
			if ev.violations, err = st.ConfirmedViolations(ctx, v.AgreementID); err != nil {
				return nil, err
			}
			ev.violationsKey = review.ViolationsKey(ev.violations)
		}
		state, err := st.GetEvaluationState(ctx, v.AgreementID, v.Version)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ev.Why = "first evaluation"
		case err != nil:
			return nil, err
		case req.Full:
			ev.Why = "--full"
		case state.NearMisses != req.NearMisses:
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

// evaluateGroup evaluates the records changed since from against the
// agreement versions of evals, writes their findings and returns how many
// records it read.
func (a *App) evaluateGroup(ctx context.Context, gaz *geo.Gazetteer, from int64, evals []*evaluation, nearMisses bool) (int, error) {
	st := a.st
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
		ev.had = make(map[vocab.Ref]bool, len(refs))
		for _, r := range refs {
			ev.had[r] = true
		}
	}
	matcher, err := NewMatcher(gaz, "", nearMisses, ags...)
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
		return w.add(ctx, vocab.Ref{Kind: vocab.KindEvent, ID: e.ID}, e.Version, e.Hash, e.Time.Start, results)
	})
	if err != nil {
		return 0, err
	}
	err = st.ScanClaims(ctx, filter, func(cl *event.Claim) error {
		records++
		results = matcher.Claim(cl, results[:0])
		return w.add(ctx, vocab.Ref{Kind: vocab.KindClaim, ID: cl.ID}, cl.Version, cl.Hash, cl.Time.Start, results)
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
