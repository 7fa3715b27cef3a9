package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Overview is the state of the store at a glance, as one caller may see
// it: the findings of the latest evaluated version of each agreement
// counted per reading, verdict, review status and accused party, what
// waits for review, and the last import of each source.
type Overview struct {
	Agreements []AgreementOverview `json:"agreements"`
	// NeedsReview counts the findings and incidents flagged for review.
	NeedsReview int `json:"needs_review"`
	// LastImports is the newest import batch of each source, by source;
	// empty for a caller who sees published items only (import batches
	// are not published).
	LastImports   []ImportBatch `json:"last_imports"`
	PublishedOnly bool          `json:"published_only,omitempty"`
}

// AgreementOverview is one agreement: its latest stored version, and the
// findings of its latest evaluated version (Evaluated: that version, 0
// when there are no findings to see).
type AgreementOverview struct {
	AgreementSummary
	Evaluated int               `json:"evaluated,omitempty"`
	Readings  []ReadingOverview `json:"readings"`
}

// ReadingOverview counts the standing findings of one reading of an
// agreement: in all, by verdict, by review status, and per accused party.
type ReadingOverview struct {
	Reading  string          `json:"reading"`
	Counts                   // all the reading's findings
	Parties  []PartyOverview `json:"parties"`
	Verdicts []vocab.Verdict `json:"verdicts"` // the verdicts counted, in vocabulary order
	Statuses []vocab.Status  `json:"statuses"` // the statuses counted, in vocabulary order
}

// PartyOverview counts the findings against one accused party ("" for
// findings whose actor maps to no party).
type PartyOverview struct {
	Accused string `json:"accused"`
	Counts
}

// Counts are findings counted in all, by verdict and by review status.
type Counts struct {
	Total       int                   `json:"total"`
	ByVerdict   map[vocab.Verdict]int `json:"by_verdict"`
	ByStatus    map[vocab.Status]int  `json:"by_status"`
	NeedsReview int                   `json:"needs_review"`
}

func (c *Counts) add(f *store.FindingRecord) {
	if c.ByVerdict == nil {
		c.ByVerdict, c.ByStatus = map[vocab.Verdict]int{}, map[vocab.Status]int{}
	}
	c.Total++
	c.ByVerdict[f.Verdict]++
	c.ByStatus[f.Status]++
	if f.NeedsReview {
		c.NeedsReview++
	}
}

// Overview counts what the caller may see: a viewer counts published
// findings and incidents only, and sees no import batches.
func (a *App) Overview(ctx context.Context) (*Overview, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	ags, err := a.Agreements(ctx)
	if err != nil {
		return nil, err
	}
	ov := &Overview{Agreements: []AgreementOverview{}, LastImports: []ImportBatch{}, PublishedOnly: !who.SeesUnpublished()}
	type key struct{ agreement, reading, accused string }
	readings := map[key]*ReadingOverview{}
	parties := map[key]*PartyOverview{}
	evaluated := map[string]int{}
	err = a.st.ScanFindings(ctx, store.FindingFilter{}, func(f *store.FindingRecord) error {
		if !who.sees(f.Status, f.NeedsReview) {
			return nil
		}
		evaluated[f.AgreementID] = f.AgreementVersion
		rk := key{f.AgreementID, f.Reading, ""}
		r := readings[rk]
		if r == nil {
			r = &ReadingOverview{Reading: f.Reading}
			readings[rk] = r
		}
		r.add(f)
		pk := key{f.AgreementID, f.Reading, f.Accused}
		p := parties[pk]
		if p == nil {
			p = &PartyOverview{Accused: f.Accused}
			parties[pk] = p
		}
		p.add(f)
		if f.NeedsReview {
			ov.NeedsReview++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ag := range ags {
		ao := AgreementOverview{AgreementSummary: ag, Evaluated: evaluated[ag.ID], Readings: []ReadingOverview{}}
		for k, r := range readings {
			if k.agreement != ag.ID {
				continue
			}
			for pk, p := range parties {
				if pk.agreement == ag.ID && pk.reading == k.reading {
					r.Parties = append(r.Parties, *p)
				}
			}
			slices.SortFunc(r.Parties, func(x, y PartyOverview) int { return cmp.Compare(x.Accused, y.Accused) })
			r.Verdicts = present(vocab.Verdicts(), r.ByVerdict)
			r.Statuses = present(vocab.Statuses(), r.ByStatus)
			ao.Readings = append(ao.Readings, *r)
		}
		slices.SortFunc(ao.Readings, func(x, y ReadingOverview) int { return cmp.Compare(x.Reading, y.Reading) })
		ov.Agreements = append(ov.Agreements, ao)
	}
	incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{NeedsReview: true})
	if err != nil {
		return nil, err
	}
	for i := range incs {
		if who.sees(incs[i].Status, incs[i].NeedsReview) {
			ov.NeedsReview++
		}
	}
	if who.SeesUnpublished() {
		bs, err := a.Imports(ctx)
		if err != nil {
			return nil, err
		}
		last := map[string]int{}
		for _, b := range bs { // oldest first: the last one of a source wins
			if i, ok := last[b.Source]; ok {
				ov.LastImports[i] = b
				continue
			}
			last[b.Source] = len(ov.LastImports)
			ov.LastImports = append(ov.LastImports, b)
		}
		slices.SortFunc(ov.LastImports, func(x, y ImportBatch) int { return cmp.Compare(x.Source, y.Source) })
	}
	return ov, nil
}

// present lists the words of vocabulary that counts has, in vocabulary
// order.
func present[T comparable](vocabulary []T, counts map[T]int) []T {
	out := []T{}
	for _, w := range vocabulary {
		if counts[w] > 0 {
			out = append(out, w)
		}
	}
	return out
}
