// Package ucdp reads the UCDP Georeferenced Event Dataset (GED): the
// 49-column CSV release and its GeoJSON variant (a FeatureCollection of
// points whose properties are the CSV columns less the coordinates).
//
// Time: date_start and date_end are days with no zone, so the span is
// [date_start, date_end + 1 day) in UTC. date_prec says how sure UCDP is of
// that range: 1 the exact day, 2 a range of 2-6 days and 3 the week (both
// "week"), 4 a range of 8-30 days or the month ("month"), 5 more than a
// month within a year ("year"). The span is the range UCDP gives; precision
// is the label.
//
// Place: where_prec 1 is the named place ("town": GED geocodes a village or
// town, not the site), 2 within about 25 km of it ("near"), 3 the second
// order administrative unit ("admin2"), 4 the first ("admin1"), 5 a region
// or linear feature such as a border or road, kept as "admin1", 6 only the
// country, 7 international waters or airspace ("unknown"). The country comes
// from the Gleditsch-Ward number in country_id.
//
// Kind: type_of_violence 1 (state-based) and 2 (non-state) are
// ground.clash, 3 (one-sided) is violence_civilians. GED does not say how a
// death was caused, so no strike kind is guessed from the headlines.
//
// Actors are side_a and side_b. Fatalities is the best estimate; low and high
// stay in Raw.
package ucdp

import (
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Source is the Event.Source of UCDP GED events.
const Source = "ucdp-ged"

// The columns the conversion reads.
const (
	cID = iota
	cDateStart
	cDateEnd
	cDatePrec
	cWherePrec
	cSideA
	cSideB
	cBest
	cViolence
	cCountryID
	cAdm1
	cAdm2
	cWhere
	cLat
	cLon
	cHeadline
	cArticle
	nCols
)

var colNames = [nCols]string{
	cID: "id", cDateStart: "date_start", cDateEnd: "date_end", cDatePrec: "date_prec",
	cWherePrec: "where_prec", cSideA: "side_a", cSideB: "side_b", cBest: "best",
	cViolence: "type_of_violence", cCountryID: "country_id", cAdm1: "adm_1", cAdm2: "adm_2",
	cWhere: "where_coordinates", cLat: "latitude", cLon: "longitude",
	cHeadline: "source_headline", cArticle: "source_article",
}

// values holds one record's known columns, trimmed; "" when absent.
type values [nCols]string

// box holds an event and everything it points to: one allocation a row.
type box struct {
	ev       event.Event
	lat, lon float64
	fat      int
	reason   event.Reason
	actors   [2]event.Actor
}

// convert builds the event of one record. The lat/lon columns are named in
// errors as latField/lonField (the GeoJSON variant has them in geometry).
// dates are the date columns of a CSV release (date_start, date_end), with
// their layouts decided; nil for GeoJSON, whose dates are ISO.
func convert(file string, line int, v *values, dates []*ingest.DateColumn, latField, lonField string) (*event.Event, *ingest.RowError) {
	rowErr := func(field, reason, value string) *ingest.RowError {
		return &ingest.RowError{File: file, Line: line, Field: field, Reason: reason, Value: value}
	}
	if v[cID] == "" {
		return nil, rowErr("id", "missing", "")
	}
	start, reason := dateOf(v[cDateStart], dates, 0)
	if reason != "" {
		return nil, rowErr("date_start", reason, v[cDateStart])
	}
	end, reason := dateOf(v[cDateEnd], dates, 1)
	if reason != "" {
		return nil, rowErr("date_end", reason, v[cDateEnd])
	}
	if end.Before(start) {
		return nil, rowErr("date_end", "before date_start", v[cDateEnd])
	}

	b := &box{}
	ev := &b.ev
	ev.Source, ev.SourceID = Source, v[cID]
	ev.Time = event.Span{Start: start, End: end.AddDate(0, 0, 1), Precision: datePrecision(v[cDatePrec])}
	ev.Place = event.Place{
		Name:      v[cWhere],
		Country:   ingest.CountryFromGW(v[cCountryID]),
		Admin1:    v[cAdm1],
		Admin2:    v[cAdm2],
		Precision: wherePrecision(v[cWherePrec]),
	}
	if s := v[cLat]; s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < -90 || f > 90 {
			return nil, rowErr(latField, "not a latitude", s)
		}
		b.lat, ev.Place.Lat = f, &b.lat
	}
	if s := v[cLon]; s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < -180 || f > 180 {
			return nil, rowErr(lonField, "not a longitude", s)
		}
		b.lon, ev.Place.Lon = f, &b.lon
	}
	if s := v[cBest]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, rowErr("best", "not a count", s)
		}
		b.fat, ev.Fatalities = n, &b.fat
	}
	ev.Actors = b.actors[:0]
	if v[cSideA] != "" {
		ev.Actors = append(ev.Actors, event.Actor{Name: v[cSideA], Role: "side_a"})
	}
	if v[cSideB] != "" {
		ev.Actors = append(ev.Actors, event.Actor{Name: v[cSideB], Role: "side_b"})
	}
	if len(ev.Actors) == 0 {
		ev.Actors = nil
	}
	ev.Kind, b.reason = Classify(v[cViolence])
	ev.KindReason = &b.reason
	ev.Text = v[cHeadline]
	if ev.Text == "" {
		ev.Text = v[cArticle]
	}
	return ev, nil
}

// Classify maps type_of_violence to a kind; see the package comment.
func Classify(typeOfViolence string) (string, event.Reason) {
	kind, rule := "other", "unknown type of violence"
	switch typeOfViolence {
	case "1":
		kind, rule = "ground.clash", "state-based conflict"
	case "2":
		kind, rule = "ground.clash", "non-state conflict"
	case "3":
		kind, rule = "violence_civilians", "one-sided violence"
	}
	return kind, event.Reason{Term: kind, Field: "type_of_violence", Match: typeOfViolence, Rule: rule}
}

// dateOf reads a date column: ISO on the fast path, else through its
// DateColumn, if any.
func dateOf(s string, dates []*ingest.DateColumn, i int) (time.Time, string) {
	if t, ok := parseDay(s); ok {
		return t, ""
	}
	if dates == nil {
		return time.Time{}, "not a date (want YYYY-MM-DD)"
	}
	dt, reason := dates[i].Parse(s)
	if reason != "" {
		return time.Time{}, reason
	}
	return time.Date(dt.Y, dt.M, dt.D, 0, 0, 0, 0, time.UTC), ""
}

// parseDay reads the day of "2014-06-10", "2014-06-10 00:00:00.000" (the CSV
// release) or "2014-06-10T00:00:00" (the GeoJSON); GED has no times of day.
func parseDay(s string) (time.Time, bool) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	y, m, d, ok := ingest.ParseISODate(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
}

func datePrecision(s string) event.TimePrecision {
	switch s {
	case "2", "3":
		return event.TimeWeek
	case "4":
		return event.TimeMonth
	case "5":
		return event.TimeYear
	}
	return event.TimeDay
}

func wherePrecision(s string) event.GeoPrecision {
	switch s {
	case "1":
		return event.GeoTown
	case "2":
		return event.GeoNear
	case "3":
		return event.GeoAdmin2
	case "4", "5":
		return event.GeoAdmin1
	case "6":
		return event.GeoCountry
	}
	return event.GeoUnknown
}

// trim is strings.TrimSpace; named for the call sites' brevity.
func trim(s string) string { return strings.TrimSpace(s) }
