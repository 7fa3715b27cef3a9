package ucdp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRealSamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    func([]byte) ingest.Reader
		path []string
		rows int
	}{
		{"csv 1000", csvReader, []string{"ucdp-ged-sample", "ged231_sample_1000.csv"}, 1000},
		{"csv ukraine", csvReader, []string{"ucdp-ged-sample", "ged231_sample_ukraine.csv"}, 26},
		{"geojson CAR", geoReader, []string{"ucdp-ged-car-geojson", "GEDEvent_v23_1_CAR.geojson"}, 1848},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ingesttest.Drain(t, tc.r(ingesttest.Read(t, tc.path...)), 1e6)
			if res.Fatal != nil {
				t.Fatal(res.Fatal)
			}
			if len(res.Records) != tc.rows || len(res.Bad) != 0 {
				t.Fatalf("got %d records, %d bad (%v); want %d, 0", len(res.Records), len(res.Bad), res.Bad, tc.rows)
			}
			for _, rec := range res.Records {
				ev := rec.Event
				if ev.Place.Country == "" || ev.Fatalities == nil || ev.Place.Lat == nil || ev.Hash != ingest.Hash(ev.Raw) {
					t.Errorf("line %d: incomplete %+v", rec.Line, ev)
				}
			}
		})
	}
}

func csvReader(b []byte) ingest.Reader { return NewReader(bytes.NewReader(b), "ged.csv") }
func geoReader(b []byte) ingest.Reader { return NewGeoJSONReader(bytes.NewReader(b), "ged.geojson") }

type want struct {
	line       int
	start, end string
	prec       event.TimePrecision
	place      event.Place
	lat, lon   float64
	sideA      string
	sideB      string
	kind       string
	fatalities int
}

func TestKnownRows(t *testing.T) {
	for _, tc := range []struct {
		file []string
		r    func([]byte) ingest.Reader
		rows map[string]want
	}{
		{[]string{"ucdp-ged-sample", "ged231_sample_ukraine.csv"}, csvReader, map[string]want{
			"154070": {line: 2, start: "2014-06-10", end: "2014-06-11", prec: event.TimeDay,
				place: event.Place{Name: "Kramatorsk airfield", Country: "UA", Admin1: "Donetsk oblast", Admin2: "Kramatorsk raion", Precision: event.GeoNear},
				lat:   48.7067, lon: 37.6302, sideA: "Government of Ukraine", sideB: "DPR", kind: "ground.clash", fatalities: 40},
			// date_prec 2: two days, labelled week.
			"155090": {line: 4, start: "2014-08-19", end: "2014-08-21", prec: event.TimeWeek,
				place: event.Place{Name: "Donetsk town", Country: "UA", Admin1: "Donetsk oblast", Admin2: "Donetsk City municipality", Precision: event.GeoNear},
				lat:   48, lon: 37.805278, sideA: "Government of Ukraine", sideB: "DPR", kind: "ground.clash", fatalities: 43},
		}},
		{[]string{"ucdp-ged-sample", "ged231_sample_1000.csv"}, csvReader, map[string]want{
			// One-sided violence known only to the country.
			"3231": {line: 6, start: "2000-04-04", end: "2000-04-05", prec: event.TimeDay,
				place: event.Place{Name: "Algeria", Country: "DZ", Precision: event.GeoCountry},
				lat:   28, lon: 3, sideA: "GIA", sideB: "Civilians", kind: "violence_civilians", fatalities: 13},
			// date_prec 5 over four months; its headline has a newline.
			"23308": {line: 50, start: "1993-03-20", end: "1993-08-01", prec: event.TimeYear,
				place: event.Place{Name: "Nord Kivu region", Country: "CD", Admin1: "Nord Kivu region", Precision: event.GeoAdmin1},
				lat:   -0.666667, lon: 28.75, sideA: "Banyarwanda", sideB: "Hunde, Nyanga", kind: "ground.clash", fatalities: 3000},
			// The row after it starts three lines on; where_prec 7 is a lake.
			"23893": {line: 53, start: "2004-11-01", end: "2004-12-01", prec: event.TimeMonth,
				place: event.Place{Name: "Lake Albert (off Irumu)", Country: "CD", Admin1: "Orientale province", Admin2: "Irumu territory", Precision: event.GeoUnknown},
				lat:   1.3, lon: 30.5, sideA: "FRPI", sideB: "Civilians", kind: "violence_civilians", fatalities: 10},
		}},
		{[]string{"ucdp-ged-car-geojson", "GEDEvent_v23_1_CAR.geojson"}, geoReader, map[string]want{
			"36211": {line: 7, start: "2009-08-07", end: "2009-09-11", prec: event.TimeYear,
				place: event.Place{Name: "Southeast Central African Republic", Country: "CF", Precision: event.GeoAdmin1},
				lat:   5.399784, lon: 26.486881, sideA: "Government of Uganda", sideB: "LRA", kind: "ground.clash", fatalities: 4},
			"457726": {line: 1853, start: "2022-11-05", end: "2022-11-06", prec: event.TimeDay,
				place: event.Place{Name: "Gpt Tagbara village", Country: "CF", Admin1: "Ouaka province", Admin2: "Bambari region", Precision: event.GeoTown},
				lat:   5.933953, lon: 21.162894, sideA: "CPC", sideB: "Civilians", kind: "violence_civilians", fatalities: 1},
		}},
	} {
		res := ingesttest.Drain(t, tc.r(ingesttest.Read(t, tc.file...)), 1e6)
		found := 0
		for _, rec := range res.Records {
			w, ok := tc.rows[rec.Event.SourceID]
			if !ok {
				continue
			}
			found++
			checkEvent(t, rec, w)
		}
		if found != len(tc.rows) {
			t.Errorf("%s: found %d of %d known rows", tc.file[1], found, len(tc.rows))
		}
	}
}

