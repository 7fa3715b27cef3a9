package compliance

import (
	"slices"
	"strings"
	"time"
)

// Coverage is what one source contributed over the report's period: its
// records, the days it covers, and the days between its first and last
// record with none from it (gaps), when a quiet day may be a missing one.
type Coverage struct {
	Source  string    `json:"source"`
	Records int       `json:"records"`
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
	// Gaps are the days (in the report's time zone) from First to Last on
	// which the source has no record, as runs of days.
	Gaps []DayRange `json:"gaps,omitempty"`
	// NotLocated counts its records not located below country level.
	NotLocated int `json:"not_located"`
}

// DayRange is a run of days, both included, as dates (2006-01-02).
type DayRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// CoverageTally builds the coverage of sources from their records, one
// Add a record, in any order.
type CoverageTally struct {
	loc     *time.Location
	sources map[string]*tally
}

type tally struct {
	Coverage
	days map[string]bool
}

// NewCoverageTally counts days in loc (the agreement's time zone).
func NewCoverageTally(loc *time.Location) *CoverageTally {
	return &CoverageTally{loc: loc, sources: map[string]*tally{}}
}

// Add counts one record of source that starts at t; located says whether
// it is placed below country level.
func (c *CoverageTally) Add(source string, t time.Time, located bool) {
	s, ok := c.sources[source]
	if !ok {
		s = &tally{Coverage: Coverage{Source: source, First: t, Last: t}, days: map[string]bool{}}
		c.sources[source] = s
	}
	s.Records++
	if t.Before(s.First) {
		s.First = t
	}
	if t.After(s.Last) {
		s.Last = t
	}
	if !located {
		s.NotLocated++
	}
	s.days[t.In(c.loc).Format(time.DateOnly)] = true
}

// Coverage returns each source's coverage, by source name.
func (c *CoverageTally) Coverage() []Coverage {
	out := make([]Coverage, 0, len(c.sources))
	for _, s := range c.sources {
		cv := s.Coverage
		first, last := s.First.In(c.loc), s.Last.In(c.loc)
		day := time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, c.loc)
		end := time.Date(last.Year(), last.Month(), last.Day(), 12, 0, 0, 0, c.loc)
		var run *DayRange
		for ; !day.After(end); day = day.AddDate(0, 0, 1) {
			d := day.Format(time.DateOnly)
			if s.days[d] {
				run = nil
				continue
			}
			if run == nil {
				cv.Gaps = append(cv.Gaps, DayRange{From: d, To: d})
				run = &cv.Gaps[len(cv.Gaps)-1]
			}
			run.To = d
		}
		out = append(out, cv)
	}
	slices.SortFunc(out, func(a, b Coverage) int { return strings.Compare(a.Source, b.Source) })
	return out
}
