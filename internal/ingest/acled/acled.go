// Package acled reads ACLED's CSV export (the 31-column format) into
// events.
//
// Columns are found by header name: reordered, missing optional and extra
// columns, full quoting and a byte order mark are all fine. Required columns
// are event_id_cnty, event_date and event_type (sub_event_type when the
// export has it: older ones do not, and name assoc_actor_N ally_actor_N). Dates are
// in any layout ingest.DateColumn reads ("2025-05-16", "16 May 2025",
// "9-May-20", "14/08/2020 00:00:00"); a time of day is ignored. Unknown enum values (the "Demostrations"
// typo, text inter1 labels where codes are expected, new sub-event types)
// never fail a row: they stay in Raw and classification falls back.
//
// Time: ACLED dates carry no zone, so a day is the UTC day. time_precision 2
// means the source gave a week and ACLED coded its middle day, so the span
// is the 7 days centred on the date, [date-3d, date+4d); precision 3 is the
// calendar month of the date.
//
// Place: geo_precision 1 is the town, 2 near the town, 3 a larger part of
// the region, kept as admin1. The country comes from the numeric ISO 3166
// code in iso (ingest.CountryFromISONumeric). admin1 stays as ACLED spells
// it.
package acled

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Source is the Event.Source of ACLED events.
const Source = "acled"

// columns holds the index of each known column, -1 when absent.
type columns struct {
	id, date, timePrec, eventType, subType                 int
	actor1, assoc1, actor2, assoc2                         int
	iso, admin1, admin2, admin3, location, lat, lon, geoPr int
	notes, fatalities                                      int
}

// Reader reads ACLED events. It implements ingest.Reader.
type Reader struct {
	*ingest.TableReader
	cv *Converter
}

// NewReader returns a reader of the ACLED CSV in r; file names it in
// messages. The header is read on the first call to Next.
func NewReader(r io.Reader, file string) *Reader {
	rd := &Reader{}
	rd.TableReader = ingest.NewTableReader(r, file, rd.setup, rd.convert)
	return rd
}

func (r *Reader) setup(t *ingest.Table) error {
	cv, err := NewConverter(t)
	r.cv = cv
	return err
}

func (r *Reader) convert(row ingest.Row) (*event.Event, *ingest.RowError) {
	return r.cv.Convert(row.Line, row.Fields, nil)
}

// Converter turns the data rows of an ACLED table into events. It keeps
// nothing between rows, so one Converter serves any number of goroutines:
// that is how `truce check` converts the chunks of one file on every core.
type Converter struct {
	file string
	c    columns
	date *ingest.DateColumn
}

// NewConverter checks that t has ACLED's required columns and finds its
// columns. The error is fatal, as from Reader.Next.
func NewConverter(t *ingest.Table) (*Converter, error) {
	// sub_event_type came in 2019; older exports have event_type alone
	// (and ally_actor_1 for assoc_actor_1).
	if err := t.Require("event_id_cnty", "event_date", "event_type"); err != nil {
		return nil, err
	}
	assoc := func(n int) int {
		if i := t.Col(fmt.Sprint("assoc_actor_", n)); i >= 0 {
			return i
		}
		return t.Col(fmt.Sprint("ally_actor_", n))
	}
	dates, err := t.Dates("event_date")
	if err != nil {
		return nil, err
	}
	return &Converter{file: t.File(), date: dates[0], c: columns{
		id: t.Col("event_id_cnty"), date: t.Col("event_date"), timePrec: t.Col("time_precision"),
		eventType: t.Col("event_type"), subType: t.Col("sub_event_type"),
		actor1: t.Col("actor1"), assoc1: assoc(1),
		actor2: t.Col("actor2"), assoc2: assoc(2),
		iso: t.Col("iso"), admin1: t.Col("admin1"), admin2: t.Col("admin2"), admin3: t.Col("admin3"),
		location: t.Col("location"), lat: t.Col("latitude"), lon: t.Col("longitude"),
		geoPr: t.Col("geo_precision"), notes: t.Col("notes"), fatalities: t.Col("fatalities"),
	}}, nil
}

