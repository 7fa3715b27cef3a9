package mapped

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Reader reads a table through a mapping. It implements ingest.Reader.
type Reader struct {
	m     *Mapping
	file  string
	t     *ingest.Table
	loc   *time.Location
	ploc  *time.Location
	cols  map[string]int
	idSep []byte
}

// NewReader reads the header of r and checks that every column the mapping
// names is there; a missing column is a fatal format error.
func NewReader(r io.Reader, file string, m *Mapping) (*Reader, error) {
	t, err := ingest.NewTable(r, file)
	if err != nil {
		return nil, err
	}
	if err := t.Require(m.columns()...); err != nil {
		return nil, err
	}
	loc, _ := time.LoadLocation(m.Time.TimeZone) // validated by Parse
	ploc := loc
	if m.Published != nil {
		ploc, _ = time.LoadLocation(m.Published.TimeZone)
	}
	cols := map[string]int{}
	for _, c := range m.columns() {
		cols[c] = t.Col(c)
	}
	return &Reader{m: m, file: file, t: t, loc: loc, ploc: ploc, cols: cols}, nil
}

func (r *Reader) get(fields []string, col string) string {
	if col == "" {
		return ""
	}
	return strings.TrimSpace(ingest.Get(fields, r.cols[col]))
}

// value reads a Field: its constant, or its column mapped through Map.
func (r *Reader) value(fields []string, f *Field) string {
	if f == nil {
		return ""
	}
	if f.Value != "" {
		return f.Value
	}
	return f.apply(r.get(fields, f.Column))
}

// apply maps one value through Map and Default.
func (f *Field) apply(v string) string {
	for from, to := range f.Map {
		if strings.EqualFold(from, v) {
			return to
		}
	}
	if v == "" || (len(f.Map) > 0 && f.Default != "") {
		return f.Default
	}
	return v
}

// values reads a multi-valued Field: the cell split by sep, each part mapped;
// parts that map to nothing are dropped.
func (r *Reader) values(fields []string, f *Field, sep string) []string {
	if f == nil {
		return nil
	}
	if f.Value != "" || sep == "" {
		if v := r.value(fields, f); v != "" {
			return []string{v}
		}
		return nil
	}
	var out []string
	for _, part := range strings.Split(r.get(fields, f.Column), sep) {
		if v := f.apply(strings.TrimSpace(part)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Next returns the next record: an event or a claim as the mapping says.
func (r *Reader) Next() (ingest.Record, error) {
	row, err := r.t.Next()
	rec := ingest.Record{Line: row.Line, Raw: row.Raw}
	if err != nil {
		return rec, err
	}
	bad := func(field, reason, value string) (ingest.Record, error) {
		return rec, &ingest.RowError{File: r.file, Line: row.Line, Field: field, Reason: reason, Value: value}
	}
	f := row.Fields
	id := r.sourceID(f)
	if id == "" {
		return bad(r.m.ID.Column, "empty id", "")
	}
	span, err := r.span(f, &r.m.Time, r.loc)
	if err != nil {
		return bad(r.m.Time.Column, err.Error(), r.get(f, r.m.Time.Column))
	}
	var texts []string
	for _, c := range r.m.Text {
		if v := r.get(f, c); v != "" {
			texts = append(texts, v)
		}
	}
	text := strings.Join(texts, "\n\n")
	places, err := r.places(f)
	if err != nil {
		return bad(r.m.Place.Lat, err.Error(), r.get(f, r.m.Place.Lat)+","+r.get(f, r.m.Place.Lon))
	}
	kind := r.value(f, r.m.Kind)

	if r.m.Record == RecordEvent {
		e := &event.Event{Source: r.m.Source, SourceID: id, Time: span, Kind: kind, Text: text, Raw: row.Raw, Hash: row.Hash}
		if len(places) > 0 {
			e.Place = places[0]
		} else {
			e.Place.Precision = event.GeoUnknown
		}
		for _, a := range r.m.Actors {
			if name := r.value(f, &a.Field); name != "" {
				e.Actors = append(e.Actors, event.Actor{Name: name, Role: a.Role})
			}
		}
		if r.m.Fatalities != nil {
			if v := r.value(f, r.m.Fatalities); v != "" {
				n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
				if err != nil || n < 0 {
					return bad(r.m.Fatalities.Column, "not a count of deaths", v)
				}
				e.Fatalities = &n
			}
		}
		if e.Kind == "" {
			e.Kind = "other"
		}
		rec.Event = e
		return rec, nil
	}

	c := &event.Claim{Source: r.m.Source, SourceID: id, Type: event.ClaimAllegation, Time: span, Places: places,
		Kind: kind, Text: text, URL: r.value(f, r.m.URL), Raw: row.Raw, Hash: row.Hash,
		Claimant: r.value(f, r.m.Claimant), Accused: r.value(f, r.m.Accused)}
	if t := r.value(f, r.m.Type); t != "" {
		if !validClaimType(t) {
			return bad(r.m.Type.Column, "claim type is not allegation, count or denial", t)
		}
		c.Type = event.ClaimType(t)
	}
	c.Answers = r.value(f, r.m.Answers)
	c.Published = span.Start
	if r.m.Published != nil {
		p, err := r.span(f, r.m.Published, r.ploc)
		if err != nil {
			return bad(r.m.Published.Column, err.Error(), r.get(f, r.m.Published.Column))
		}
		c.Published = p.Start
	}
	if cr := r.m.Count; cr != nil {
		n, ok, err := r.count(f, text)
		if err != nil {
			return bad(cr.Column, err.Error(), r.get(f, cr.Column))
		}
		if ok && n >= cr.Min && c.Type != event.ClaimDenial {
			c.Type, c.Count = event.ClaimCount, &n
			if c.Kind == "" {
				c.Kind = cr.Kind
			}
		}
	}
	rec.Claim = c
	return rec, nil
}

// sourceID is the id column, or a hash of the named columns for tables that
// have no id (a post is its time and its text).
func (r *Reader) sourceID(f []string) string {
	if r.m.ID.Column != "" {
		return r.get(f, r.m.ID.Column)
	}
	h := sha256.New()
	for _, c := range r.m.ID.Columns {
		v := r.get(f, c)
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{':'})
		h.Write([]byte(v))
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

func (r *Reader) span(f []string, tr *TimeRule, loc *time.Location) (event.Span, error) {
	start, prec, err := parseTime(r.get(f, tr.Column), tr.Layout, loc)
	if err != nil {
		return event.Span{}, err
	}
	if tr.Precision != "" {
		prec = tr.Precision
	}
	end := endOf(start, prec, loc)
	if tr.lookback > 0 {
		// A report of what happened in the hours before it was posted.
		end, start = start, start.Add(-tr.lookback)
	}
	if tr.End != "" {
		if v := r.get(f, tr.End); v != "" {
			e, eprec, err := parseTime(v, tr.Layout, loc)
			if err != nil {
				return event.Span{}, err
			}
			end = endOf(e, eprec, loc)
			if !end.After(start) {
				return event.Span{}, errEndBeforeStart
			}
		}
	}
	return event.Span{Start: start.UTC(), End: end.UTC(), Precision: prec}, nil
}

// reason is why a field could not be read; it becomes a RowError's reason.
type reason string

func (e reason) Error() string { return string(e) }

const (
	errEndBeforeStart = reason("end is not after start")
	errEmptyTime      = reason("empty time")
)

// parseTime reads a time and the precision its layout implies.
func parseTime(v, layout string, loc *time.Location) (time.Time, event.TimePrecision, error) {
	if v == "" {
		return time.Time{}, "", errEmptyTime
	}
	switch layout {
	case "unix":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, "", reason("not unix seconds")
		}
		return time.Unix(n, 0), event.TimeExact, nil
	case "rfc3339":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return time.Time{}, "", reason("not an RFC 3339 time")
		}
		return t, event.TimeExact, nil
	case "date":
		layout = time.DateOnly
	}
	t, err := time.ParseInLocation(layout, v, loc)
	if err != nil {
		return time.Time{}, "", reason("does not match layout " + strconv.Quote(layout))
	}
	return t, precisionOf(layout), nil
}

// precisionOf infers a precision from the finest element of a layout.
func precisionOf(layout string) event.TimePrecision {
	switch {
	case strings.Contains(layout, "04"):
		return event.TimeExact
	case strings.Contains(layout, "15"), strings.Contains(layout, "03"):
		return event.TimeHour
	case strings.Contains(layout, "02"), strings.Contains(layout, "_2"):
		return event.TimeDay
	case strings.Contains(layout, "01"), strings.Contains(layout, "Jan"):
		return event.TimeMonth
	}
	return event.TimeYear
}

// endOf is the end of the interval a time of the given precision stands for.
func endOf(t time.Time, p event.TimePrecision, loc *time.Location) time.Time {
	t = t.In(loc)
	switch p {
	case event.TimeHour:
		return t.Add(time.Hour)
	case event.TimeDay:
		return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
	case event.TimeWeek:
		return time.Date(t.Year(), t.Month(), t.Day()+7, 0, 0, 0, 0, loc)
	case event.TimeMonth:
		return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc)
	case event.TimeYear:
		return time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, loc)
	}
	return t.Add(time.Minute)
}

