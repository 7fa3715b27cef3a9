package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/store"
)

// TimelineQuery says whose findings a timeline counts: an agreement's ("":
// the first, by id, with findings the caller sees) under one of its
// readings ("": the first with findings; a party id in any case).
type TimelineQuery struct {
	Agreement, Reading string
}

// Timeline is one agreement's standing findings (of its latest evaluated
// version) under one reading, counted per day and accused party. Days
// are calendar days in the time zone of the reading's window (a party may
// read the agreement's window in its own zone), named (Europe/Kyiv),
// from the earliest start of a reading's window or finding to the latest
// end or finding, at most MaxTimelineDays.
type Timeline struct {
	Agreement string `json:"agreement"` // "" when no agreement is stored
	Title     string `json:"title"`
	Version   int    `json:"version"` // the version counted, 0 when none is evaluated
	TimeZone  string `json:"time_zone"`
	// Reading is the reading counted; Readings are all of them, with
	// their windows (a band each on the chart) and totals.
	Reading  string            `json:"reading"`
	Readings []TimelineReading `json:"readings"`
	// Days are the local midnights of the days counted, in TimeZone.
	Days      []time.Time     `json:"days"`
	Parties   []TimelineParty `json:"parties"`
	Total     int             `json:"total"`     // the reading's findings counted
	Truncated bool            `json:"truncated"` // more days than MaxTimelineDays: the latest kept
	// Releases are the releases standing under the agreement: when a
	// confirmed violation let the other parties withdraw.
	Releases []TimelineRelease `json:"releases"`
}

// TimelineReading is one reading of the agreement: its window and how many
// findings the caller sees under it.
type TimelineReading struct {
	Reading  string             `json:"reading"`
	Window   agreement.Resolved `json:"window"`
	Findings int                `json:"findings"`
}

// TimelineParty counts the findings against one accused party ("" for
// none) on each of the timeline's days.
type TimelineParty struct {
	Accused string `json:"accused"`
	Counts  []int  `json:"counts"` // one per day
	Total   int    `json:"total"`
}

// TimelineRelease is a standing release: Party's confirmed violation
// (finding Finding) since Since released the parties Released.
type TimelineRelease struct {
	Party    string    `json:"party"`
	Since    time.Time `json:"since"`
	Finding  int64     `json:"finding"`
	Released []string  `json:"released"`
}

// MaxTimelineDays bounds a timeline's days.
const MaxTimelineDays = 1000