// box holds an event and everything it points to, so a row costs one
// allocation instead of five.
type box struct {
	ev       event.Event
	lat, lon float64
	fat      int
	reason   event.Reason
	actors   [4]event.Actor
}

func (cv *Converter) rowError(line int, field, reason, value string) *ingest.RowError {
	return &ingest.RowError{File: cv.file, Line: line, Field: field, Reason: reason, Value: value}
}

// Convert turns the fields of the data row that starts at line into an
// event without Raw and Hash, or a bad row. Every field is checked in the
// same order whatever keep says, so a row is bad or not, and for the same
// reason, with or without a filter; but a good row keep has no use for
// gives (nil, nil) and costs no event.
func (cv *Converter) Convert(line int, f []string, keep ingest.Filter) (*event.Event, *ingest.RowError) {
	c := &cv.c
	get := func(i int) string { return strings.TrimSpace(ingest.Get(f, i)) }

	id := get(c.id)
	if id == "" {
		return nil, cv.rowError(line, "event_id_cnty", "missing", "")
	}
	span, rerr := cv.span(line, get(c.date), get(c.timePrec))
	if rerr != nil {
		return nil, rerr
	}
	eventType, subType := get(c.eventType), get(c.subType)
	if eventType == "" && subType == "" {
		return nil, cv.rowError(line, "sub_event_type", "missing, and so is event_type", "")
	}
	latText, lonText := get(c.lat), get(c.lon)
	if latText != "" && !validDegrees(latText, 90) {
		return nil, cv.rowError(line, "latitude", "not a latitude", latText)
	}
	if lonText != "" && !validDegrees(lonText, 180) {
		return nil, cv.rowError(line, "longitude", "not a longitude", lonText)
	}
	var (
		fat    int
		hasFat bool
	)
	if s := get(c.fatalities); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, cv.rowError(line, "fatalities", "not a count", s)
		}
		fat, hasFat = n, true
	}
	if keep != nil && !keep.RelevantTime(span) {
		return nil, nil
	}
	text := get(c.notes)
	kind, reason := Classify(eventType, subType, text)
	if keep != nil && !keep.Relevant(kind, span) {
		return nil, nil
	}

	b := &box{}
	ev := &b.ev
	ev.Source, ev.SourceID, ev.Time = Source, id, span
	ev.Text = text
	ev.Place = event.Place{
		Name:      get(c.location),
		Country:   ingest.CountryFromISONumeric(get(c.iso)),
		Admin1:    get(c.admin1),
		Admin2:    get(c.admin2),
		Admin3:    get(c.admin3),
		Precision: geoPrecision(get(c.geoPr)),
	}
	if latText != "" {
		b.lat, _ = parseDegrees(latText, 90)
		ev.Place.Lat = &b.lat
	}
	if lonText != "" {
		b.lon, _ = parseDegrees(lonText, 180)
		ev.Place.Lon = &b.lon
	}
	if hasFat {
		b.fat, ev.Fatalities = fat, &b.fat
	}

	ev.Actors = b.actors[:0]
	ev.Actors = appendActors(ev.Actors, get(c.actor1), "actor1")
	ev.Actors = appendActors(ev.Actors, get(c.assoc1), "assoc_actor_1")
	ev.Actors = appendActors(ev.Actors, get(c.actor2), "actor2")
	ev.Actors = appendActors(ev.Actors, get(c.assoc2), "assoc_actor_2")
	if len(ev.Actors) == 0 {
		ev.Actors = nil
	}

	ev.Kind, b.reason = kind, reason
	ev.KindReason = &b.reason
	return ev, nil
}

// parseDegrees reads a latitude or longitude within [-limit, limit].
func parseDegrees(s string, limit float64) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < -limit || v > limit {
		return 0, false
	}
	return v, true
}

