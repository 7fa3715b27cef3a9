package mapped

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

const modMapping = "../../../examples/mappings/mod-russia-telegram.yaml"

func TestMoDTelegramFeed(t *testing.T) {
	path := ingesttest.File(t, "russian-mod-telegram-2023-2024", "mod_russia_posts_2023_2024.csv")
	m, err := Load(modMapping)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f, path, m)
	if err != nil {
		t.Fatal(err)
	}
	res := ingesttest.Drain(t, r, 10000)
	if res.Fatal != nil || len(res.Bad) != 0 {
		t.Fatalf("fatal %v, bad rows %v", res.Fatal, res.Bad)
	}
	if got := len(res.Records); got != 3452 {
		t.Fatalf("read %d claims, want 3452", got)
	}
	ids := map[string]bool{}
	counts := 0
	for _, rec := range res.Records {
		c := rec.Claim
		if ids[c.SourceID] {
			t.Fatalf("line %d: duplicate source id %s", rec.Line, c.SourceID)
		}
		ids[c.SourceID] = true
		if c.Type == event.ClaimCount {
			counts++
		}
		if c.Claimant != "RU" || c.Accused != "UA" {
			t.Fatalf("line %d: claimant %q accused %q", rec.Line, c.Claimant, c.Accused)
		}
	}
	if counts == 0 {
		t.Error("no count-only claims found")
	}

	first := res.Records[0].Claim
	// The scrape's times are UTC (see the mapping).
	wantPub := time.Date(2023, 1, 1, 12, 6, 0, 0, time.UTC)
	if !first.Published.Equal(wantPub) || !first.Time.End.Equal(wantPub) || !first.Time.Start.Equal(wantPub.Add(-24*time.Hour)) {
		t.Errorf("first post times: published %v span %v..%v", first.Published, first.Time.Start, first.Time.End)
	}
	if first.Time.Precision != event.TimeDay || first.Type != event.ClaimAllegation || first.Count != nil {
		t.Errorf("first post: %+v", first)
	}
	if len(first.Places) != 1 || first.Places[0].Admin1 != "bryansk" || first.Places[0].Precision != event.GeoAdmin1 {
		t.Errorf("first post places %+v", first.Places)
	}

	// 2023-02-21 20:02: ten drones claimed downed over two regions: one
	// aggregate count claim, not ten events.
	var c *event.Claim
	for _, rec := range res.Records {
		if rec.Claim.Published.Equal(time.Date(2023, 2, 21, 20, 2, 0, 0, time.UTC)) {
			c = rec.Claim
		}
	}
	if c == nil {
		t.Fatal("post of 2023-02-21 20:02 not found")
	}
	if c.Type != event.ClaimCount || c.Count == nil || *c.Count != 10 || c.Kind != "interception" {
		t.Errorf("count claim: type %s count %v kind %s", c.Type, c.Count, c.Kind)
	}
	if len(c.Places) != 2 || c.Places[0].Admin1 != "belgorod" || c.Places[1].Admin1 != "orenburg" {
		t.Errorf("places %+v", c.Places)
	}
}

const eventsMapping = `format: 1
record: event
source: field-reports
id: {column: report_id}
time: {column: when, layout: "2006-01-02", time_zone: Europe/Kyiv}
text: [summary]
actors:
  - {role: actor1, column: perpetrator}
kind:
  column: type
  map: {drone: strike.drone, shelling: strike.artillery}
  default: other
place: {name: {column: town}, admin1: {column: oblast}, country: {value: UA}, lat: lat, lon: lon}
fatalities: {column: killed}
`

