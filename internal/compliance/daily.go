package compliance

import (
	"cmp"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Daily is the daily report, in the manner of a monitoring mission's: as
// of a fixed hour in the agreement's time zone, what happened since the
// previous report's hour, area by area, each entry in a fixed vocabulary.
type Daily struct {
	Agreement string    `json:"agreement"`
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Zone      string    `json:"time_zone"`
	Since     time.Time `json:"since"` // the previous report's hour
	AsOf      time.Time `json:"as_of"`
	Areas     []Area    `json:"areas"`
	// Words counts the entries by word.
	Words map[Word]int `json:"words"`
}

// Area is the entries of one admin-1 region (or country, or none).
type Area struct {
	Area    string  `json:"area"` // the region's name and code, or the country
	Entries []Entry `json:"entries"`
}

// Entry is one record (or allegation) the report mentions.
type Entry struct {
	Time     time.Time   `json:"time"`
	DayOnly  bool        `json:"day_only,omitempty"` // the record gives its day only
	Record   string      `json:"record"`
	Word     Word        `json:"word"`
	Accused  string      `json:"accused"`
	Claimant string      `json:"claimant,omitempty"`
	Category string      `json:"category,omitempty"`
	Text     string      `json:"text"`
	Source   string      `json:"source"`
	Readings []string    `json:"readings"` // under which the record is a finding
	Findings []vocab.Ref `json:"findings"`
}

// Word is the fixed vocabulary of a daily report's entries.
type Word string

const (
	// Recorded: a source reported it (an event), and no review has said
	// more.
	Recorded Word = "recorded"
	// Alleged: a party claimed it, and no review has said more.
	Alleged Word = "alleged"
	// Corroborated: review corroborated or confirmed it.
	Corroborated Word = "corroborated"
	// Unverified: review could not verify or attribute it.
	Unverified Word = "could not be verified"
	// Refuted: review found it did not happen as reported.
	Refuted Word = "refuted"
)

// WordFor is the word for a record: by the furthest review status among
// its findings, else by what it is (an event is recorded, a claim
// alleged).
func WordFor(claim bool, statuses []vocab.Status) Word {
	has := func(s ...vocab.Status) bool {
		return slices.ContainsFunc(statuses, func(x vocab.Status) bool { return slices.Contains(s, x) })
	}
	switch {
	case has(vocab.StatusConfirmed, vocab.StatusCorroborated):
		return Corroborated
	case has(vocab.StatusRefuted):
		return Refuted
	case has(vocab.StatusInconclusive, vocab.StatusNotAttributable):
		return Unverified
	case claim:
		return Alleged
	}
	return Recorded
}

// GroupAreas sorts entries into areas: by area name, each area's entries
// by time.
func GroupAreas(entries map[string][]Entry) []Area {
	out := make([]Area, 0, len(entries))
	for name, es := range entries {
		slices.SortFunc(es, func(a, b Entry) int { return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Record, b.Record)) })
		out = append(out, Area{Area: name, Entries: es})
	}
	slices.SortFunc(out, func(a, b Area) int { return cmp.Compare(a.Area, b.Area) })
	return out
}