func checkEvent(t *testing.T, rec ingest.Record, w want) {
	t.Helper()
	ev := rec.Event
	id := ev.SourceID
	if rec.Line != w.line {
		t.Errorf("%s: line %d, want %d", id, rec.Line, w.line)
	}
	if ev.Source != "ucdp-ged" {
		t.Errorf("%s: source %q", id, ev.Source)
	}
	if !ev.Time.Start.Equal(day(w.start)) || !ev.Time.End.Equal(day(w.end)) || ev.Time.Precision != w.prec {
		t.Errorf("%s: time %v, want [%s, %s) %s", id, ev.Time, w.start, w.end, w.prec)
	}
	p := ev.Place
	p.Lat, p.Lon = nil, nil
	if p != w.place {
		t.Errorf("%s: place %+v\nwant %+v", id, p, w.place)
	}
	if ev.Place.Lat == nil || *ev.Place.Lat != w.lat || *ev.Place.Lon != w.lon {
		t.Errorf("%s: coordinates %v %v, want %v %v", id, ev.Place.Lat, ev.Place.Lon, w.lat, w.lon)
	}
	wantActors := []event.Actor{{Name: w.sideA, Role: "side_a"}, {Name: w.sideB, Role: "side_b"}}
	if len(ev.Actors) != 2 || ev.Actors[0] != wantActors[0] || ev.Actors[1] != wantActors[1] {
		t.Errorf("%s: actors %+v, want %+v", id, ev.Actors, wantActors)
	}
	if ev.Kind != w.kind || ev.KindReason == nil || ev.KindReason.Field != "type_of_violence" {
		t.Errorf("%s: kind %s %+v, want %s", id, ev.Kind, ev.KindReason, w.kind)
	}
	if *ev.Fatalities != w.fatalities {
		t.Errorf("%s: fatalities %d, want %d", id, *ev.Fatalities, w.fatalities)
	}
}

