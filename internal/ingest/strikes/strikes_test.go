package strikes

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

const sampleName = "missile_attacks_daily.csv"

func sample(tb testing.TB) []byte {
	tb.Helper()
	return ingesttest.Read(tb, "missile-attacks-ukraine", sampleName)
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRealSample(t *testing.T) {
	res := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t)), sampleName), 1e6)
	if res.Fatal != nil {
		t.Fatal(res.Fatal)
	}
	if len(res.Records) != 3585 || len(res.Bad) != 0 {
		t.Fatalf("got %d records, %d bad (%v); want 3585, 0", len(res.Records), len(res.Bad), res.Bad)
	}
	ids := map[string]int{}
	for _, rec := range res.Records {
		ev := rec.Event
		if prev, dup := ids[ev.SourceID]; dup {
			t.Errorf("lines %d and %d share source id %s", prev, rec.Line, ev.SourceID)
		}
		ids[ev.SourceID] = rec.Line
		if !ev.Time.End.After(ev.Time.Start) || ev.Time.End.Sub(ev.Time.Start) > 48*time.Hour {
			t.Errorf("line %d: span %v", rec.Line, ev.Time)
		}
	}
	// The ids do not depend on anything but the rows: a second read agrees.
	again := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t)), sampleName), 1e6)
	for i, rec := range again.Records {
		if rec.Event.SourceID != res.Records[i].Event.SourceID {
			t.Fatalf("line %d: id changed between reads", rec.Line)
		}
	}
}

func TestKnownRows(t *testing.T) {
	ua := func(name string) event.Place {
		return event.Place{Name: name, Country: "UA", Precision: event.GeoCountry}
	}
	cases := map[int]struct {
		id          string
		start, end  string // UTC
		prec        event.TimePrecision
		place       event.Place
		kind, match string
		text        string
	}{
		// The newest row, summer time (UTC+3), overnight wave.
		2: {"7bac7bc6deb78a92", "2026-04-04 15:00", "2026-04-05 05:00", event.TimeExact, ua("Ukraine"),
			"strike.drone", "shahed", "93 Shahed-136/131 launched, 76 destroyed, target Ukraine"},
		// Dates only: the whole Kyiv day.
		4: {"", "2026-04-03 21:00", "2026-04-04 21:00", event.TimeDay, ua("south"),
			"strike.drone", "uav", "94 Unknown UAV launched, 94 destroyed, target south"},
		// The night of 18-19 March 2025, winter time (UTC+2).
		1338: {"", "2025-03-18 17:00", "2025-03-19 06:00", event.TimeExact, ua("Ukraine"), "strike.drone", "shahed",
			"145 Shahed-136/131 launched, 72 destroyed, target Ukraine, affected Kyiv oblast, Sumy oblast, Chernihiv oblast, Odesa oblast, Poltava oblast, Dnipropetrovsk oblast"},
		1339: {"", "2025-03-18 17:00", "2025-03-19 06:00", event.TimeExact, ua("Ukraine"), "strike.missile", "Iskander-M",
			"2 Iskander-M launched, 0 destroyed, target Ukraine"},
		// Start equal to end: one minute. A city target.
		1288: {"", "2025-04-04 16:00", "2025-04-04 16:01", event.TimeExact, event.Place{Name: "Kryvyi Rih", Country: "UA", Precision: event.GeoTown},
			"strike.missile", "Ballistic Missile", "1 Ballistic Missile launched, 0 destroyed, target Kryvyi Rih"},
		// A target in Russia.
		1600: {"", "2025-01-03 10:00", "2025-01-03 18:00", event.TimeExact, event.Place{Name: "Kursk oblast", Country: "RU", Admin1: "Kursk oblast", Precision: event.GeoAdmin1},
			"strike.missile", "C-300", "5 C-300 launched, 0 destroyed, target Kursk oblast"},
		// Two rows with the same key: the second gets "-2".
		1139: {"2a8bb08758bb26eb", "2025-05-20 21:00", "2025-05-21 21:00", event.TimeDay, ua("south"), "strike.drone", "orlan",
			"1 Orlan-10 launched, 1 destroyed, target south"},
		1140: {"2a8bb08758bb26eb-2", "2025-05-20 21:00", "2025-05-21 21:00", event.TimeDay, ua("south"), "strike.drone", "orlan",
			"5 Orlan-10 launched, 5 destroyed, target south"},
		// End given as a date: to the end of that Kyiv day (UTC+2 after 27 Oct 2024).
		1798: {"", "2024-10-28 17:00", "2024-10-29 22:00", event.TimeDay, event.Place{Name: "Odesa oblast", Country: "UA", Admin1: "Odesa oblast", Precision: event.GeoAdmin1},
			"strike.missile", "X-31P", "2 X-31P launched, 0 destroyed, target Odesa oblast"},
		// A one-digit hour.
		3361: {"", "2023-05-16 00:30", "2023-05-16 04:00", event.TimeExact, ua("Ukraine"), "strike.missile", "X-47 Kinzhal",
			"6 X-47 Kinzhal launched, 6 destroyed, target Ukraine"},
		// A raion: admin2; start is a date, end a time.
		2440: {"", "2024-06-03 21:00", "2024-06-04 05:00", event.TimeDay,
			event.Place{Name: "Dnipropetrovsk oblast, Dnipro Raion", Country: "UA", Admin1: "Dnipropetrovsk oblast", Admin2: "Dnipro Raion", Precision: event.GeoAdmin2},
			"strike.missile", "Iskander-K", "2 Iskander-K launched, 2 destroyed, target Dnipropetrovsk oblast, Dnipro Raion"},
	}
	res := ingesttest.Drain(t, NewReader(bytes.NewReader(sample(t)), sampleName), 1e6)
	found := 0
	for _, rec := range res.Records {
		w, ok := cases[rec.Line]
		if !ok {
			continue
		}
		found++
		ev := rec.Event
		if w.id != "" && ev.SourceID != w.id {
			t.Errorf("line %d: id %s, want %s", rec.Line, ev.SourceID, w.id)
		}
		if want := (event.Span{Start: utc(w.start), End: utc(w.end), Precision: w.prec}); ev.Time != want {
			t.Errorf("line %d: time %v, want %v", rec.Line, ev.Time, want)
		}
		if ev.Place != w.place {
			t.Errorf("line %d: place %+v, want %+v", rec.Line, ev.Place, w.place)
		}
		if ev.Kind != w.kind || ev.KindReason.Match != w.match || ev.Text != w.text {
			t.Errorf("line %d: kind %s %+v text %q", rec.Line, ev.Kind, ev.KindReason, ev.Text)
		}
		if len(ev.Actors) != 1 || ev.Actors[0] != (event.Actor{Name: "Armed Forces of the Russian Federation", Role: "launcher"}) || ev.Fatalities != nil {
			t.Errorf("line %d: actors %+v", rec.Line, ev.Actors)
		}
	}
	if found != len(cases) {
		t.Fatalf("found %d of %d rows", found, len(cases))
	}
}

