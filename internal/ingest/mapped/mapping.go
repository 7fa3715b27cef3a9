// Package mapped reads any CSV table through a mapping file that says which
// column holds what: the claims feeds of the parties and outlets, and any
// other event table ("csv"). The mapping is YAML, parsed strictly with
// positioned errors like agreements are.
package mapped

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// Record types a mapping can produce.
const (
	RecordClaim = "claim"
	RecordEvent = "event"
)

// Mapping says how to read one table.
type Mapping struct {
	Format int `yaml:"format"`
	// Record is what each row is: "claim" (an allegation by someone) or
	// "event" (an observed event).
	Record string `yaml:"record"`
	// Source names the feed; it is stored with every record.
	Source string `yaml:"source"`
	// Aliases names the agreements' alias table that maps this table's actor
	// names to parties (acled, ucdp, gdelt, claims, ...); by default the
	// format's own (csv or claims).
	Aliases string `yaml:"aliases,omitempty"`
	// ID builds the record's id in the source: a column, or a hash of
	// columns when the table has no id of its own.
	ID IDRule `yaml:"id"`
	// Time is when the alleged or observed conduct happened.
	Time TimeRule `yaml:"time"`
	// Published is when a claim was made; defaults to Time's column.
	Published *TimeRule `yaml:"published,omitempty"`
	// Text lists the columns whose text is kept (joined by a blank line).
	Text []string `yaml:"text"`
	// Claimant and Accused: who makes the claim, against whom (claims).
	Claimant *Field `yaml:"claimant,omitempty"`
	Accused  *Field `yaml:"accused,omitempty"`
	// Type of a claim: allegation (the default), count or denial, mapped
	// from a column's values.
	Type *Field `yaml:"type,omitempty"`
	// Answers is the id (in this source) of the claim a denial or
	// counter-claim answers.
	Answers *Field `yaml:"answers,omitempty"`
	// Actors of an event as the table names them (events).
	Actors []ActorField `yaml:"actors,omitempty"`
	// Kind is the taxonomy event kind, mapped from a column's values.
	Kind *Field `yaml:"kind,omitempty"`
	// Places lists where, one place per value (split multi-valued cells).
	Place      PlaceRule `yaml:"place,omitempty"`
	Fatalities *Field    `yaml:"fatalities,omitempty"`
	URL        *Field    `yaml:"url,omitempty"`
	// Count makes a row a count-only claim ("14 drones in 24 hours"): kept
	// as one aggregate claim, never expanded into events.
	Count *CountRule `yaml:"count,omitempty"`
	// Allegations reads what each row's text alleges, act by act: kind,
	// acting side, targets, count and place (docs/allegations.md). Without
	// it a claim is matched as a whole, with the columns' kind and accused.
	Allegations *AllegationRule `yaml:"allegations,omitempty"`
}

// AllegationRule configures reading allegations from a claim's text.
type AllegationRule struct {
	// PartyWords are, per party id, the words (package ac patterns) that
	// name the party as an actor, formal and pejorative: "всу$",
	// "киевск{ий|ого} режим". The key "enemy" stands for whoever the row
	// accuses by default ("противник"); "self" for the claimant. Where the
	// text names no actor, the accused column or value is the default, and
	// the explanation says so.
	PartyWords map[string][]string `yaml:"party_words"`
}

// IDRule says how to identify a row.
type IDRule struct {
	Column  string   `yaml:"column,omitempty"`
	Columns []string `yaml:"hash_of,omitempty"`
}

// TimeRule reads a time.
type TimeRule struct {
	Column string `yaml:"column"`
	// End is an optional column with the end of the interval.
	End string `yaml:"end,omitempty"`
	// Layout is a Go time layout ("2006-01-02 15:04"), or one of date,
	// rfc3339, unix.
	Layout string `yaml:"layout"`
	// TimeZone is the IANA zone of times without an offset.
	TimeZone string `yaml:"time_zone"`
	// Precision overrides the precision implied by the layout.
	Precision event.TimePrecision `yaml:"precision,omitempty"`
	// Lookback makes the time the end of the interval it reports on: a daily
	// summary posted at 09:00 covers the 24h before it ("24h").
	Lookback string `yaml:"lookback,omitempty"`

	lookback time.Duration
}

