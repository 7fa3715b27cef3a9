package acled

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

func sample(tb testing.TB, name string) []byte {
	tb.Helper()
	return ingesttest.Read(tb, "acled-sample-acledR", name)
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRealSamples(t *testing.T) {
	for _, tc := range []struct {
		file string
		rows int
	}{
		{"acled_sample_9000_2022H1.csv", 9000},
		{"acled_sample_ukraine_2022H1.csv", 690},
		{"acled_sample_argentina_326.csv", 326},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t, tc.file)), tc.file), 1e6)
			if res.Fatal != nil {
				t.Fatal(res.Fatal)
			}
			if len(res.Records) != tc.rows || len(res.Bad) != 0 {
				t.Fatalf("got %d records, %d bad rows (%v); want %d, 0", len(res.Records), len(res.Bad), res.Bad, tc.rows)
			}
			seen := map[string]bool{}
			for _, rec := range res.Records {
				ev := rec.Event
				if seen[ev.SourceID] {
					t.Errorf("duplicate source id %s", ev.SourceID)
				}
				seen[ev.SourceID] = true
				if ev.Place.Country == "" || ev.Kind == "" || ev.KindReason == nil || ev.Hash != ingest.Hash(ev.Raw) {
					t.Errorf("line %d: country %q kind %q reason %v", rec.Line, ev.Place.Country, ev.Kind, ev.KindReason)
				}
			}
		})
	}
}

// want is the part of an event a known-row test checks exactly.
type want struct {
	line       int
	start, end string
	prec       event.TimePrecision
	place      event.Place
	lat, lon   float64
	actors     []event.Actor
	kind       string
	reason     event.Reason
	fatalities int
}

func TestKnownRows(t *testing.T) {
	ru := event.Actor{Name: "Military Forces of Russia (2000-)", Role: "actor1"}
	cases := map[string]want{
		// The first row: an abduction, exact day and town.
		"UKR56925": {
			line: 2, start: "2022-04-30", end: "2022-05-01", prec: event.TimeDay,
			place: event.Place{Name: "Zmiivka", Country: "UA", Admin1: "Kherson", Admin2: "Beryslavskyi", Admin3: "Beryslavska", Precision: event.GeoTown},
			lat:   46.8646, lon: 33.5835,
			actors: []event.Actor{ru, {Name: "Civilians (Ukraine)", Role: "actor2"}, {Name: "Government of Ukraine (2019-)", Role: "assoc_actor_2"}},
			kind:   "violence_civilians", reason: event.Reason{Term: "violence_civilians", Field: "sub_event_type", Match: "Abduction/forced disappearance"},
		},
		// A shoot-down, coded to the region (geo_precision 3).
		"UKR55743": {
			start: "2022-04-14", end: "2022-04-15", prec: event.TimeDay,
			place: event.Place{Name: "Kharkiv", Country: "UA", Admin1: "Kharkiv", Admin2: "Kharkivskyi", Admin3: "Kharkivska", Precision: event.GeoAdmin1},
			lat:   49.9808, lon: 36.2527,
			actors: []event.Actor{{Name: "Military Forces of Ukraine (2019-)", Role: "actor1"}, {Name: "Military Forces of Russia (2000-)", Role: "actor2"}},
			kind:   "interception", reason: event.Reason{Term: "interception", Field: "notes", Match: "interception", Rule: "Disrupted weapons use: shoot-down"},
		},
		// time_precision 3: the month of March.
		"UKR54933": {
			start: "2022-03-01", end: "2022-04-01", prec: event.TimeMonth,
			place: event.Place{Name: "Bucha", Country: "UA", Admin1: "Kyiv", Admin2: "Buchanskyi", Admin3: "Buchanska", Precision: event.GeoTown},
			lat:   50.5435, lon: 30.212,
			actors: []event.Actor{ru, {Name: "Military Forces of Russia (2000-) Chechen Battalion of Ramzan Kadyrov", Role: "assoc_actor_1"},
				{Name: "Civilians (Ukraine)", Role: "actor2"}, {Name: "Women (Ukraine)", Role: "assoc_actor_2"}},
			kind: "violence_civilians", reason: event.Reason{Term: "violence_civilians", Field: "sub_event_type", Match: "Sexual violence"},
		},
		// time_precision 2: the week centred on 16 March.
		"UKR54915": {
			start: "2022-03-13", end: "2022-03-20", prec: event.TimeWeek,
			place: event.Place{Name: "Yasnohorodka", Country: "UA", Admin1: "Kyiv", Admin2: "Fastivskyi", Admin3: "Byshivska", Precision: event.GeoTown},
			lat:   50.3532, lon: 30.0114,
			actors: []event.Actor{ru},
			kind:   "strike.artillery", reason: event.Reason{Term: "strike.artillery", Field: "sub_event_type", Match: "Shelling/artillery/missile attack"},
		},
		// Air/drone strike whose notes name drones; near a town.
		"UKR59088": {
			start: "2022-06-01", end: "2022-06-02", prec: event.TimeDay,
			place: event.Place{Name: "Krasnopillia", Country: "UA", Admin1: "Sumy", Admin2: "Sumskyi", Admin3: "Kpasnopilska", Precision: event.GeoNear},
			lat:   50.7746, lon: 35.2597,
			actors: []event.Actor{{Name: "Military Forces of Russia (2000-) Air Force", Role: "actor1"}},
			kind:   "strike.drone", reason: event.Reason{Term: "strike.drone", Field: "notes", Match: "drone", Rule: "Air/drone strike naming a drone"},
		},
		// Two associated actors in one field; a death; "missiles" in notes.
		"UKR56796": {
			start: "2022-04-29", end: "2022-04-30", prec: event.TimeDay,
			place: event.Place{Name: "Donetsk - Petrovskyi", Country: "UA", Admin1: "Donetsk", Admin2: "Donetskyi", Admin3: "Donetska", Precision: event.GeoTown},
			lat:   47.9495, lon: 37.6138,
			actors: []event.Actor{{Name: "Military Forces of Ukraine (2019-)", Role: "actor1"}, {Name: "NAF: United Armed Forces of Novorossiya", Role: "actor2"},
				{Name: "Donbass People's Militia", Role: "assoc_actor_2"}, {Name: "Civilians (Ukraine)", Role: "assoc_actor_2"}},
			kind:       "strike.missile",
			reason:     event.Reason{Term: "strike.missile", Field: "notes", Match: "missile", Rule: "Shelling/artillery/missile attack naming a missile"},
			fatalities: 1,
		},
	}
	res := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t, "acled_sample_ukraine_2022H1.csv")), "ukr.csv"), 1e6)
	found := 0
	for _, rec := range res.Records {
		w, ok := cases[rec.Event.SourceID]
		if !ok {
			continue
		}
		found++
		checkEvent(t, rec, w)
	}
	if found != len(cases) {
		t.Fatalf("found %d of %d known rows", found, len(cases))
	}
}

