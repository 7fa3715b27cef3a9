package positions

import (
	"context"
	"slices"
	"time"
)

// Step is one date on which stances changed, and what that changed in the
// common ground.
type Step struct {
	Date    string   `json:"date"`
	Changes []Reason `json:"changes"` // the new stances
	Was     []Reason `json:"was"`     // the stances they replace, in the same order
	// Best is the largest acceptable package after the step (the first of
	// Result.Packages), and Count the number of acceptable packages.
	Best  []string `json:"best"`
	Count string   `json:"count"`
	// Gained and Lost are the terms the largest package gained and lost.
	Gained []string `json:"gained,omitempty"`
	Lost   []string `json:"lost,omitempty"`
	// Maximal is how many maximal packages there are after the step.
	Maximal int `json:"maximal"`
}

// Timeline computes the common ground after each date on which a stance
// changed, in date order.
func (f *File) Timeline() ([]Step, error) {
	return f.TimelineContext(context.Background())
}

// TimelineContext is Timeline that stops when ctx is done.
func (f *File) TimelineContext(ctx context.Context) ([]Step, error) {
	var out []Step
	prevSnap := f.At(time.Time{})
	var prevBest []string
	for _, d := range f.Dates() {
		s := f.At(d)
		r, err := CommonGroundContext(ctx, s)
		if err != nil {
			return nil, err
		}
		st := Step{Date: d.Format(DateLayout), Count: r.Count, Maximal: len(r.Packages), Best: []string{}}
		if len(r.Packages) > 0 {
			st.Best = r.Packages[0].Include
		}
		for _, c := range s.Changes(prevSnap) {
			st.Changes = append(st.Changes, cellReason(c.Party, c.Term, c.To))
			st.Was = append(st.Was, cellReason(c.Party, c.Term, c.From))
		}
		for _, t := range st.Best {
			if !slices.Contains(prevBest, t) {
				st.Gained = append(st.Gained, t)
			}
		}
		for _, t := range prevBest {
			if !slices.Contains(st.Best, t) {
				st.Lost = append(st.Lost, t)
			}
		}
		out = append(out, st)
		prevSnap, prevBest = s, st.Best
	}
	return out, nil
}

func cellReason(party, term string, c Cell) Reason {
	r := Reason{Party: party, Term: term, Stance: c.Stance}
	if c.Cond != nil {
		r.Condition = c.Cond.String()
	}
	if c.Position != nil {
		r.Source, r.Date, r.Quote = c.Position.Source, c.Position.Date, c.Position.Quote
	}
	return r
}
