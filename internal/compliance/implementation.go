package compliance

import (
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
)

// ObligationScore is how far one positive obligation is implemented, in
// the spirit of the Peace Accords Matrix: its level as of a date and the
// steps that led there, each with its evidence.
type ObligationScore struct {
	Commitment string   `json:"commitment"`
	Title      string   `json:"title"`
	Bound      []string `json:"bound"`
	// Action is what must be done; Due the date it must be done by, if
	// the text states one.
	Action string `json:"action"`
	Due    string `json:"due,omitempty"`
	// AsOf is the last day the score counts steps of (YYYY-MM-DD, in the
	// agreement's zone), and Level the level on that day: that of the
	// last step on or before it, not_started if there is none.
	AsOf  string          `json:"as_of"`
	Level agreement.Level `json:"level"`
	// Overdue: the due date has passed by AsOf and the level is not full.
	Overdue bool `json:"overdue,omitempty"`
	// Steps are the steps on or before AsOf, in date order.
	Steps []ScoredStep `json:"steps"`
}

// ScoredStep is one step with the level it moved the obligation to and
// the source it rests on.
type ScoredStep struct {
	Date  string          `json:"date"`
	Level agreement.Level `json:"level"`
	// Change is how the step moved the level: "first", "up", "down" or
	// "same".
	Change   string           `json:"change"`
	Note     string           `json:"note"`
	Evidence agreement.Source `json:"evidence"`
}

// Implementation scores every positive obligation in force of an
// agreement as of the day before the instant to (the end of a report's
// period, exclusive), that day taken in loc: steps dated after it are
// left out. Agreements without obligations give nil.
func Implementation(ag *agreement.Agreement, to time.Time, loc *time.Location) []ObligationScore {
	sources := map[string]agreement.Source{}
	for _, s := range ag.Sources {
		sources[s.ID] = s
	}
	asOf := to.Add(-time.Nanosecond).In(loc).Format(time.DateOnly)
	var out []ObligationScore
	for _, c := range ag.Commitments {
		if !c.IsObligation() || c.Withdrawn != nil {
			continue
		}
		sc := ObligationScore{Commitment: c.ID, Title: c.Title, Bound: c.Bound, Action: c.Obligation.Action,
			Due: c.Obligation.Due, AsOf: asOf, Level: agreement.LevelNotStarted, Steps: []ScoredStep{}}
		for i, st := range c.Implementation {
			if st.Date > asOf {
				break // steps are in date order
			}
			change := "first"
			if i > 0 {
				change = compareLevels(st.Level, sc.Level)
			}
			sc.Level = st.Level
			ev, ok := sources[st.Source]
			if !ok {
				ev = agreement.Source{ID: st.Source}
			}
			sc.Steps = append(sc.Steps, ScoredStep{Date: st.Date, Level: st.Level, Change: change, Note: st.Note, Evidence: ev})
		}
		sc.Overdue = sc.Due != "" && sc.Due < asOf && sc.Level != agreement.LevelFull
		out = append(out, sc)
	}
	return out
}

// compareLevels says how level b moved to a.
func compareLevels(a, b agreement.Level) string {
	rank := func(l agreement.Level) int {
		for i, x := range agreement.Levels() {
			if x == l {
				return i
			}
		}
		return -1
	}
	switch ra, rb := rank(a), rank(b); {
	case ra > rb:
		return "up"
	case ra < rb:
		return "down"
	}
	return "same"
}
