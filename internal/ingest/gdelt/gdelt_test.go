package gdelt

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

const sampleName = "20191024143000.export.CSV"

func sample(tb testing.TB) []byte {
	tb.Helper()
	return ingesttest.Read(tb, "gdelt-2.0-samples", sampleName)
}

func TestRealSample(t *testing.T) {
	res := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t)), sampleName), 1e6)
	if res.Fatal != nil {
		t.Fatal(res.Fatal)
	}
	if len(res.Records) != 2111 || len(res.Bad) != 0 {
		t.Fatalf("got %d records, %d bad (%v); want 2111, 0", len(res.Records), len(res.Bad), res.Bad)
	}
	// FIPS codes that differ from ISO, checked against the names GDELT
	// gives with them.
	byName := map[string]string{"Germany": "DE", "Ukraine": "UA", "Russia": "RU", "United Kingdom": "GB",
		"Gambia": "GM", "Slovak Republic": "SK", "Australia": "AU", "Austria": "AT", "Switzerland": "CH", "Spain": "ES"}
	checked := 0
	for i, rec := range res.Records {
		if rec.Line != i+1 || rec.Event.Hash != ingest.Hash(rec.Event.Raw) {
			t.Fatalf("record %d at line %d", i, rec.Line)
		}
		p := rec.Event.Place
		name := p.Name[strings.LastIndex(p.Name, ", ")+1:]
		if want, ok := byName[strings.TrimSpace(name)]; ok {
			checked++
			if p.Country != want {
				t.Errorf("line %d: %q in %s, want %s", rec.Line, p.Name, p.Country, want)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d places checked", checked)
	}
}

func ptr(f float64) *float64 { return &f }

func TestKnownRows(t *testing.T) {
	for _, w := range []struct {
		line       int
		id, date   string
		place      event.Place
		actors     []event.Actor
		kind, rule string
		url        string
	}{
		{line: 1, id: "881990832", date: "2018-10-24",
			place:  event.Place{Name: "Vancouver, British Columbia, Canada", Country: "CA", Admin1: "CA02", Lat: ptr(49.25), Lon: ptr(-123.133), Precision: event.GeoTown},
			actors: []event.Actor{{Name: "AUS", Role: "actor2"}}, kind: "other", rule: "CAMEO code outside the mapped ones",
			url: "https://www.timescolonist.com/entertainment/jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964"},
		{line: 48, id: "881990879", date: "2019-10-17",
			place:  event.Place{Name: "Kogi State, Kogi, Nigeria", Country: "NG", Admin1: "NI41", Lat: ptr(7.75), Lon: ptr(6.75), Precision: event.GeoAdmin1},
			actors: []event.Actor{{Name: "PTY", Role: "actor1"}, {Name: "LEG", Role: "actor2"}}, kind: "other", rule: "CAMEO code outside the mapped ones",
			url: "https://www.today.ng/news/politics/pdp-impeachment-kogi-deputy-governor-shameful-threat-democracy-259224"},
		// No geography at all (ActionGeo_Type 0); CAMEO 087.
		{line: 52, id: "881990883", date: "2019-10-23",
			place:  event.Place{Precision: event.GeoUnknown},
			actors: []event.Actor{{Name: "COP", Role: "actor1"}, {Name: "GBR", Role: "actor2"}}, kind: "ceasefire_declared", rule: "CAMEO 087 de-escalate military engagement",
			url: "https://www.chorley-guardian.co.uk/news/crime/two-men-charged-with-possessing-a-sawed-off-shotgun-and-resisting-arrest-at-chorley-petrol-station-1-10067149"},
		{line: 497, id: "881991328", date: "2019-10-24",
			place:  event.Place{Name: "Barcelona, Comunidad Autonoma de Cataluna, Spain", Country: "ES", Admin1: "SP56", Lat: ptr(41.3833), Lon: ptr(2.18333), Precision: event.GeoTown},
			actors: []event.Actor{{Name: "COP", Role: "actor1"}}, kind: "strike.air", rule: "CAMEO 195 employ aerial weapons",
			url: "https://cumberlink.com/news/world/spain-bracing-after-days-of-violent-protests-in-catalonia/article_1066653a-c18e-5c5d-b90c-9d401496e487.html"},
		// Ukraine as a whole: FIPS UP, ADM1 code equal to the country.
		{line: 939, id: "881991770", date: "2019-10-24",
			place:  event.Place{Name: "Ukraine", Country: "UA", Lat: ptr(49), Lon: ptr(32), Precision: event.GeoCountry},
			actors: []event.Actor{{Name: "GOV", Role: "actor1"}, {Name: "UKRGOV", Role: "actor2"}}, kind: "other", rule: "CAMEO code outside the mapped ones",
			url: "http://www.msnbc.com/rachel-maddow-show/taylors-statement-becomes-the-latest-doc-republicans-havent-read"},
		{line: 1565, id: "881992396", date: "2019-10-24",
			place:  event.Place{Name: "Afghanistan", Country: "AF", Lat: ptr(33), Lon: ptr(66), Precision: event.GeoCountry},
			actors: []event.Actor{{Name: "RUS", Role: "actor1"}, {Name: "UKR", Role: "actor2"}}, kind: "ground.territory", rule: "CAMEO 192 occupy territory",
			url: "https://www.bgdailynews.com/opinion/letters_to_the_editor/trump-s-decisions-regarding-syria-have-been-mistakes/article_97be687c-2a6a-5e12-a462-9e874edb9c17.html"},
		{line: 1620, id: "881992451", date: "2019-10-24",
			place:  event.Place{Name: "Iran", Country: "IR", Lat: ptr(32), Lon: ptr(53), Precision: event.GeoCountry},
			actors: []event.Actor{{Name: "SYR", Role: "actor1"}, {Name: "ISR", Role: "actor2"}}, kind: "strike.artillery", rule: "CAMEO 194 fight with artillery and tanks",
			url: "https://www.jns.org/this-has-been-one-of-the-iafs-busiest-operational-years/"},
	} {
		var rec ingest.Record
		for _, r := range ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t)), sampleName), 1e6).Records {
			if r.Event.SourceID == w.id {
				rec = r
			}
		}
		ev := rec.Event
		if ev == nil {
			t.Fatalf("%s not found", w.id)
		}
		start, _ := time.Parse("2006-01-02", w.date)
		if rec.Line != w.line || ev.Source != "gdelt" || ev.Time != (event.Span{Start: start, End: start.AddDate(0, 0, 1), Precision: event.TimeDay}) {
			t.Errorf("%s: line %d source %s time %v", w.id, rec.Line, ev.Source, ev.Time)
		}
		p, wp := ev.Place, w.place
		if (p.Lat == nil) != (wp.Lat == nil) || p.Lat != nil && (*p.Lat != *wp.Lat || *p.Lon != *wp.Lon) {
			t.Errorf("%s: coordinates %v,%v", w.id, p.Lat, p.Lon)
		}
		p.Lat, p.Lon, wp.Lat, wp.Lon = nil, nil, nil, nil
		if p != wp {
			t.Errorf("%s: place %+v, want %+v", w.id, p, wp)
		}
		if len(ev.Actors) != len(w.actors) || len(w.actors) > 0 && ev.Actors[0] != w.actors[0] || len(w.actors) > 1 && ev.Actors[1] != w.actors[1] {
			t.Errorf("%s: actors %+v, want %+v", w.id, ev.Actors, w.actors)
		}
		if ev.Kind != w.kind || ev.KindReason.Rule != w.rule || ev.KindReason.Field != "EventCode" || ev.Text != w.url || ev.Fatalities != nil {
			t.Errorf("%s: kind %s %+v text %q", w.id, ev.Kind, ev.KindReason, ev.Text)
		}
	}
}