// Field is a value from a column or a constant, optionally mapped.
type Field struct {
	Column string `yaml:"column,omitempty"`
	Value  string `yaml:"value,omitempty"`
	// Map translates column values (case-insensitive); Default applies to
	// values not in Map.
	Map     map[string]string `yaml:"map,omitempty"`
	Default string            `yaml:"default,omitempty"`
}

// ActorField is one actor column.
type ActorField struct {
	Role  string `yaml:"role"`
	Field `yaml:",inline"`
}

// PlaceRule reads places.
type PlaceRule struct {
	Name    *Field `yaml:"name,omitempty"`
	Country *Field `yaml:"country,omitempty"`
	Admin1  *Field `yaml:"admin1,omitempty"`
	Admin2  *Field `yaml:"admin2,omitempty"`
	Lat     string `yaml:"lat,omitempty"`
	Lon     string `yaml:"lon,omitempty"`
	// Split separates several places in one cell (e.g. "|"): a claim may
	// name several regions.
	Split     string             `yaml:"split,omitempty"`
	Precision event.GeoPrecision `yaml:"precision,omitempty"`
}

// CountRule finds the count of a count-only claim.
type CountRule struct {
	// Column holding the count, or Pattern: a regular expression whose first
	// group is the count, searched in the text.
	Column  string `yaml:"column,omitempty"`
	Pattern string `yaml:"pattern,omitempty"`
	// Min is the smallest count that makes the row a count claim (default 1).
	Min int `yaml:"min,omitempty"`
	// Kind is the event kind counted (e.g. interception for drones downed).
	Kind string `yaml:"kind"`

	re *regexp.Regexp
}

// Load reads and validates a mapping file within the default limits.
func Load(path string) (*Mapping, error) {
	return LoadWith(path, strictyaml.DefaultLimits())
}

// LoadWith reads and validates a mapping file within lim; a file over the
// size limit is refused without being read whole.
func LoadWith(path string, lim strictyaml.Limits) (*Mapping, error) {
	data, err := strictyaml.ReadFile(path, lim)
	if err != nil {
		return nil, err
	}
	return ParseWith(path, data, lim)
}

// Parse parses and validates a mapping within the default limits. Problems
// come back as strictyaml.Problems with positions.
func Parse(filename string, data []byte) (*Mapping, error) {
	return ParseWith(filename, data, strictyaml.DefaultLimits())
}

// ParseWith is Parse within lim.
func ParseWith(filename string, data []byte, lim strictyaml.Limits) (*Mapping, error) {
	var m Mapping
	pos, err := strictyaml.DecodeWith(filename, data, &m, decodeOptions(lim))
	if err != nil {
		return nil, err
	}
	var ps strictyaml.Problems
	bad := func(path, format string, args ...any) { ps = append(ps, pos.Problem(path, format, args...)) }
	if m.Format != 1 {
		bad("format", "format must be 1, found %d", m.Format)
	}
	if m.Record != RecordClaim && m.Record != RecordEvent {
		bad("record", "record must be %q or %q, found %q", RecordClaim, RecordEvent, m.Record)
	}
	if strings.TrimSpace(m.Source) == "" {
		bad("source", "source (the feed's name) is required")
	}
	if (m.ID.Column == "") == (len(m.ID.Columns) == 0) {
		bad("id", "give id.column or id.hash_of, one of them")
	}
	checkTime(bad, "time", &m.Time)
	if m.Published != nil {
		checkTime(bad, "published", m.Published)
	}
	if len(m.Text) == 0 {
		bad("text", "text needs at least one column")
	}
	if m.Record == RecordClaim && m.Claimant == nil {
		bad("claimant", "a claims mapping needs a claimant (value: RU, or column: ...)")
	}
	for name, f := range map[string]*Field{"claimant": m.Claimant, "accused": m.Accused, "kind": m.Kind, "fatalities": m.Fatalities, "url": m.URL, "type": m.Type, "answers": m.Answers,
		"place.name": m.Place.Name, "place.country": m.Place.Country, "place.admin1": m.Place.Admin1, "place.admin2": m.Place.Admin2} {
		if f != nil && (f.Column == "") == (f.Value == "") {
			bad(name, "%s: give column or value, one of them", name)
		}
	}
	if m.Kind != nil {
		for from, to := range m.Kind.Map {
			if !taxonomy.Kinds.Has(to) {
				bad("kind.map."+from, "unknown event kind %q", to)
			}
		}
		for _, k := range []string{m.Kind.Value, m.Kind.Default} {
			if k != "" && !taxonomy.Kinds.Has(k) {
				bad("kind", "unknown event kind %q", k)
			}
		}
	}
	if m.Type != nil {
		for from, to := range m.Type.Map {
			if !validClaimType(to) {
				bad("type.map."+from, "claim type %q is not allegation, count or denial", to)
			}
		}
		for _, v := range []string{m.Type.Value, m.Type.Default} {
			if v != "" && !validClaimType(v) {
				bad("type", "claim type %q is not allegation, count or denial", v)
			}
		}
	}
	if c := m.Count; c != nil {
		if (c.Column == "") == (c.Pattern == "") {
			bad("count", "give count.column or count.pattern, one of them")
		}
		if c.Pattern != "" {
			re, err := regexp.Compile(c.Pattern)
			switch {
			case err != nil:
				bad("count.pattern", "pattern: %v", err)
			case re.NumSubexp() < 1:
				bad("count.pattern", "pattern needs a group around the number")
			default:
				c.re = re
			}
		}
		if !taxonomy.Kinds.Has(c.Kind) {
			bad("count.kind", "unknown event kind %q", c.Kind)
		}
		if c.Min == 0 {
			c.Min = 1
		}
	}
	for i, a := range m.Actors {
		if a.Role == "" || (a.Column == "") == (a.Value == "") {
			bad(strictyaml.JoinIndex("actors", i), "an actor needs a role and a column or a value")
		}
	}
	if len(ps) > 0 {
		strictyaml.SortProblems(ps)
		return nil, strictyaml.CapProblems(ps)
	}
	return &m, nil
}