func TestCSVEdgeCases(t *testing.T) {
	const h = "id,date_start,date_end,date_prec,where_prec,latitude,longitude,best,low,high,type_of_violence,side_a,side_b\n"
	for _, tc := range []struct {
		name string
		in   string
		ids  []string
		errs []string
	}{
		{"plain dates and BOM", "\uFEFF" + h + "7,2022-03-01,2022-03-01,1,1,50,30,3,2,4,1,A,B\n", []string{"7"}, nil},
		{"end before start", h + "7,2022-03-02,2022-03-01,1,1,50,30,3,2,4,1,A,B\n8,2022-03-01,2022-03-01,1,1,50,30,3,2,4,1,A,B\n",
			[]string{"8"}, []string{`ged.csv:2: field "date_end": before date_start (2022-03-01)`}},
		{"bad date", h + "7,1 March,2022-03-01,1,1,50,30,3,2,4,1,A,B\n", nil,
			[]string{`ged.csv:2: field "date_start": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (1 March)`}},
		{"bad best", h + "7,2022-03-01,2022-03-01,1,1,50,30,-1,2,4,1,A,B\n", nil,
			[]string{`ged.csv:2: field "best": not a count (-1)`}},
		{"bad latitude", h + "7,2022-03-01,2022-03-01,1,1,95,30,1,2,4,1,A,B\n", nil,
			[]string{`ged.csv:2: field "latitude": not a latitude (95)`}},
		{"reordered, few columns", "date_end,id,date_start\n2022-03-01,9,2022-03-01\n", []string{"9"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ingesttest.Drain(t, NewReader(strings.NewReader(tc.in), "ged.csv"), 100)
			if res.Fatal != nil {
				t.Fatal(res.Fatal)
			}
			var ids, errs []string
			for _, r := range res.Records {
				ids = append(ids, r.Event.SourceID)
			}
			for _, e := range res.Bad {
				errs = append(errs, e.Error())
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") || strings.Join(errs, "\n") != strings.Join(tc.errs, "\n") {
				t.Errorf("got %v %q, want %v %q", ids, errs, tc.ids, tc.errs)
			}
		})
	}
	res := ingesttest.Drain(t, NewReader(strings.NewReader("id,date_start\n1,2022-01-01\n"), "ged.csv"), 10)
	if !errors.Is(res.Fatal, ingest.ErrFormat) || res.Fatal.Error() != `ged.csv:1: missing required column "date_end"` {
		t.Errorf("missing column: %v", res.Fatal)
	}
}

const feat = `{"type":"Feature","properties":{"id":%s,"date_start":"2022-03-01T00:00:00","date_end":"2022-03-01T00:00:00","best":2,"side_a":"A","type_of_violence":1},"geometry":{"type":"Point","coordinates":[30.5,50.25]}}`

func features(ids ...string) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, strings.Replace(feat, "%s", id, 1))
	}
	return strings.Join(parts, ",\n")
}

func TestGeoJSONEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		ids   []string
		lines []int
		errs  []string
		fatal string
	}{
		{name: "features first, members after",
			in:  "{\"features\": [\n" + features("1", "2") + "\n], \"bbox\": [1,2,3,4], \"type\": \"FeatureCollection\"}\n",
			ids: []string{"1", "2"}, lines: []int{2, 3}},
		{name: "one line", in: `{"type":"FeatureCollection","features":[` + strings.ReplaceAll(features("1", "2"), "\n", "") + `]}`,
			ids: []string{"1", "2"}, lines: []int{1, 1}},
		{name: "bad features are row errors",
			in: "{\"type\":\"FeatureCollection\",\"features\":[\n5,\n" + features("1") + ",\n{\"properties\":{\"id\":3,\"date_start\":\"x\",\"date_end\":\"2022-01-01\"}},\n" +
				"{\"properties\":{\"id\":4,\"date_start\":\"2022-01-01\",\"date_end\":\"2022-01-01\"},\"geometry\":{\"type\":\"LineString\"}},\n{\"properties\":[]}\n]}",
			ids: []string{"1"}, lines: []int{3},
			errs: []string{"ged.geojson:2: feature is not an object (number)", `ged.geojson:4: field "date_start": not a date (want YYYY-MM-DD) (x)`,
				`ged.geojson:5: field "geometry": not a Point with coordinates`, `ged.geojson:6: field "properties": not an object`}},
		{name: "empty collection", in: `{"type":"FeatureCollection","features":[]}`},
		{name: "not a collection", in: `{"type":"Feature","features":[]}`, fatal: "ged.geojson:1: not a GeoJSON FeatureCollection"},
		{name: "no features", in: `{"type":"FeatureCollection"}`, fatal: "ged.geojson:1: no features array"},
		{name: "truncated", in: "{\"type\":\"FeatureCollection\",\"features\":[\n" + features("1") + ",\n{\"properties\":",
			ids: []string{"1"}, lines: []int{2}, fatal: "ged.geojson:3: truncated JSON"},
		{name: "syntax error", in: "{\"type\":\"FeatureCollection\",\"features\":[\n" + features("1") + ",\n{\"properties\" 5}]}",
			ids: []string{"1"}, lines: []int{2}, fatal: "ged.geojson:3: invalid JSON: invalid character '5' after object key"},
		{name: "trailing data", in: `{"type":"FeatureCollection","features":[]} {}`, fatal: "ged.geojson:1: data after the FeatureCollection"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ingesttest.Drain(t, NewGeoJSONReader(strings.NewReader(tc.in), "ged.geojson"), 100)
			var ids, errs []string
			var lines []int
			for _, r := range res.Records {
				ids = append(ids, r.Event.SourceID)
				lines = append(lines, r.Line)
			}
			for _, e := range res.Bad {
				errs = append(errs, e.Error())
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") || strings.Join(errs, "\n") != strings.Join(tc.errs, "\n") || len(lines) != len(tc.lines) {
				t.Fatalf("got %v at %v, %q; want %v at %v, %q", ids, lines, errs, tc.ids, tc.lines, tc.errs)
			}
			for i := range lines {
				if lines[i] != tc.lines[i] {
					t.Errorf("lines %v, want %v", lines, tc.lines)
				}
			}
			if tc.fatal == "" && res.Fatal != nil || tc.fatal != "" && (res.Fatal == nil || res.Fatal.Error() != tc.fatal || !errors.Is(res.Fatal, ingest.ErrFormat)) {
				t.Errorf("fatal %v, want %q", res.Fatal, tc.fatal)
			}
		})
	}
}