// validDegrees reports whether parseDegrees accepts s. The plain decimals
// ACLED writes ("-17.4", "32.3894") are decided without parsing a float:
// an optional minus, one to three digits, and optional decimals are a
// number strconv.ParseFloat reads, within the limit when its whole part is
// below it. Anything else is left to parseDegrees.
func validDegrees(s string, limit int) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start, whole := i, 0
	for i < len(s) && i-start < 3 && '0' <= s[i] && s[i] <= '9' {
		whole = whole*10 + int(s[i]-'0')
		i++
	}
	plain := i > start && whole < limit
	if plain && i < len(s) {
		if s[i] != '.' {
			plain = false
		} else {
			i++
			frac := i
			for i < len(s) && '0' <= s[i] && s[i] <= '9' {
				i++
			}
			plain = i > frac && i == len(s)
		}
	}
	if plain {
		return true
	}
	_, ok := parseDegrees(s, float64(limit))
	return ok
}

// appendActors adds the actors named in s. Associated-actor fields list
// several names separated by "; ".
func appendActors(dst []event.Actor, s, role string) []event.Actor {
	for s != "" {
		name, rest, _ := strings.Cut(s, ";")
		if name = strings.TrimSpace(name); name != "" {
			dst = append(dst, event.Actor{Name: name, Role: role})
		}
		s = rest
	}
	return dst
}

// span reads event_date with its time_precision. An unknown precision
// counts as an exact day: the date is what ACLED asserts.
func (cv *Converter) span(line int, date, prec string) (event.Span, *ingest.RowError) {
	if date == "" {
		return event.Span{}, cv.rowError(line, "event_date", "missing", "")
	}
	y, m, d, ok := isoDate(date)
	if ok && prec != "2" && prec != "3" {
		return utcDay(y, m, d), nil
	}
	if !ok {
		dt, reason := cv.date.Parse(date)
		if reason != "" {
			return event.Span{}, cv.rowError(line, "event_date", reason, date)
		}
		y, m, d = dt.Y, dt.M, dt.D
	}
	switch prec {
	case "2":
		return event.Span{
			Start:     time.Date(y, m, d-3, 0, 0, 0, 0, time.UTC),
			End:       time.Date(y, m, d+4, 0, 0, 0, 0, time.UTC),
			Precision: event.TimeWeek,
		}, nil
	case "3":
		return ingest.MonthSpan(y, m, time.UTC), nil
	}
	return ingest.DaySpan(y, m, d, time.UTC), nil
}

func geoPrecision(s string) event.GeoPrecision {
	switch s {
	case "1":
		return event.GeoTown
	case "2":
		return event.GeoNear
	case "3":
		return event.GeoAdmin1
	}
	return event.GeoUnknown
}

// isoDate is ingest.ParseISODate without time.Date, which is most of the
// cost of a row that is only checked: "YYYY-MM-DD", a day that exists.
func isoDate(s string) (y int, m time.Month, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	n := 0
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d = n/10000, time.Month(n/100%100), n%100
	if y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// daysIn is the length of a month of the proleptic Gregorian calendar.
func daysIn(m time.Month, y int) int {
	if m == time.February {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + int((m+m/8)&1)
}

// utcDay is ingest.DaySpan(y, m, d, time.UTC), the same time.Time values,
// from the day number instead of time.Date.
func utcDay(y int, m time.Month, d int) event.Span {
	days := daysFromCivil(y, m, d)
	return event.Span{
		Start:     time.Unix(days*86400, 0).UTC(),
		End:       time.Unix((days+1)*86400, 0).UTC(),
		Precision: event.TimeDay,
	}
}

// daysFromCivil counts days from 1970-01-01 to a date of the proleptic
// Gregorian calendar, y >= 1 (H. Hinnant's algorithm).
func daysFromCivil(y int, m time.Month, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097+doe) - 719468
}
