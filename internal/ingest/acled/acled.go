// Package acled reads ACLED's CSV export (the 31-column format) into
// events.
//
// Columns are found by header name: reordered, missing optional and extra
// columns, full quoting and a byte order mark are all fine. Required columns
// are event_id_cnty, event_date, event_type and sub_event_type. Dates are
// "YYYY-MM-DD" or "16 May 2025". Unknown enum values (the "Demostrations"
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
	src  io.Reader
	file string
	t    *ingest.Table
	c    columns
	err  error
}

// NewReader returns a reader of the ACLED CSV in r; file names it in
// messages. The header is read on the first call to Next.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{src: r, file: file}
}

func (r *Reader) start() error {
	t, err := ingest.NewTable(r.src, r.file)
	if err != nil {
		return err
	}
	if err := t.Require("event_id_cnty", "event_date", "event_type", "sub_event_type"); err != nil {
		return err
	}
	r.t = t
	r.c = columns{
		id: t.Col("event_id_cnty"), date: t.Col("event_date"), timePrec: t.Col("time_precision"),
		eventType: t.Col("event_type"), subType: t.Col("sub_event_type"),
		actor1: t.Col("actor1"), assoc1: t.Col("assoc_actor_1"),
		actor2: t.Col("actor2"), assoc2: t.Col("assoc_actor_2"),
		iso: t.Col("iso"), admin1: t.Col("admin1"), admin2: t.Col("admin2"), admin3: t.Col("admin3"),
		location: t.Col("location"), lat: t.Col("latitude"), lon: t.Col("longitude"),
		geoPr: t.Col("geo_precision"), notes: t.Col("notes"), fatalities: t.Col("fatalities"),
	}
	return nil
}

// Next returns the next event; see ingest.Reader for the contract.
func (r *Reader) Next() (ingest.Record, error) {
	if r.t == nil && r.err == nil {
		r.err = r.start()
	}
	if r.err != nil {
		return ingest.Record{}, r.err
	}
	row, err := r.t.Next()
	rec := ingest.Record{Line: row.Line, Raw: row.Raw}
	if err != nil {
		return rec, err
	}
	ev, rerr := r.convert(row)
	if rerr != nil {
		return rec, rerr
	}
	rec.Event = ev
	return rec, nil
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

func (r *Reader) rowError(line int, field, reason, value string) *ingest.RowError {
	return &ingest.RowError{File: r.file, Line: line, Field: field, Reason: reason, Value: value}
}

func (r *Reader) convert(row ingest.Row) (*event.Event, *ingest.RowError) {
	f, c := row.Fields, &r.c
	get := func(i int) string { return strings.TrimSpace(ingest.Get(f, i)) }

	id := get(c.id)
	if id == "" {
		return nil, r.rowError(row.Line, "event_id_cnty", "missing", "")
	}
	span, rerr := r.span(row.Line, get(c.date), get(c.timePrec))
	if rerr != nil {
		return nil, rerr
	}
	eventType, subType := get(c.eventType), get(c.subType)
	if eventType == "" && subType == "" {
		return nil, r.rowError(row.Line, "sub_event_type", "missing, and so is event_type", "")
	}

	b := &box{}
	ev := &b.ev
	ev.Source, ev.SourceID, ev.Time = Source, id, span
	ev.Raw, ev.Hash = row.Raw, row.Hash
	ev.Text = get(c.notes)

	ev.Place = event.Place{
		Name:      get(c.location),
		Country:   ingest.CountryFromISONumeric(get(c.iso)),
		Admin1:    get(c.admin1),
		Admin2:    get(c.admin2),
		Admin3:    get(c.admin3),
		Precision: geoPrecision(get(c.geoPr)),
	}
	if s := get(c.lat); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < -90 || v > 90 {
			return nil, r.rowError(row.Line, "latitude", "not a latitude", s)
		}
		b.lat, ev.Place.Lat = v, &b.lat
	}
	if s := get(c.lon); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < -180 || v > 180 {
			return nil, r.rowError(row.Line, "longitude", "not a longitude", s)
		}
		b.lon, ev.Place.Lon = v, &b.lon
	}
	if s := get(c.fatalities); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, r.rowError(row.Line, "fatalities", "not a count", s)
		}
		b.fat, ev.Fatalities = n, &b.fat
	}

	ev.Actors = b.actors[:0]
	ev.Actors = appendActors(ev.Actors, get(c.actor1), "actor1")
	ev.Actors = appendActors(ev.Actors, get(c.assoc1), "assoc_actor_1")
	ev.Actors = appendActors(ev.Actors, get(c.actor2), "actor2")
	ev.Actors = appendActors(ev.Actors, get(c.assoc2), "assoc_actor_2")
	if len(ev.Actors) == 0 {
		ev.Actors = nil
	}

	ev.Kind, b.reason = Classify(eventType, subType, ev.Text)
	ev.KindReason = &b.reason
	return ev, nil
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
func (r *Reader) span(line int, date, prec string) (event.Span, *ingest.RowError) {
	if date == "" {
		return event.Span{}, r.rowError(line, "event_date", "missing", "")
	}
	y, m, d, ok := ingest.ParseISODate(date)
	if !ok {
		y, m, d, ok = ingest.ParseDayMonthYear(date)
	}
	if !ok {
		return event.Span{}, r.rowError(line, "event_date", "not a date (want YYYY-MM-DD or 16 May 2025)", date)
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