// line builds an export line with the given columns set.
func line(set map[int]string) string {
	f := make([]string, len(Columns))
	f[colID], f[colSQLDate], f[colEventCode] = "1", "20250318", "196"
	for i, v := range set {
		f[i] = v
	}
	return strings.Join(f, "\t")
}

func TestEdgeCases(t *testing.T) {
	in := line(map[int]string{colID: "1", colGeoCountry: "RS", colGeoType: "4"}) + "\r\n" +
		"\n" + // blank lines are skipped but counted
		line(map[int]string{colID: "2", colSQLDate: "20250230"}) + "\n" +
		"3\t20250318\n" +
		line(map[int]string{colID: "4", colGeoLat: "91"}) + "\n" +
		line(map[int]string{colID: "5", colEventCode: "0871", colGeoADM1: "UP12", colGeoCountry: "UP"}) // no final newline
	res := ingesttest.Drain(t, NewReader(strings.NewReader(in), "x.CSV"), 100)
	var got []string
	for _, r := range res.Records {
		got = append(got, r.Event.SourceID+":"+r.Event.Kind+":"+r.Event.Place.Country+":"+r.Event.Place.Admin1)
	}
	var errs []string
	for _, e := range res.Bad {
		errs = append(errs, e.Error())
	}
	wantRecs := "1:strike:RU:,5:ceasefire_declared:UA:UP12"
	wantErrs := `x.CSV:3: field "SQLDATE": not a date (want YYYYMMDD) (20250230)` + "\n" +
		"x.CSV:4: has 2 fields, want 61\n" +
		`x.CSV:5: field "ActionGeo_Lat": not a latitude (91)`
	if strings.Join(got, ",") != wantRecs || strings.Join(errs, "\n") != wantErrs || res.Fatal != nil {
		t.Errorf("records %v, errors:\n%s\nwant %s and\n%s", got, strings.Join(errs, "\n"), wantRecs, wantErrs)
	}
}

