// Package gdelt reads the GDELT 2.0 events export: 61 tab-separated columns,
// no header, no quoting, one event a line, a file every 15 minutes. GDELT is
// machine-coded from news and noisy: its events are leads, never evidence
// on their own.
//
// Time: SQLDATE is the day of the event, a UTC day. (It can be a year before
// DATEADDED: GDELT dates what the article reports.)
//
// Place is the action's geography (ActionGeo_*). ActionGeo_Type 1 is a
// country, 2 a US state and 5 a state elsewhere (admin1), 3 a US city and 4
// a city elsewhere (town); 0 or empty has no place. Country codes are FIPS
// 10-4 (UP Ukraine, RS Russia): Place.Country has the ISO code, Raw keeps
// FIPS. Admin1 is GDELT's FIPS ADM1 code as given (UP12); naming it is the
// resolver's work.
//
// Kind comes from the CAMEO EventCode; see Classify.
package gdelt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Source is the Event.Source of GDELT events.
const Source = "gdelt"

// Columns are the 61 columns of the export, in order, as GDELT documents
// them ("GDELT 2.0 Event Database codebook"; the file has no header).
var Columns = [...]string{
	"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
	"Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
	"Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
	"Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
	"Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
	"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
	"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
	"Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
	"Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
	"Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
	"Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
	"ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
	"ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
	"DATEADDED", "SOURCEURL",
}

// Indexes of the columns the conversion reads.
const (
	colID         = 0
	colSQLDate    = 1
	colActor1Code = 5
	colActor1Name = 6
	colActor2Code = 15
	colActor2Name = 16
	colEventCode  = 26
	colGeoType    = 51
	colGeoName    = 52
	colGeoCountry = 53
	colGeoADM1    = 54
	colGeoLat     = 56
	colGeoLon     = 57
	colSourceURL  = 60
)

// Reader reads a GDELT events export. It implements ingest.Reader.
type Reader struct {
	file   string
	br     *bufio.Reader
	line   int
	raw    *ingest.RawBuilder
	fields []string
	long   []byte // a line longer than the buffer, pieced together
	seen   bool   // a record was read: the file's shape was checked
	err    error
}

// NewReader returns a reader of the export in r; file names it in messages.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{file: file, br: bufio.NewReaderSize(r, 64<<10), raw: ingest.NewRawBuilder(Columns[:])}
}

// Next returns the next event; see ingest.Reader for the contract. Blank
// lines are skipped.
func (r *Reader) Next() (ingest.Record, error) {
	for r.err == nil {
		line, err := r.readLine()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, ingest.ErrLimit) {
				err = fmt.Errorf("%s: %w", r.file, err)
			}
			r.err = err
			break
		}
		r.line++
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		if len(line) == 0 {
			continue
		}
		return r.record(string(line))
	}
	return ingest.Record{}, r.err
}

// readLine returns the next line without its '\n', or io.EOF after the
// last. The slice is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == nil {
		return line[:len(line)-1], nil
	}
	if errors.Is(err, bufio.ErrBufferFull) {
		r.long = append(r.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err == nil {
		return line[:len(line)-1], nil
	}
	if errors.Is(err, io.EOF) && len(line) > 0 {
		return line, nil // the last line has no '\n'
	}
	return nil, err
}

// record splits one line, held in s so the fields share its memory.
func (r *Reader) record(s string) (ingest.Record, error) {
	f := r.fields[:0]
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			f = append(f, s)
			break
		}
		f = append(f, s[:i])
		s = s[i+1:]
	}
	r.fields = f
	if !r.seen {
		r.seen = true
		if len(f) != len(Columns) {
			// The first record decides whether this is GDELT 2.0 at all,
			// so that another file is refused, not rejected row by row.
			r.err = ingest.FormatError(r.file, r.line, looksLike(s, len(f)))
			return ingest.Record{}, r.err
		}
	}
	bad := ingest.CleanFields(r.file, r.line, Columns[:], f)
	raw, hash := r.raw.Build(f)
	rec := ingest.Record{Line: r.line, Raw: raw}
	if bad != nil {
		return rec, bad
	}
	if len(f) != len(Columns) {
		return rec, r.rowError("", "has "+strconv.Itoa(len(f))+" fields, want "+strconv.Itoa(len(Columns)), "")
	}
	ev, rerr := r.convert(f)
	if rerr != nil {
		return rec, rerr
	}
	ev.Raw, ev.Hash = raw, hash
	rec.Event = ev
	return rec, nil
}

// looksLike says what a first line with n tab-separated fields is instead.
func looksLike(line string, n int) string {
	want := "; this reads GDELT 2.0 events exports (61 tab-separated fields, no header)"
	switch {
	case n == 57 || n == 58:
		return fmt.Sprintf("the first line has %d tab-separated fields: a GDELT 1.0 events file%s", n, want)
	case n == 1 && strings.Count(line, ",") >= 3:
		return "the first line is comma-separated: a CSV file, not a GDELT export (try --format auto)" + want
	case !utf8.ValidString(line) || strings.IndexByte(line, 0) >= 0:
		return "the first line is binary, not text: not a GDELT export" + want
	}
	return fmt.Sprintf("the first line has %d tab-separated fields: not a GDELT 2.0 events export%s", n, want)
}

func (r *Reader) rowError(field, reason, value string) *ingest.RowError {
	return &ingest.RowError{File: r.file, Line: r.line, Field: field, Reason: reason, Value: value}
}

// box holds an event and everything it points to: one allocation a row.
type box struct {
	ev       event.Event
	lat, lon float64
	reason   event.Reason
	actors   [2]event.Actor
}

