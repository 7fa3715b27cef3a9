package load

import (
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
)

// Files of other years and tools (issue 10): each imports, naming how its
// dates were read, or is refused saying what to give.
func TestFileVintages(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		name, format, text, encoding string
		order                        ingest.Order
		first                        time.Time // the first event's start, UTC
		note, err                    string
	}{
		{name: "acled-dayfirst.csv", format: "acled",
			text:  acledHeader + acledRow("D1", "03/08/2020 00:00:00", "A", "x") + acledRow("D2", "14/08/2020 00:00:00", "A", "x"),
			first: day("2020-08-03"), note: "column event_date: dates read as DD/MM/YYYY (decided by 14/08/2020 00:00:00 on line 3)"},
		{name: "acled-old.csv", format: "acled",
			text:  acledHeader + acledRow("O1", "9-May-20", "A", "x") + acledRow("O2", "28-December-2022", "A", "x"),
			first: day("2020-05-09"), note: "column event_date: dates read as D Month YYYY"},
		{name: "acled-ambiguous.csv", format: "acled",
			text: acledHeader + acledRow("M1", "03/08/2020", "A", "x") + acledRow("M2", "04/08/2020", "A", "x"),
			err:  "give --date-layout dmy (DD/MM/YYYY) or mdy (MM/DD/YYYY)"},
		{name: "acled-given.csv", format: "acled", order: ingest.MonthFirst,
			text:  acledHeader + acledRow("G1", "03/08/2020", "A", "x"),
			first: day("2020-03-08"), note: "MM/DD/YYYY (given by --date-layout)"},
		{name: "ucdp-excel.csv", format: "ucdp", encoding: "windows-1252",
			text: "id,date_start,date_end,side_a,source_headline\n" +
				"7,1/2/2015 12:00:00 AM,1/31/2015 12:00:00 AM,Government of Ukraine,Donets\xb4k shelling\n" +
				"8,3/14/2015 12:00:00 AM,3/14/2015 12:00:00 AM,Government of Ukraine,caf\xe9\n",
			first: day("2015-01-02"), note: "MM/DD/YYYY (decided by 3/14/2015 12:00:00 AM on line 3)"},
		{name: "strikes-dayfirst.csv", format: "strikes",
			text:  "time_start,time_end,model,target\n18/03/2025 19:00,18/03/2025 23:00,Shahed-136/131,Kyiv oblast\n",
			first: time.Date(2025, 3, 18, 17, 0, 0, 0, time.UTC), note: "column time_start: dates read as DD/MM/YYYY (decided by 18/03/2025 19:00 on line 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			sum, err := r.importText(t, tc.name, tc.format, tc.text, Options{Encoding: tc.encoding, DateOrder: tc.order})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || sum.Rejected != 0 || sum.New == 0 {
				t.Fatalf("%+v %v", sum, err)
			}
			if !strings.Contains(strings.Join(sum.Notes, "\n"), tc.note) {
				t.Errorf("notes %q, want %q", sum.Notes, tc.note)
			}
			evs := r.events(t)
			if !evs[0].Time.Start.Equal(tc.first) {
				t.Errorf("first event starts %v, want %v", evs[0].Time.Start, tc.first)
			}
			for _, e := range evs {
				if strings.ContainsRune(e.Text, '\uFFFD') || strings.ContainsRune(string(e.Raw), '\uFFFD') {
					t.Errorf("%s: text %q raw %s", e.SourceID, e.Text, e.Raw)
				}
			}
		})
	}
}

// Wrong formats are refused at file level saying what the file is;
// --format auto picks the format from the first line and says which.
func TestWrongFormatAndAuto(t *testing.T) {
	r := newRig(t)
	claims, err := mapped.Load("../../../examples/mappings/scenario-claims.yaml")
	if err != nil {
		t.Fatal(err)
	}
	acled := acledHeader + acledRow("W1", "2022-03-01", "A", "x")
	ucdpText := "id,date_start,date_end,side_a,type_of_violence\n1,2015-01-01,2015-01-02,Government of Ukraine,1\n"
	gdelt := "1\t20191024" + strings.Repeat("\t", 59) + "\n"
	strikesText := "time_start,model,target\n2025-03-18 19:00,Shahed-136/131,Kyiv oblast\n"
	for _, tc := range []struct {
		name, format, text string
		m                  *mapped.Mapping
		want               string
	}{
		{"acled-as-ucdp.csv", "ucdp", acled, nil, "this is an ACLED export (event_id_cnty, event_date, sub_event_type), not ucdp input: use --format acled"},
		{"acled-as-claims.csv", "claims", acled, claims, "this is an ACLED export"},
		{"ucdp-as-acled.csv", "acled", ucdpText, nil, "this is a UCDP GED file"},
		{"gdelt-as-acled.csv", "acled", gdelt, nil, "this is a GDELT 2.0 events export"},
		{"gdelt1-as-gdelt.csv", "gdelt", strings.Repeat("x\t", 57) + "x\n", nil, "a GDELT 1.0 events file (58 tab-separated fields)"},
		{"deletions.csv", "acled", "event_id_cnty,deleted_timestamp\nX,1\n", nil, "an ACLED deletion list"},
		{"auto-unknown.csv", pipeline.Auto, "a,b\n1,2\n", nil, "--format auto: the first line is no format truce knows"},
	} {
		_, err := r.importText(t, tc.name, tc.format, tc.text, Options{Mapping: tc.m})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct{ name, text, format string }{
		{"a.csv", acled, "acled"},
		{"u.csv", ucdpText, "ucdp"},
		{"g.csv", gdelt, "gdelt"},
		{"s.csv", strikesText, "strikes"},
		{"old-acled.csv", "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1\nO1,9-May-20,Remote violence,A,B\n", "acled"},
	} {
		sum, err := r.importText(t, tc.name, pipeline.Auto, tc.text, Options{})
		if err != nil || sum.Format != tc.format || sum.Rejected != 0 || !strings.Contains(strings.Join(sum.Notes, "\n"), "format "+tc.format+", chosen from the first line") {
			t.Errorf("auto %s: %+v %v", tc.name, sum, err)
		}
	}
}

func TestAutoGeoJSONOnOneLine(t *testing.T) {
	r := newRig(t)
	geo := `{"type":"FeatureCollection","features":[` + strings.Repeat(`{"type":"Feature","geometry":null,"properties":{"id":1,"date_start":"2015-01-01","date_end":"2015-01-01","side_a":"x"}},`, 1000) +
		`{"type":"Feature","geometry":null,"properties":{"id":2,"date_start":"2015-01-01","date_end":"2015-01-01"}}]}`
	sum, err := r.importText(t, "ged.geojson", pipeline.Auto, geo, Options{})
	if err != nil || sum.Format != "ucdp" || sum.New != 2 {
		t.Fatalf("%+v %v", sum, err)
	}
}
