package compliance

import (
	"fmt"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Baseline compares the report's period with the same length of time just
// before it: what the same rules find in the earlier records, as if the
// agreement had been in force, against the findings of the report. It is
// a machine count on both sides (no review status exists before), by
// verdict.
type Baseline struct {
	From     time.Time         `json:"from"`
	To       time.Time         `json:"to"`
	Readings []BaselineReading `json:"readings"`
	// Caveats say where the sources cover the two periods differently, so
	// a change may be the sources' and not the parties'.
	Caveats []string `json:"caveats,omitempty"`
}

// BaselineReading is the comparison under one reading, per party.
type BaselineReading struct {
	Reading string          `json:"reading"`
	Parties []BaselineParty `json:"parties"`
}

// BaselineParty is one accused party's findings before and now.
type BaselineParty struct {
	Party  string        `json:"party"`
	Before VerdictCounts `json:"before"`
	Now    VerdictCounts `json:"now"`
}

// VerdictCounts are findings by verdict.
type VerdictCounts struct {
	Candidate int `json:"candidate"`
	Ambiguous int `json:"ambiguous"`
}

// Add counts one finding of verdict v.
func (c *VerdictCounts) Add(v vocab.Verdict) {
	switch v {
	case vocab.VerdictCandidate:
		c.Candidate++
	case vocab.VerdictAmbiguous:
		c.Ambiguous++
	}
}

// BaselineTally collects the earlier period's findings and both periods'
// records by source.
type BaselineTally struct {
	before         map[[2]string]*VerdictCounts // reading, party
	sourcesBefore  map[string]int
	sourcesNow     map[string]int
	from, to, mid  time.Time
	readings, pars []string
}

// NewBaselineTally compares [from, mid) with [mid, to) under readings, for
// parties (in order; others accused are added after them).
func NewBaselineTally(from, mid, to time.Time, readings, parties []string) *BaselineTally {
	return &BaselineTally{before: map[[2]string]*VerdictCounts{}, sourcesBefore: map[string]int{}, sourcesNow: map[string]int{},
		from: from, mid: mid, to: to, readings: readings, pars: slices.Clone(parties)}
}

// Record counts a record of source starting at t, in whichever period.
func (b *BaselineTally) Record(source string, t time.Time) {
	switch {
	case t.Before(b.from) || !t.Before(b.to):
	case t.Before(b.mid):
		b.sourcesBefore[source]++
	default:
		b.sourcesNow[source]++
	}
}

// Finding counts a finding of the earlier period.
func (b *BaselineTally) Finding(reading, party string, v vocab.Verdict) {
	k := [2]string{reading, party}
	if b.before[k] == nil {
		b.before[k] = &VerdictCounts{}
	}
	b.before[k].Add(v)
	if !slices.Contains(b.pars, party) {
		b.pars = append(b.pars, party)
	}
}

// Baseline compares the earlier period's findings with the report's annex.
func (b *BaselineTally) Baseline(annex []Item) Baseline {
	now := map[[2]string]*VerdictCounts{}
	for _, it := range annex {
		k := [2]string{it.Reading, it.Accused}
		if now[k] == nil {
			now[k] = &VerdictCounts{}
		}
		now[k].Add(it.Verdict)
		if !slices.Contains(b.pars, it.Accused) {
			b.pars = append(b.pars, it.Accused)
		}
	}
	out := Baseline{From: b.from, To: b.mid}
	for _, r := range b.readings {
		br := BaselineReading{Reading: r}
		for _, p := range b.pars {
			bp := BaselineParty{Party: p}
			if c := b.before[[2]string{r, p}]; c != nil {
				bp.Before = *c
			}
			if c := now[[2]string{r, p}]; c != nil {
				bp.Now = *c
			}
			br.Parties = append(br.Parties, bp)
		}
		out.Readings = append(out.Readings, br)
	}
	out.Caveats = b.caveats()
	return out
}

// caveats name the sources that cover the two periods differently: in one
// only, or with more than twice the records in one than in the other.
func (b *BaselineTally) caveats() []string {
	var names []string
	for s := range b.sourcesBefore {
		names = append(names, s)
	}
	for s := range b.sourcesNow {
		if _, ok := b.sourcesBefore[s]; !ok {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	var out []string
	for _, s := range names {
		before, now := b.sourcesBefore[s], b.sourcesNow[s]
		switch {
		case before == 0:
			out = append(out, fmt.Sprintf("%s has records in the report's period only (%d): its findings cannot have a baseline", s, now))
		case now == 0:
			out = append(out, fmt.Sprintf("%s has records before the period only (%d)", s, before))
		case before > 2*now || now > 2*before:
			out = append(out, fmt.Sprintf("%s covers the two periods unequally: %d records before, %d in the period", s, before, now))
		}
	}
	return out
}
