package agreement

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Resolved is a window resolved to instants. A zero Start means the window
// has no start yet (a proposal "from acceptance"); a zero End means open-ended.
type Resolved struct {
	TimeZone   string    `json:"time_zone"`
	Start      time.Time `json:"start_utc,omitzero"`
	End        time.Time `json:"end_utc,omitzero"`
	StartLocal string    `json:"start_local,omitempty"`
	EndLocal   string    `json:"end_local,omitempty"`
	// Duration as written, when the end was computed from it.
	Duration string `json:"duration,omitempty"`
	// Extended is true when an agreed extension moved the end.
	Extended bool `json:"extended,omitempty"`
}

// Contains reports whether instant t is inside [Start, End).
func (r Resolved) Contains(t time.Time) bool {
	if r.Start.IsZero() || t.Before(r.Start) {
		return false
	}
	return r.End.IsZero() || t.Before(r.End)
}

// localLayouts are the accepted spellings of a local wall-clock time.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseLocal reads a wall-clock time in loc. A time with an explicit offset
// is refused: the zone is the window's time_zone, said once.
func ParseLocal(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return time.Time{}, fmt.Errorf("%q carries a UTC offset; write the local time and give the zone in time_zone", s)
	}
	return time.Time{}, fmt.Errorf("%q is not a local time like 2025-03-18T00:00", s)
}

// ParseDuration reads "30d" (calendar days), "30h" (hours) or "90m" (minutes).
func ParseDuration(s string) (n int, unit byte, err error) {
	if len(s) < 2 {
		return 0, 0, fmt.Errorf("%q is not a duration like 30d, 30h or 90m", s)
	}
	unit = s[len(s)-1]
	n, err = strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || !strings.ContainsRune("dhm", rune(unit)) {
		return 0, 0, fmt.Errorf("%q is not a duration like 30d, 30h or 90m", s)
	}
	return n, unit, nil
}

// addDuration adds a parsed duration: days on the calendar of start's zone,
// hours and minutes as elapsed time.
func addDuration(start time.Time, n int, unit byte) time.Time {
	switch unit {
	case 'd':
		return start.AddDate(0, 0, n)
	case 'h':
		return start.Add(time.Duration(n) * time.Hour)
	default:
		return start.Add(time.Duration(n) * time.Minute)
	}
}

// Resolve turns a window into instants. It assumes the window is valid.
func (w Window) Resolve() (Resolved, error) {
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		return Resolved{}, fmt.Errorf("time zone %q: %w", w.TimeZone, err)
	}
	r := Resolved{TimeZone: w.TimeZone, Duration: w.Duration}
	var start time.Time
	if w.Start != "" {
		if start, err = ParseLocal(w.Start, loc); err != nil {
			return Resolved{}, err
		}
		r.Start = start.UTC()
		r.StartLocal = start.Format(time.RFC3339)
	}
	var end time.Time
	switch {
	case w.End != "":
		if end, err = ParseLocal(w.End, loc); err != nil {
			return Resolved{}, err
		}
	case w.Duration != "" && !start.IsZero():
		n, unit, err := ParseDuration(w.Duration)
		if err != nil {
			return Resolved{}, err
		}
		end = addDuration(start, n, unit)
	}
	for _, x := range w.Extended {
		until, err := ParseLocal(x.Until, loc)
		if err != nil {
			return Resolved{}, fmt.Errorf("extension: %w", err)
		}
		if until.After(end) {
			end, r.Extended = until, true
		}
	}
	if !end.IsZero() {
		r.End = end.UTC()
		r.EndLocal = end.Format(time.RFC3339)
	}
	return r, nil
}

// apply returns the window with a reading's overrides in place. Overriding
// the start alone keeps the duration; overriding the end drops it.
func (w Window) apply(o *WindowOverride) Window {
	if o == nil {
		return w
	}
	if o.Start != "" {
		w.Start = o.Start
	}
	if o.TimeZone != "" {
		w.TimeZone = o.TimeZone
	}
	if o.Duration != "" {
		w.Duration, w.End = o.Duration, ""
	}
	if o.End != "" {
		w.End, w.Duration = o.End, ""
	}
	return w
}