func TestEdgeCases(t *testing.T) {
	const h = "time_start,time_end,model,launch_place,target,launched,destroyed,is_shahed,affected region\n"
	for _, tc := range []struct {
		name, in   string
		start, end string
		prec       event.TimePrecision
		kind, text string
		err        string
	}{
		{name: "missing end, minute", in: h + "2025-03-18 19:00,,Kalibr,,Ukraine,3.0,,,\n",
			start: "2025-03-18 17:00", end: "2025-03-18 17:01", prec: event.TimeExact, kind: "strike.missile", text: "3 Kalibr launched, target Ukraine"},
		{name: "missing end, day", in: h + "2025-03-18,,Kalibr,,,,,,\n",
			start: "2025-03-17 22:00", end: "2025-03-18 22:00", prec: event.TimeDay, kind: "strike.missile", text: "Kalibr"},
		{name: "past midnight on the same date", in: h + "2025-03-18 19:00,2025-03-18 08:00,Shahed-136/131,,Ukraine,10.0,9.0,,\n",
			start: "2025-03-18 17:00", end: "2025-03-19 06:00", prec: event.TimeExact, kind: "strike.drone", text: "10 Shahed-136/131 launched, 9 destroyed, target Ukraine"},
		{name: "end a day before", in: h + "2025-03-18 19:00,2025-03-17 08:00,Kalibr,,Ukraine,1.0,1.0,,\n",
			err: `in.csv:2: field "time_end": before time_start (2025-03-17 08:00)`},
		{name: "is_shahed makes a drone", in: h + "2025-03-18 19:00,2025-03-19 08:00,Unknown,,Ukraine,10.0,9.0,4.0,\n",
			start: "2025-03-18 17:00", end: "2025-03-19 06:00", prec: event.TimeExact, kind: "strike.drone", text: "10 Unknown launched, 9 destroyed, target Ukraine"},
		{name: "aerial bomb", in: h + "2025-03-18 19:00,2025-03-18 19:30,Aerial Bomb,,Ukraine,1.0,0.0,,\n",
			start: "2025-03-18 17:00", end: "2025-03-18 17:30", prec: event.TimeExact, kind: "strike.air", text: "1 Aerial Bomb launched, 0 destroyed, target Ukraine"},
		{name: "affected regions with double quotes and escapes", in: h + `2025-03-18,2025-03-18,Молнія,,south,1.0,1.0,,"[""Kyiv oblast"", 'Mykolayiv\'s oblast']"` + "\n",
			start: "2025-03-17 22:00", end: "2025-03-18 22:00", prec: event.TimeDay, kind: "strike.drone",
			text: "1 Молнія launched, 1 destroyed, target south, affected Kyiv oblast, Mykolayiv's oblast"},
		{name: "bad count", in: h + "2025-03-18,,Kalibr,,,1.5,,,\n", err: `in.csv:2: field "launched": not a count (1.5)`},
		{name: "bad list", in: h + "2025-03-18,,Kalibr,,,,,,['Kyiv oblast'\n", err: `in.csv:2: field "affected region": not a list literal (['Kyiv oblast')`},
		{name: "bad time", in: h + "2025-03-18 25:00,,Kalibr,,,,,,\n", err: `in.csv:2: field "time_start": not a time (want YYYY-MM-DD HH:MM or YYYY-MM-DD) (2025-03-18 25:00)`},
		{name: "no model", in: h + "2025-03-18,,,,,,,,\n", err: `in.csv:2: field "model": missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ingesttest.Drain(t, NewReader(strings.NewReader(tc.in), "in.csv"), 10)
			if tc.err != "" {
				if len(res.Bad) != 1 || res.Bad[0].Error() != tc.err {
					t.Fatalf("errors %v, want %q", res.Bad, tc.err)
				}
				return
			}
			if len(res.Records) != 1 {
				t.Fatalf("records %d, errors %v", len(res.Records), res.Bad)
			}
			ev := res.Records[0].Event
			if want := (event.Span{Start: utc(tc.start), End: utc(tc.end), Precision: tc.prec}); ev.Time != want {
				t.Errorf("time %v, want %v", ev.Time, want)
			}
			if ev.Kind != tc.kind || ev.Text != tc.text {
				t.Errorf("kind %s text %q, want %s %q", ev.Kind, ev.Text, tc.kind, tc.text)
			}
		})
	}
}

func TestTargetPlace(t *testing.T) {
	for target, want := range map[string]event.Place{
		"":                                 {Country: "UA", Precision: event.GeoCountry},
		"Odesa oblast and Mykolaiv oblast": {Name: "Odesa oblast and Mykolaiv oblast", Country: "UA", Precision: event.GeoCountry},
		"south-east":                       {Name: "south-east", Country: "UA", Precision: event.GeoCountry},
		"Kyiv oblast (south)":              {Name: "Kyiv oblast (south)", Country: "UA", Admin1: "Kyiv oblast", Precision: event.GeoAdmin1},
		"Odesa oblast, Black Sea":          {Name: "Odesa oblast, Black Sea", Country: "UA", Admin1: "Odesa oblast", Precision: event.GeoAdmin1},
		"Snake Island":                     {Name: "Snake Island", Country: "UA", Precision: event.GeoTown},
	} {
		if got := TargetPlace(target); got != want {
			t.Errorf("TargetPlace(%q) = %+v, want %+v", target, got, want)
		}
	}
}

func FuzzStrikes(f *testing.F) {
	for _, s := range ingesttest.Seeds("time_start,time_end,model,target", "{date},{date},Shahed-136/131,{text}") {
		f.Add(s)
	}
	f.Add(ingesttest.Sample(f, 12, "missile-attacks-ukraine", sampleName))
	f.Add([]byte("time_start,time_end,model,target,affected region\n2023-05-16 3:30,2023-05-16 07:00,X-47 Kinzhal,Ukraine,\"['a', \"\"b\"\"]\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		res := ingesttest.Drain(t, NewReader(bytes.NewReader(in), "fuzz.csv"), len(in)+10)
		if res.Fatal != nil && !errors.Is(res.Fatal, ingest.ErrFormat) {
			t.Fatalf("undocumented fatal error: %v", res.Fatal)
		}
	})
}

func BenchmarkStrikes(b *testing.B) {
	ingesttest.Benchmark(b, sample(b), func(data []byte) ingest.Reader {
		return NewReader(bytes.NewReader(data), sampleName)
	})
}
