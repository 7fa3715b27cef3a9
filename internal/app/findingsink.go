package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// setsPerWrite is how many records' findings go to the store in one
// transaction: few enough to keep the transaction short, enough that
// committing costs little.
const setsPerWrite = 500

// setRef names a pending set: an evaluation (by index) and a record.
type setRef struct {
	eval   int
	record vocab.Ref
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
func (w *findingSink) add(ctx context.Context, rec vocab.Ref, version int, hash string, at time.Time, results []match.Result) error {
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
func (w *findingSink) set(i int, rec vocab.Ref) *store.FindingSet {
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

// Explanation is how a finding's checks and notes are stored: what a
// finding's explanation reads back as.
type Explanation struct {
	Checks []match.Check `json:"checks"`
	Notes  []string      `json:"notes,omitempty"`
}

// findingResult is r as the store keeps it.
func findingResult(r *match.Result) (store.FindingResult, error) {
	expl, err := json.Marshal(Explanation{Checks: r.Checks, Notes: r.Notes})
	if err != nil {
		return store.FindingResult{}, fmt.Errorf("explanation of %s/%s: %w", r.CommitmentID, r.Reading, err)
	}
	return store.FindingResult{
		CommitmentID: r.CommitmentID, Reading: r.Reading, Accused: r.Accused, Part: r.Part,
		Verdict: r.Verdict, Claimant: r.Claimant, FailedClause: string(r.Failed),
		Category: r.Category, TimePosition: string(r.Time), Exception: r.Exception,
		Explanation: expl, ExplanationText: r.Explanation(),
	}, nil
}