func checkEvent(t *testing.T, rec ingest.Record, w want) {
	t.Helper()
	ev := rec.Event
	id := ev.SourceID
	if w.line != 0 && rec.Line != w.line {
		t.Errorf("%s: line %d, want %d", id, rec.Line, w.line)
	}
	if ev.Source != "acled" {
		t.Errorf("%s: source %q", id, ev.Source)
	}
	if !ev.Time.Start.Equal(day(w.start)) || !ev.Time.End.Equal(day(w.end)) || ev.Time.Precision != w.prec {
		t.Errorf("%s: time %v, want [%s, %s) %s", id, ev.Time, w.start, w.end, w.prec)
	}
	gotPlace := ev.Place
	gotPlace.Lat, gotPlace.Lon = nil, nil
	if gotPlace != w.place {
		t.Errorf("%s: place %+v\nwant %+v", id, gotPlace, w.place)
	}
	if ev.Place.Lat == nil || *ev.Place.Lat != w.lat || ev.Place.Lon == nil || *ev.Place.Lon != w.lon {
		t.Errorf("%s: coordinates %v %v, want %v %v", id, ev.Place.Lat, ev.Place.Lon, w.lat, w.lon)
	}
	if len(ev.Actors) != len(w.actors) {
		t.Errorf("%s: actors %+v, want %+v", id, ev.Actors, w.actors)
	} else {
		for i := range w.actors {
			if ev.Actors[i] != w.actors[i] {
				t.Errorf("%s: actor %d %+v, want %+v", id, i, ev.Actors[i], w.actors[i])
			}
		}
	}
	if ev.Kind != w.kind || ev.KindReason == nil || *ev.KindReason != w.reason {
		t.Errorf("%s: kind %s %+v, want %s %+v", id, ev.Kind, ev.KindReason, w.kind, w.reason)
	}
	if ev.Fatalities == nil || *ev.Fatalities != w.fatalities {
		t.Errorf("%s: fatalities %v, want %d", id, ev.Fatalities, w.fatalities)
	}
}