func TestGenericCSVEvents(t *testing.T) {
	m, err := Parse("m.yaml", []byte(eventsMapping))
	if err != nil {
		t.Fatal(err)
	}
	in := "report_id,when,summary,perpetrator,type,town,oblast,lat,lon,killed\n" +
		"r1,2025-03-19,\"Drone hit a substation, town lost power\",Russian forces,Drone,Sloviansk,Donetsk,48.85,37.6,0\n" +
		"r2,19/03/2025,bad date,Russian forces,shelling,Kherson,Kherson,,,\n" +
		"r3,2025-03-20,Shelling,Russian forces,mortar,Kherson,Kherson,46.6,32.6,2\n"
	r, err := NewReader(strings.NewReader(in), "reports.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	res := ingesttest.Drain(t, r, 10)
	if len(res.Records) != 2 || len(res.Bad) != 1 {
		t.Fatalf("records %d bad %d", len(res.Records), len(res.Bad))
	}
	if got := res.Bad[0].Error(); got != `reports.csv:3: field "when": does not match layout "2006-01-02" (19/03/2025)` {
		t.Errorf("row error %q", got)
	}
	e := res.Records[0].Event
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	if !e.Time.Start.Equal(time.Date(2025, 3, 19, 0, 0, 0, 0, kyiv)) || !e.Time.End.Equal(time.Date(2025, 3, 20, 0, 0, 0, 0, kyiv)) || e.Time.Precision != event.TimeDay {
		t.Errorf("time %+v", e.Time)
	}
	if e.Kind != "strike.drone" || e.Place.Name != "Sloviansk" || e.Place.Country != "UA" || *e.Place.Lat != 48.85 || e.Place.Precision != event.GeoExact {
		t.Errorf("event %+v place %+v", e, e.Place)
	}
	if e.Fatalities == nil || *e.Fatalities != 0 || len(e.Actors) != 1 || e.Actors[0].Name != "Russian forces" {
		t.Errorf("fatalities %v actors %v", e.Fatalities, e.Actors)
	}
	if k := res.Records[1].Event.Kind; k != "other" {
		t.Errorf("unmapped kind value should take the default, got %q", k)
	}
}

func TestMappingProblems(t *testing.T) {
	cases := []struct{ name, old, new, want string }{
		{"unknown key", "source: field-reports\n", "source: field-reports\nsorce: x\n", `m.yaml:4:1: unknown key "sorce" at the top level (did you mean "source"?)`},
		{"bad zone", "Europe/Kyiv", "Europe/Kiev2", `m.yaml:5:55: unknown time zone "Europe/Kiev2"`},
		{"unknown kind", "strike.drone", "strike.dron", `unknown event kind "strike.dron"`},
		{"record", "record: event", "record: row", `m.yaml:2:9: record must be "claim" or "event", found "row"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("m.yaml", []byte(strings.Replace(eventsMapping, tc.old, tc.new, 1)))
			var ps strictyaml.Problems
			if !errors.As(err, &ps) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want %q, got %v", tc.want, err)
			}
		})
	}
}

func TestMissingColumnIsFatal(t *testing.T) {
	m, err := Parse("m.yaml", []byte(eventsMapping))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewReader(strings.NewReader("report_id,when\nr1,2025-03-19\n"), "x.csv", m)
	if !errors.Is(err, ingest.ErrFormat) || !strings.Contains(err.Error(), `x.csv:1: missing required column "summary"`) {
		t.Fatalf("got %v", err)
	}
}

func TestClaimTypeAndAnswers(t *testing.T) {
	m, err := Parse("c.yaml", []byte(`format: 1
record: claim
source: statements
aliases: acled
id: {column: id}
time: {column: day, layout: date, time_zone: Europe/Kyiv}
text: [text]
claimant: {column: by}
accused: {column: against}
type: {column: what, map: {denies: denial, says: allegation}, default: allegation}
answers: {column: re}
`))
	if err != nil {
		t.Fatal(err)
	}
	in := "id,day,text,by,against,what,re\n" +
		"c1,2025-03-21,Ukraine blew up the Sudzha station,RU,UA,says,\n" +
		"c2,2025-03-21,The claim on Sudzha is false,UA,,denies,c1\n" +
		"c3,2025-03-21,bad,UA,,maybe,\n"
	r, err := NewReader(strings.NewReader(in), "c.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	res := ingesttest.Drain(t, r, 10)
	if len(res.Records) != 3 || len(res.Bad) != 0 {
		t.Fatalf("records %d bad %v", len(res.Records), res.Bad)
	}
	c1, c2, c3 := res.Records[0].Claim, res.Records[1].Claim, res.Records[2].Claim
	if c1.Type != event.ClaimAllegation || c2.Type != event.ClaimDenial || c2.Answers != "c1" || c3.Type != event.ClaimAllegation {
		t.Errorf("types %s %s(%s) %s", c1.Type, c2.Type, c2.Answers, c3.Type)
	}
	if m.Aliases != "acled" {
		t.Errorf("aliases %q", m.Aliases)
	}
	_, err = Parse("c.yaml", []byte(strings.Replace(eventsMapping, "record: event", "record: claim\ntype: {value: rumour}\nclaimant: {value: RU}", 1)))
	if err == nil || !strings.Contains(err.Error(), `claim type "rumour" is not allegation, count or denial`) {
		t.Errorf("bad type: %v", err)
	}
}