// The GeoJSON raw record is canonical: key order and blanks do not matter.
func TestGeoJSONRawCanonical(t *testing.T) {
	a := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1,"side_b":"","date_start":"2022-03-01","date_end":"2022-03-01","note":null},"geometry":{"type":"Point","coordinates":[30.5,50.25]}}]}`
	b := `{"features":[{"geometry":{ "coordinates":[30.5, 50.25], "type":"Point"},"properties":{"date_end":"2022-03-01","date_start":"2022-03-01","id":1}}]}`
	ra := ingesttest.Drain(t, NewGeoJSONReader(strings.NewReader(a), "a"), 10).Records[0].Event
	rb := ingesttest.Drain(t, NewGeoJSONReader(strings.NewReader(b), "b"), 10).Records[0].Event
	const wantRaw = `{"date_end":"2022-03-01","date_start":"2022-03-01","geometry":{"coordinates":[30.5,50.25],"type":"Point"},"id":1}`
	if string(ra.Raw) != wantRaw || ra.Hash != ingest.Hash(ra.Raw) {
		t.Errorf("raw %s, want %s", ra.Raw, wantRaw)
	}
	if rb.Hash != ra.Hash {
		t.Errorf("hash depends on layout: %s vs %s", ra.Raw, rb.Raw)
	}
}

func FuzzUCDP(f *testing.F) {
	for _, s := range ingesttest.Seeds("id,date_start,date_end,side_a,source_headline", "7,{date},{date},{text},{text}") {
		f.Add(s, false)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1,"date_start":"2015-01-01","date_end":"NA","side_a":null},"geometry":null}]}`), true)
	f.Add(ingesttest.Sample(f, 10, "ucdp-ged-sample", "ged231_sample_ukraine.csv"), false)
	f.Add(ingesttest.Sample(f, 8, "ucdp-ged-sample", "ged231_sample_1000.csv"), false)
	if geo := ingesttest.Sample(f, 8, "ucdp-ged-car-geojson", "GEDEvent_v23_1_CAR.geojson"); geo != nil {
		f.Add(append(geo, "]}"...), true)
	}
	f.Fuzz(func(t *testing.T, in []byte, geo bool) {
		var r ingest.Reader = NewReader(bytes.NewReader(in), "fuzz.csv")
		if geo {
			r = NewGeoJSONReader(bytes.NewReader(in), "fuzz.geojson")
		}
		res := ingesttest.Drain(t, r, len(in)+10)
		if res.Fatal != nil && !errors.Is(res.Fatal, ingest.ErrFormat) {
			t.Fatalf("undocumented fatal error: %v", res.Fatal)
		}
	})
}

func BenchmarkUCDPCSV(b *testing.B) {
	ingesttest.Benchmark(b, ingesttest.Read(b, "ucdp-ged-sample", "ged231_sample_1000.csv"), csvReader)
}

func BenchmarkUCDPGeoJSON(b *testing.B) {
	ingesttest.Benchmark(b, ingesttest.Read(b, "ucdp-ged-car-geojson", "GEDEvent_v23_1_CAR.geojson"), geoReader)
}