// Timeline counts what the caller may see: a viewer counts published
// findings only. An agreement not stored is KindNotFound, a reading that
// is not one of its KindInvalid (naming those there are).
func (a *App) Timeline(ctx context.Context, q TimelineQuery) (*Timeline, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	ags, err := a.Agreements(ctx)
	if err != nil {
		return nil, err
	}
	tl := &Timeline{Readings: []TimelineReading{}, Days: []time.Time{}, Parties: []TimelineParty{}, Releases: []TimelineRelease{}}
	if len(ags) == 0 && q.Agreement == "" {
		return tl, nil
	}
	// One scan: the findings the caller sees, by agreement, reading,
	// party and record time.
	type key struct{ agreement, reading, accused string }
	times := map[key][]time.Time{}
	seen := map[string]int{} // findings per agreement
	version := map[string]int{}
	err = a.st.ScanFindings(ctx, store.FindingFilter{AgreementID: q.Agreement}, func(f *store.FindingRecord) error {
		if !who.sees(f.Status, f.NeedsReview) {
			return nil
		}
		k := key{f.AgreementID, f.Reading, f.Accused}
		times[k] = append(times[k], f.RecordTime)
		seen[f.AgreementID]++
		version[f.AgreementID] = f.AgreementVersion
		return nil
	})
	if err != nil {
		return nil, err
	}
	tl.Agreement = q.Agreement
	if tl.Agreement == "" {
		tl.Agreement = ags[0].ID
		for _, ag := range ags {
			if seen[ag.ID] > 0 {
				tl.Agreement = ag.ID
				break
			}
		}
	}
	tl.Version = version[tl.Agreement]
	v, err := a.st.GetAgreementVersion(ctx, tl.Agreement, tl.Version)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, notStored(tl.Agreement)
		}
		return nil, err
	}
	tl.Title = v.Title
	var n agreement.Normalized
	if err := json.Unmarshal(v.Normalized, &n); err != nil {
		return nil, fmt.Errorf("agreement %s version %d: its stored terms: %w", v.AgreementID, v.Version, err)
	}
	// The readings: the agreement's, then any a finding has that the
	// version's terms do not (an agreement stored without them).
	perReading := map[string]int{}
	for k := range times {
		if k.agreement == tl.Agreement {
			perReading[k.reading] += len(times[k])
		}
	}
	for _, t := range n.Readings {
		tl.Readings = append(tl.Readings, TimelineReading{Reading: t.Reading, Window: t.Window, Findings: perReading[t.Reading]})
	}
	var extra []string
	for r := range perReading {
		if !slices.ContainsFunc(tl.Readings, func(t TimelineReading) bool { return t.Reading == r }) {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	for _, r := range extra {
		tl.Readings = append(tl.Readings, TimelineReading{Reading: r, Findings: perReading[r]})
	}
	if tl.Reading, err = timelineReading(tl, q.Reading); err != nil {
		return nil, err
	}
	// The zone of the reading counted (a party may read the window in its
	// own), else of the agreement's first reading, else UTC.
	loc, zone := time.UTC, ""
	for _, t := range n.Readings {
		if zone == "" || t.Reading == tl.Reading {
			zone = t.Window.TimeZone
		}
	}
	if zone != "" {
		if loc, err = time.LoadLocation(zone); err != nil {
			return nil, fmt.Errorf("agreement %s: time zone: %w", tl.Agreement, err)
		}
	}
	tl.TimeZone = loc.String()
	byParty := map[string][]time.Time{}
	for k, ts := range times {
		if k.agreement == tl.Agreement && k.reading == tl.Reading {
			byParty[k.accused] = ts
		}
	}
	tl.countDays(byParty, loc)
	rs, err := a.AgreementReleases(ctx, tl.Agreement)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		tl.Releases = append(tl.Releases, TimelineRelease{Party: r.Party, Since: r.Since, Finding: r.FindingID, Released: r.Released})
	}
	return tl, nil
}

// timelineReading is the reading asked (as the agreement spells it), or
// the first with findings, or the first.
func timelineReading(tl *Timeline, asked string) (string, error) {
	ids := make([]string, len(tl.Readings))
	for i, r := range tl.Readings {
		ids[i] = r.Reading
	}
	if asked != "" {
		return KnownCode("reading of "+tl.Agreement, asked, ids)
	}
	for _, r := range tl.Readings {
		if r.Findings > 0 {
			return r.Reading, nil
		}
	}
	if len(ids) > 0 {
		return ids[0], nil
	}
	return "", nil
}

// countDays sets the days, from the earliest window start or finding to
// the latest window end or finding, and each party's count per day.
func (tl *Timeline) countDays(byParty map[string][]time.Time, loc *time.Location) {
	day := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	var first, last time.Time
	span := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if d := day(t); first.IsZero() || d.Before(first) {
			first = d
		}
		if d := day(t); last.IsZero() || d.After(last) {
			last = d
		}
	}
	for _, ts := range byParty {
		for _, t := range ts {
			span(t)
		}
	}
	for _, r := range tl.Readings {
		span(r.Window.Start)
		if !r.Window.End.IsZero() {
			span(r.Window.End.Add(-time.Nanosecond)) // the end is not in the window
		}
	}
	if first.IsZero() {
		return
	}
	index := map[time.Time]int{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		index[d] = len(tl.Days)
		tl.Days = append(tl.Days, d)
	}
	if len(tl.Days) > MaxTimelineDays {
		cut := len(tl.Days) - MaxTimelineDays
		for _, d := range tl.Days[:cut] {
			delete(index, d)
		}
		for d, i := range index {
			index[d] = i - cut
		}
		tl.Days, tl.Truncated = tl.Days[cut:], true
	}
	ids := make([]string, 0, len(byParty))
	for id := range byParty {
		ids = append(ids, id)
	}
	// Parties by id, findings with no party last.
	slices.SortFunc(ids, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	for _, id := range ids {
		p := TimelineParty{Accused: id, Counts: make([]int, len(tl.Days))}
		for _, t := range byParty[id] {
			if i, ok := index[day(t)]; ok {
				p.Counts[i]++
				p.Total++
			}
		}
		tl.Total += p.Total
		tl.Parties = append(tl.Parties, p)
	}
}
