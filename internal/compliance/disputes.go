package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Dispute is one record (or allegation) that the readings count
// differently: a finding under some readings and none under others, and
// why the others do not count it.
type Dispute struct {
	Record     string      `json:"record"`
	Accused    string      `json:"accused"`
	Commitment string      `json:"commitment"`
	Time       time.Time   `json:"time"`
	CountedBy  []string    `json:"counted_by"`
	NotBy      []string    `json:"not_by"`
	Reasons    []string    `json:"reasons"` // one per reading of NotBy
	Findings   []vocab.Ref `json:"findings"`
}

// Disputes lists what each reading counts that another does not, in the
// annex's order, with the reason: the record's time is outside the other
// reading's window, or inside it but the other reading's terms of the
// commitment (its kinds or targets) do not cover it. Nothing is disputed
// under a single reading.
func Disputes(terms []agreement.Terms, items []Item) []Dispute {
	if len(terms) < 2 {
		return nil
	}
	type key struct{ record, commitment, accused string }
	var order []key
	byKey := map[key]*Dispute{}
	for _, it := range items {
		k := key{it.Record, it.Commitment, it.Accused}
		d, ok := byKey[k]
		if !ok {
			d = &Dispute{Record: it.Record, Accused: it.Accused, Commitment: it.Commitment, Time: it.Time}
			byKey[k] = d
			order = append(order, k)
		}
		if !slices.Contains(d.CountedBy, it.Reading) {
			d.CountedBy = append(d.CountedBy, it.Reading)
		}
		d.Findings = append(d.Findings, it.Finding)
	}
	var out []Dispute
	for _, k := range order {
		d := byKey[k]
		for _, t := range terms {
			if slices.Contains(d.CountedBy, t.Reading) {
				continue
			}
			d.NotBy = append(d.NotBy, t.Reading)
			d.Reasons = append(d.Reasons, whyNot(t, d, terms))
		}
		if len(d.NotBy) > 0 {
			out = append(out, *d)
		}
	}
	return out
}

// whyNot says why reading t does not count d: its window, or the terms
// of d's commitment under the readings that differ.
func whyNot(t agreement.Terms, d *Dispute, terms []agreement.Terms) string {
	w := t.Window
	if !w.Contains(d.Time) {
		loc, err := time.LoadLocation(w.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		edge := func(x time.Time, none string) string {
			if x.IsZero() {
				return none
			}
			return x.In(loc).Format("2006-01-02 15:04")
		}
		return fmt.Sprintf("outside the %s reading's window (%s to %s, %s time)", t.Reading, edge(w.Start, "no start"), edge(w.End, "open-ended"), w.TimeZone)
	}
	if o, ok := t.Overrides[d.Commitment]; ok {
		return fmt.Sprintf("inside the %s reading's window, but under it %s covers only %s", t.Reading, d.Commitment, conduct(o))
	}
	for _, other := range terms {
		if o, ok := other.Overrides[d.Commitment]; ok && slices.Contains(d.CountedBy, other.Reading) {
			return fmt.Sprintf("inside the %s reading's window, but the %s reading widens %s to %s", t.Reading, other.Reading, d.Commitment, conduct(o))
		}
	}
	return fmt.Sprintf("inside the %s reading's window, but its terms do not cover the act", t.Reading)
}

// conduct says what an override covers.
func conduct(o agreement.ConductOverride) string {
	var parts []string
	if len(o.Kinds) > 0 {
		parts = append(parts, "kinds "+strings.Join(o.Kinds, ", "))
	}
	if len(o.Targets) > 0 {
		parts = append(parts, "targets "+strings.Join(o.Targets, ", "))
	}
	if len(parts) == 0 {
		return "what the text says"
	}
	return strings.Join(parts, " and ")
}