func (r *Reader) convert(f []string) (*event.Event, *ingest.RowError) {
	if f[colID] == "" {
		return nil, r.rowError("GLOBALEVENTID", "missing", "")
	}
	date := f[colSQLDate]
	y, m, d, ok := parseSQLDate(date)
	if !ok {
		return nil, r.rowError("SQLDATE", "not a date (want YYYYMMDD)", date)
	}

	b := &box{}
	ev := &b.ev
	ev.Source, ev.SourceID = Source, f[colID]
	ev.Time = ingest.DaySpan(y, m, d, time.UTC)
	ev.Text = f[colSourceURL]
	ev.Place = event.Place{
		Name:      f[colGeoName],
		Country:   ingest.CountryFromFIPS(f[colGeoCountry]),
		Precision: geoPrecision(f[colGeoType]),
	}
	if a := f[colGeoADM1]; len(a) > 2 {
		ev.Place.Admin1 = a
	}
	if s := f[colGeoLat]; s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < -90 || v > 90 {
			return nil, r.rowError("ActionGeo_Lat", "not a latitude", s)
		}
		b.lat, ev.Place.Lat = v, &b.lat
	}
	if s := f[colGeoLon]; s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < -180 || v > 180 {
			return nil, r.rowError("ActionGeo_Long", "not a longitude", s)
		}
		b.lon, ev.Place.Lon = v, &b.lon
	}
	ev.Actors = b.actors[:0]
	ev.Actors = appendActor(ev.Actors, f[colActor1Name], f[colActor1Code], "actor1")
	ev.Actors = appendActor(ev.Actors, f[colActor2Name], f[colActor2Code], "actor2")
	if len(ev.Actors) == 0 {
		ev.Actors = nil
	}
	ev.Kind, b.reason = Classify(f[colEventCode])
	ev.KindReason = &b.reason
	return ev, nil
}

// parseSQLDate reads YYYYMMDD.
func parseSQLDate(s string) (int, time.Month, int, bool) {
	if len(s) != 8 {
		return 0, 0, 0, false
	}
	n := 0
	for i := 0; i < 8; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, time.Month(n/100%100), n%100
	return y, m, d, ingest.ValidDate(y, m, d)
}

// appendActor adds an actor by CAMEO code ("RUSMIL"), or by name when GDELT
// gives no code. Codes are what agreements alias: they are GDELT's stable
// identifiers, while names ("RUSSIA") are free text; both stay in Raw.
func appendActor(dst []event.Actor, name, code, role string) []event.Actor {
	if code != "" {
		name = code
	}
	if name == "" {
		return dst
	}
	return append(dst, event.Actor{Name: name, Role: role})
}

func geoPrecision(s string) event.GeoPrecision {
	switch s {
	case "1":
		return event.GeoCountry
	case "2", "5":
		return event.GeoAdmin1
	case "3", "4":
		return event.GeoTown
	}
	return event.GeoUnknown
}

// Classify maps a CAMEO event code to a kind. Codes are zero-padded strings
// ("0871"), never numbers.
//
//   - 0871 declare truce/ceasefire and 087 de-escalate: ceasefire_declared.
//   - 183x suicide, car and other bombings: explosion. The rest of 18x
//     (abduct, physically assault, assassinate, human shield):
//     violence_civilians.
//   - 190 conventional force and 193 small arms: ground.clash; 192 occupy
//     territory: ground.territory.
//   - 194 fight with artillery and tanks: strike.artillery, not
//     ground.clash, because the taxonomy files shelling under strikes and a
//     strike commitment must see it.
//   - 195 aerial weapons: strike.air (GDELT has no drone sub-code).
//   - 196 violate ceasefire: "strike", the generic parent. GDELT does not say
//     by what means; most reported ceasefire violations are fire at a
//     distance, and the parent keeps it inside strike commitments without
//     claiming a means.
//   - 20x mass violence: violence_civilians, 204x weapons of mass destruction:
//     strike.
//   - 14x protest: protest, 145x violent protest: riot.
//   - everything else, 191 blockade included: other.
func Classify(code string) (string, event.Reason) {
	kind, rule := classify(code)
	return kind, event.Reason{Term: kind, Field: "EventCode", Match: code, Rule: rule}
}

func classify(c string) (kind, rule string) {
	switch {
	case c == "0871":
		return "ceasefire_declared", "CAMEO 0871 declare truce, ceasefire"
	case c == "087":
		return "ceasefire_declared", "CAMEO 087 de-escalate military engagement"
	case hasPrefix(c, "183"):
		return "explosion", "CAMEO 183 bombing"
	case hasPrefix(c, "18"):
		return "violence_civilians", "CAMEO 18 assault"
	case c == "190" || c == "193":
		return "ground.clash", "CAMEO 190/193 fight"
	case c == "192":
		return "ground.territory", "CAMEO 192 occupy territory"
	case hasPrefix(c, "194"):
		return "strike.artillery", "CAMEO 194 fight with artillery and tanks"
	case hasPrefix(c, "195"):
		return "strike.air", "CAMEO 195 employ aerial weapons"
	case c == "196":
		return "strike", "CAMEO 196 violate ceasefire"
	case hasPrefix(c, "204"):
		return "strike", "CAMEO 204 weapons of mass destruction"
	case hasPrefix(c, "20"):
		return "violence_civilians", "CAMEO 20 unconventional mass violence"
	case hasPrefix(c, "145"):
		return "riot", "CAMEO 145 protest violently"
	case hasPrefix(c, "14"):
		return "protest", "CAMEO 14 protest"
	}
	return "other", "CAMEO code outside the mapped ones"
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