func checkTime(bad func(string, string, ...any), path string, t *TimeRule) {
	if t.Column == "" {
		bad(path+".column", "%s.column is required", path)
	}
	if t.Layout == "" {
		bad(path+".layout", "%s.layout is required (a Go layout like 2006-01-02 15:04, or date, rfc3339, unix)", path)
	}
	if _, err := time.LoadLocation(t.TimeZone); err != nil || t.TimeZone == "" || t.TimeZone == "Local" {
		bad(path+".time_zone", "unknown time zone %q (use an IANA name such as Europe/Moscow)", t.TimeZone)
	}
	if t.Lookback != "" {
		d, err := time.ParseDuration(t.Lookback)
		if err != nil || d <= 0 {
			bad(path+".lookback", "lookback %q is not a duration like 24h", t.Lookback)
		}
		t.lookback = d
	}
	if t.Precision != "" && !slices.Contains([]event.TimePrecision{event.TimeExact, event.TimeHour, event.TimeDay, event.TimeWeek, event.TimeMonth, event.TimeYear}, t.Precision) {
		bad(path+".precision", "unknown precision %q", t.Precision)
	}
}

// columns lists every column the mapping reads, to check against a header.
func (m *Mapping) columns() []string {
	var cols []string
	add := func(c ...string) {
		for _, s := range c {
			if s != "" {
				cols = append(cols, s)
			}
		}
	}
	add(m.ID.Column)
	add(m.ID.Columns...)
	add(m.Time.Column, m.Time.End)
	if m.Published != nil {
		add(m.Published.Column)
	}
	add(m.Text...)
	for _, f := range []*Field{m.Claimant, m.Accused, m.Type, m.Answers, m.Kind, m.Fatalities, m.URL, m.Place.Name, m.Place.Country, m.Place.Admin1, m.Place.Admin2} {
		if f != nil {
			add(f.Column)
		}
	}
	for _, a := range m.Actors {
		add(a.Column)
	}
	add(m.Place.Lat, m.Place.Lon)
	if m.Count != nil {
		add(m.Count.Column)
	}
	return cols
}

func (m *Mapping) String() string { return fmt.Sprintf("%s mapping for %s", m.Record, m.Source) }

func validClaimType(s string) bool {
	switch event.ClaimType(s) {
	case event.ClaimAllegation, event.ClaimCount, event.ClaimDenial:
		return true
	}
	return false
}