func (r *Reader) places(f []string) ([]event.Place, error) {
	pr := r.m.Place
	prec := pr.Precision
	base := event.Place{Country: r.value(f, pr.Country), Admin2: r.value(f, pr.Admin2)}
	if pr.Lat != "" {
		lat, lon := r.get(f, pr.Lat), r.get(f, pr.Lon)
		if lat != "" || lon != "" {
			la, err1 := strconv.ParseFloat(lat, 64)
			lo, err2 := strconv.ParseFloat(lon, 64)
			if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
				return nil, reason("not a latitude and longitude")
			}
			base.Lat, base.Lon = &la, &lo
			if prec == "" {
				prec = event.GeoExact
			}
		}
	}
	names := r.values(f, pr.Name, pr.Split)
	admin1 := r.values(f, pr.Admin1, pr.Split)
	n := max(len(names), len(admin1), 1)
	var out []event.Place
	for i := 0; i < n; i++ {
		p := base
		if i < len(names) {
			p.Name = names[i]
		}
		if i < len(admin1) {
			p.Admin1 = admin1[i]
		}
		if p.Name == "" && p.Admin1 == "" && p.Country == "" && p.Lat == nil {
			continue
		}
		p.Precision = prec
		if p.Precision == "" {
			switch {
			case p.Name != "":
				p.Precision = event.GeoTown
			case p.Admin1 != "":
				p.Precision = event.GeoAdmin1
			default:
				p.Precision = event.GeoCountry
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// count reads a count claim's number from its column or its text.
func (r *Reader) count(f []string, text string) (int, bool, error) {
	cr := r.m.Count
	var v string
	if cr.Column != "" {
		v = r.get(f, cr.Column)
	} else if m := cr.re.FindStringSubmatch(text); m != nil {
		v = m[1]
	}
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
	if err != nil || n < 0 {
		return 0, false, reason("not a count")
	}
	return n, true, nil
}