func TestLongLine(t *testing.T) {
	long := line(map[int]string{colSourceURL: "https://example.org/" + strings.Repeat("a", 200<<10)})
	res := ingesttest.Drain(t, NewReader(strings.NewReader(long+"\n"+line(nil)+"\n"), "x"), 10)
	if len(res.Records) != 2 || res.Records[1].Line != 2 || len(res.Records[0].Event.Text) != 20+200<<10 {
		t.Fatalf("long line: %d records", len(res.Records))
	}
}

func TestClassify(t *testing.T) {
	for code, kind := range map[string]string{
		"0871": "ceasefire_declared", "087": "ceasefire_declared", "0874": "other",
		"183": "explosion", "1831": "explosion", "182": "violence_civilians", "186": "violence_civilians",
		"190": "ground.clash", "193": "ground.clash", "194": "strike.artillery", "195": "strike.air",
		"196": "strike", "192": "ground.territory", "191": "other", "202": "violence_civilians",
		"2041": "strike", "141": "protest", "145": "riot", "010": "other", "": "other",
	} {
		if got, r := Classify(code); got != kind || r.Match != code {
			t.Errorf("Classify(%q) = %s %+v, want %s", code, got, r, kind)
		}
	}
}

func FuzzGDELT(f *testing.F) {
	good := line(map[int]string{colGeoType: "1", colGeoLat: "49", colGeoLon: "32"})
	f.Add([]byte(good + "\n"))
	for _, s := range [][]byte{
		[]byte(good + "\n" + line(map[int]string{colSQLDate: "NA", colActor1Name: "NULL"}) + "\n"), // missing values
		[]byte(good + "\n" + line(map[int]string{colActor1Name: "caf\xe9", colGeoName: "a\x00b"}) + "\n"),
		[]byte(good + "\n" + good[:len(good)/2]),               // cut short
		[]byte(strings.Repeat("x\t", 57) + "x\n"),              // GDELT 1.0
		[]byte("event_id_cnty,event_date,event_type\n1,2,3\n"), // CSV
		{0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x01},       // binary
	} {
		f.Add(s)
	}
	f.Add(ingesttest.Sample(f, 10, "gdelt-2.0-samples", sampleName))
	f.Fuzz(func(t *testing.T, in []byte) {
		res := ingesttest.Drain(t, NewReader(bytes.NewReader(in), "fuzz.CSV"), len(in)+10)
		if res.Fatal != nil && !errors.Is(res.Fatal, ingest.ErrFormat) {
			t.Fatalf("undocumented fatal error on in-memory input: %v", res.Fatal)
		}
	})
}

func BenchmarkGDELT(b *testing.B) {
	ingesttest.Benchmark(b, sample(b), func(data []byte) ingest.Reader {
		return NewReader(bytes.NewReader(data), sampleName)
	})
}