// header is the 31-column header of the real export.
const header = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"

// row is a real row (UKR55743) with the date and precision replaced.
func row(id, date, prec string) string {
	return id + "," + date + ",2022," + prec + ",Strategic developments,Strategic developments,Disrupted weapons use,Military Forces of Ukraine (2019-),,1,Military Forces of Russia (2000-),,8,18,,804,Europe,Ukraine,Kharkiv,Kharkivskyi,Kharkivska,Kharkiv,49.9808,36.2527,3,Ministry of Defence of Ukraine,Other,\"Interception: Ukrainian forces shot down a Russian Orlan-10 drone in the Kharkiv region.\",0,,1650306043\n"
}

func readAll(t *testing.T, in string) ingesttest.Result {
	t.Helper()
	return ingesttest.Drain(t, NewReader(strings.NewReader(in), "in.csv"), 1000)
}

func TestEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         string
		ids        []string // good records, in order
		lines      []int    // their lines
		errs       []string // row errors, exactly
		start, end string   // span of the first record, when set
		prec       event.TimePrecision
	}{
		{name: "DD Month YYYY date", in: header + row("A1", "16 May 2025", "1") + row("A2", "6 jan 2025", "1"),
			ids: []string{"A1", "A2"}, lines: []int{2, 3}, start: "2025-05-16", end: "2025-05-17", prec: event.TimeDay},
		{name: "week precision is the 7 days around the date", in: header + row("A1", "2022-03-01", "2"),
			ids: []string{"A1"}, lines: []int{2}, start: "2022-02-26", end: "2022-03-05", prec: event.TimeWeek},
		{name: "month precision is the calendar month", in: header + row("A1", "15 February 2024", "3"),
			ids: []string{"A1"}, lines: []int{2}, start: "2024-02-01", end: "2024-03-01", prec: event.TimeMonth},
		{name: "unknown precision is the day", in: header + row("A1", "2022-03-01", "9"),
			ids: []string{"A1"}, lines: []int{2}, start: "2022-03-01", end: "2022-03-02", prec: event.TimeDay},
		{name: "bad date is a row error and the stream goes on",
			in:  header + row("A1", "2022-02-30", "1") + row("A2", "2022-03-01", "1") + row("A3", "yesterday", "1"),
			ids: []string{"A2"}, lines: []int{3},
			errs: []string{`in.csv:2: field "event_date": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (2022-02-30)`, `in.csv:4: field "event_date": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (yesterday)`}},
		{name: "bad latitude", in: header + strings.Replace(row("A1", "2022-03-01", "1"), "49.9808", "north", 1),
			errs: []string{`in.csv:2: field "latitude": not a latitude (north)`}},
		{name: "longitude out of range", in: header + strings.Replace(row("A1", "2022-03-01", "1"), "36.2527", "360", 1),
			errs: []string{`in.csv:2: field "longitude": not a longitude (360)`}},
		{name: "missing id", in: header + row("", "2022-03-01", "1"),
			errs: []string{`in.csv:2: field "event_id_cnty": missing`}},
		{name: "wrong field count", in: header + "A1,2022-03-01\n" + row("A2", "2022-03-01", "1"),
			ids: []string{"A2"}, lines: []int{3}, errs: []string{`in.csv:2: has 2 fields, the header has 31`}},
		{name: "BOM before the header", in: "\uFEFF" + header + row("A1", "2022-03-01", "1"), ids: []string{"A1"}, lines: []int{2}},
		{name: "CRLF line ends", in: strings.ReplaceAll(header+row("A1", "2022-03-01", "1")+row("A2", "2022-03-01", "1"), "\n", "\r\n"),
			ids: []string{"A1", "A2"}, lines: []int{2, 3}},
		{name: "embedded newlines keep line numbers right",
			in: header + strings.Replace(row("A1", "2022-03-01", "1"), "Interception:", "Interception:\nline two\nline three", 1) +
				row("A2", "2022-03-01", "1") + row("A3", "2022-13-01", "1"),
			ids: []string{"A1", "A2"}, lines: []int{2, 5},
			errs: []string{`in.csv:6: field "event_date": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (2022-13-01)`}},
		{name: "fully quoted fields",
			in:  `"event_id_cnty","event_date","event_type","sub_event_type","notes"` + "\n" + `"A1","2022-03-01","Battles","Armed clash","a ""quoted"" word"` + "\n",
			ids: []string{"A1"}, lines: []int{2}},
		{name: "reordered, missing optional and extra columns",
			in:  "notes,extra,sub_event_type,event_date,event_type,event_id_cnty\nsome notes,x,Armed clash,2022-03-01,Battles,A1\n",
			ids: []string{"A1"}, lines: []int{2}},
		{name: "upper-case header names", in: "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,SUB_EVENT_TYPE\nA1,2022-03-01,Battles,Armed clash\n",
			ids: []string{"A1"}, lines: []int{2}},
		{name: "text inter labels and the Demostrations typo",
			in: header + strings.NewReplacer(",1,Military", ",State forces,Military", ",8,18,", ",External/Other forces,State forces-External/Other forces,",
				"Strategic developments,Strategic", "Demostrations,Strategic").Replace(row("A1", "2022-03-01", "1")),
			ids: []string{"A1"}, lines: []int{2}},
		{name: "empty event and sub-event type", in: "event_id_cnty,event_date,event_type,sub_event_type\nA1,2022-03-01,,\n",
			errs: []string{`in.csv:2: field "sub_event_type": missing, and so is event_type`}},
		{name: "bad fatalities", in: "event_id_cnty,event_date,event_type,sub_event_type,fatalities\nA1,2022-03-01,Battles,Armed clash,many\n",
			errs: []string{`in.csv:2: field "fatalities": not a count (many)`}},
		{name: "broken quoting is a row error", in: "event_id_cnty,event_date,event_type,sub_event_type\nA1,2022-03-01,Bat\"tles,x\nA2,2022-03-01,Battles,Armed clash\n",
			ids: []string{"A2"}, lines: []int{3}, errs: []string{`in.csv:2: malformed CSV: bare " in non-quoted-field`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readAll(t, tc.in)
			if res.Fatal != nil {
				t.Fatalf("fatal: %v", res.Fatal)
			}
			var ids []string
			var lines []int
			for _, r := range res.Records {
				ids = append(ids, r.Event.SourceID)
				lines = append(lines, r.Line)
			}
			var errs []string
			for _, e := range res.Bad {
				errs = append(errs, e.Error())
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") || !equalInts(lines, tc.lines) {
				t.Errorf("records %v at lines %v, want %v at %v", ids, lines, tc.ids, tc.lines)
			}
			if strings.Join(errs, "\n") != strings.Join(tc.errs, "\n") {
				t.Errorf("row errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(tc.errs, "\n"))
			}
			if tc.start != "" && len(res.Records) > 0 {
				sp := res.Records[0].Event.Time
				if !sp.Start.Equal(day(tc.start)) || !sp.End.Equal(day(tc.end)) || sp.Precision != tc.prec {
					t.Errorf("span %v, want [%s, %s) %s", sp, tc.start, tc.end, tc.prec)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFatalErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, msg string }{
		{"empty file", "", "in.csv:1: empty file, expected a header row"},
		{"missing required column", "event_id_cnty,event_type\nA1,Battles\n", `in.csv:1: missing required column "event_date"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readAll(t, tc.in)
			if !errors.Is(res.Fatal, ingest.ErrFormat) || res.Fatal.Error() != tc.msg {
				t.Fatalf("got %v, want %q wrapping ErrFormat", res.Fatal, tc.msg)
			}
		})
	}
}

// TestHashIgnoresLayout: the same record in another column order, with an
// empty column dropped, hashes the same; an edited value does not.
func TestHashIgnoresLayout(t *testing.T) {
	a := readAll(t, "event_id_cnty,event_date,event_type,sub_event_type,tags,fatalities\nA1,2022-03-01,Battles,Armed clash,,3\n")
	b := readAll(t, "fatalities,sub_event_type,event_type,event_date,event_id_cnty\n3,Armed clash,Battles,2022-03-01,A1\n")
	c := readAll(t, "fatalities,sub_event_type,event_type,event_date,event_id_cnty\n4,Armed clash,Battles,2022-03-01,A1\n")
	ha, hb, hc := a.Records[0].Event.Hash, b.Records[0].Event.Hash, c.Records[0].Event.Hash
	if ha != hb || ha == hc {
		t.Fatalf("hashes %s %s %s: want first two equal, third different", ha, hb, hc)
	}
	wantRaw := `{"event_date":"2022-03-01","event_id_cnty":"A1","event_type":"Battles","fatalities":"3","sub_event_type":"Armed clash"}`
	if got := string(a.Records[0].Event.Raw); got != wantRaw {
		t.Fatalf("raw %s, want %s", got, wantRaw)
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct{ typ, sub, notes, kind string }{
		{"Explosions/Remote violence", "Air/drone strike", "Russian forces conducted an airstrike", "strike.air"},
		{"Explosions/Remote violence", "Air/drone strike", "a Shahed UAV hit", "strike.drone"},
		{"Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled with MLRS", "strike.artillery"},
		{"Explosions/Remote violence", "Shelling/artillery/missile attack", "a Kalibr Missile hit", "strike.missile"},
		{"Strategic developments", "Disrupted weapons use", "Defusal: police defused an IED", "strategic"},
		{"Strategic developments", "Disrupted weapons use", "Detonation: a mine exploded", "explosion"},
		{"Strategic developments", "Agreement", "the parties agreed a ceasefire", "ceasefire_declared"},
		{"Strategic developments", "Agreement", "militants surrendered", "strategic"},
		{"Battles", "Government regains territory", "", "ground.territory"},
		{"Protests", "Excessive force against protesters", "", "violence_civilians"},
		{"Riots", "mob violence", "", "riot"},
		{"Battles", "Some new sub-event", "", "ground"},
		{"New type", "", "", "other"},
	} {
		if got, r := Classify(tc.typ, tc.sub, tc.notes); got != tc.kind || r.Term != got {
			t.Errorf("Classify(%q, %q, %q) = %s (%+v), want %s", tc.typ, tc.sub, tc.notes, got, r, tc.kind)
		}
	}
}

func TestReadDeletions(t *testing.T) {
	in := "event_id_cnty,deleted_timestamp\nUKR1,1658151442\n,1658151442\nUKR2,soon\nUKR3,1658151443\n"
	dels, err := ReadDeletions(strings.NewReader(in), "del.csv")
	want := []Deletion{{"UKR1", time.Unix(1658151442, 0).UTC()}, {"UKR3", time.Unix(1658151443, 0).UTC()}}
	if len(dels) != 2 || dels[0] != want[0] || dels[1] != want[1] {
		t.Errorf("deletions %v, want %v", dels, want)
	}
	wantErr := "del.csv:3: field \"event_id_cnty\": missing\ndel.csv:4: field \"deleted_timestamp\": not Unix seconds (soon)"
	var re *ingest.RowError
	if err == nil || err.Error() != wantErr || !errors.As(err, &re) {
		t.Errorf("error %v, want %q", err, wantErr)
	}
	if _, err := ReadDeletions(strings.NewReader("event_id_cnty\nUKR1\n"), "del.csv"); !errors.Is(err, ingest.ErrFormat) {
		t.Errorf("missing column: %v", err)
	}
}

// FuzzACLED: no input panics, and every error is a row error or a
// documented fatal format error.
func FuzzACLED(f *testing.F) {
	for _, s := range ingesttest.Seeds("event_id_cnty,event_date,event_type,sub_event_type,actor1,notes",
		"A1,{date},Battles,Armed clash,{text},\"{text}, notes\"") {
		f.Add(s)
	}
	f.Add([]byte(header + row("A1", "16 May 2025", "2")))
	// The real samples too, when the shared data is there.
	f.Add(ingesttest.Sample(f, 20, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
	f.Add(ingesttest.Sample(f, 5, "acled-sample-acledR", "acled_sample_argentina_326.csv"))
	f.Fuzz(func(t *testing.T, in []byte) {
		res := ingesttest.Drain(t, NewReader(bytes.NewReader(in), "fuzz.csv"), len(in)+10)
		if res.Fatal != nil && !errors.Is(res.Fatal, ingest.ErrFormat) {
			t.Fatalf("undocumented fatal error: %v", res.Fatal)
		}
	})
}

func BenchmarkACLED(b *testing.B) {
	ingesttest.Benchmark(b, sample(b, "acled_sample_9000_2022H1.csv"), func(data []byte) ingest.Reader {
		return NewReader(bytes.NewReader(data), "bench.csv")
	})
}
