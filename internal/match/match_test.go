package match

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // window instants must not depend on the host's zoneinfo

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/event"
)

const examples = "../../examples/agreements"

func parse(t testing.TB, name string) *agreement.Agreement {
	t.Helper()
	a, err := agreement.ParseFile(filepath.Join(examples, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return a
}

func matcher(t testing.TB, opt Options, ags ...*agreement.Agreement) *Matcher {
	t.Helper()
	m, err := NewWith(opt, ags...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Fixture builders: events shaped like enriched ACLED rows.

const (
	ruForces = "Military Forces of Russia (2000-)"
	uaForces = "Military Forces of Ukraine (2019-)"
	uaAir    = "Military Forces of Ukraine (2019-) Air Force"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// at is an exact-time event: the minute it happened.
func at(s string) event.Span {
	t := utc(s)
	return event.Span{Start: t, End: t.Add(time.Minute), Precision: event.TimeExact}
}

// dayIn is the whole local day in a zone, as the parsers write it.
func dayIn(date, zone string) event.Span {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	d, err := time.ParseInLocation("2006-01-02", date, loc)
	if err != nil {
		panic(err)
	}
	return event.Span{Start: d.UTC(), End: d.AddDate(0, 0, 1).UTC(), Precision: event.TimeDay}
}

// day is an ACLED day: the UTC day.
func day(date string) event.Span { return dayIn(date, "UTC") }

func in(country, admin1, id, name string) event.Place {
	return event.Place{Country: country, Admin1: admin1, Admin1ID: id, Name: name, Precision: event.GeoTown}
}

var (
	sloviansk = in("UA", "Donetsk", "UA-14", "Sloviansk")
	kherson   = in("UA", "Kherson", "UA-65", "Kherson")
	sudzha    = in("RU", "Kursk", "RU-KRS", "Sudzha")
	minsk     = in("BY", "Minsk", "BY-HM", "Minsk")
)

func notes(term, words string) event.Reason {
	return event.Reason{Term: term, Field: "notes", Match: words, Rule: "en:" + words}
}

var (
	substation  = notes("energy.electricity.transmission", "substation")
	refinery    = notes("energy.refinery", "oil refinery")
	house       = notes("civilian.residential", "residential building")
	railway     = notes("infrastructure.transport.rail", "railway station")
	powerPlant  = notes("energy.electricity.generation", "thermal power plant")
	byDrone     = &event.Reason{Term: "strike.drone", Field: "notes", Match: "drone", Rule: "Air/drone strike naming a drone"}
	byShelling  = &event.Reason{Term: "strike.artillery", Field: "sub_event_type", Match: "Shelling/artillery/missile attack"}
	byShootDown = &event.Reason{Term: "interception", Field: "notes", Match: "shot down", Rule: "Disrupted weapons use: shoot-down"}
	byClash     = &event.Reason{Term: "ground.clash", Field: "sub_event_type", Match: "Armed clash"}
)

func actors(actor1, actor2 string) []event.Actor {
	var as []event.Actor
	if actor1 != "" {
		as = append(as, event.Actor{Name: actor1, Role: "actor1"})
	}
	if actor2 != "" {
		as = append(as, event.Actor{Name: actor2, Role: "actor2"})
	}
	return as
}

// strike is a drone strike by actor1 on the targets.
func strike(span event.Span, p event.Place, actor1 string, targets ...event.Reason) *event.Event {
	return &event.Event{Source: "acled", SourceID: "T1", Time: span, Place: p,
		Actors: actors(actor1, "Civilians (Ukraine)"), Kind: "strike.drone", KindReason: byDrone, Targets: targets}
}

// summary is a result in one line, for exact comparison.
func summary(r Result) string {
	s := fmt.Sprintf("%s/%s accused=%s %s", r.Reading, r.CommitmentID, r.Accused, r.Verdict)
	if r.Failed != "" {
		s += "(" + string(r.Failed) + ")"
	}
	return s + " time=" + string(r.Time)
}

func summaries(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = summary(r)
	}
	return out
}

func check(t *testing.T, got []Result, want ...string) {
	t.Helper()
	if g := summaries(got); !slices.Equal(g, want) {
		t.Errorf("results:\n got  %q\n want %q", g, want)
		for _, r := range got {
			t.Logf("  %s", r.Explanation())
		}
	}
}

func TestMoratorium(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	cases := []struct {
		name string
		ev   *event.Event
		want []string
	}{
		// RU reading: 2025-03-18T00:00 Europe/Moscow = 2025-03-17T21:00Z,
		// more than NearTime before the UA start: no UA near miss.
		{"5 min before RU start", strike(at("2025-03-17T20:55:00Z"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU near_miss(time) time=before",
		}},
		{"at the RU start instant", strike(at("2025-03-17T21:00:00Z"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
		}},
		{"5 min after RU start", strike(at("2025-03-17T21:05:00Z"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
		}},
		// UA reading: 2025-03-25T00:00 Europe/Kyiv = 2025-03-24T22:00Z.
		{"5 min before UA start", strike(at("2025-03-24T21:55:00Z"), sudzha, uaForces, refinery), []string{
			"RU/energy-strikes accused=UA candidate time=inside",
			"UA/energy-strikes accused=UA near_miss(time) time=before",
		}},
		{"5 min after UA start", strike(at("2025-03-24T22:05:00Z"), sudzha, uaForces, refinery), []string{
			"RU/energy-strikes accused=UA candidate time=inside",
			"UA/energy-strikes accused=UA candidate time=inside",
		}},
		// ACLED days are UTC days: 17 March UTC straddles 21:00Z.
		{"day precision on the RU boundary day", strike(day("2025-03-17"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU ambiguous time=ambiguous",
			"UA/energy-strikes accused=RU near_miss(time) time=before",
		}},
		{"day precision on the UA boundary day", strike(day("2025-03-24"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU ambiguous time=ambiguous",
		}},
		// The Kyiv day of 18 March starts at 22:00Z on the 17th: inside RU.
		{"Kyiv day of 18 March", strike(dayIn("2025-03-18", "Europe/Kyiv"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU near_miss(time) time=before",
		}},
		// RU end: 2025-04-17T00:00 Moscow = 2025-04-16T21:00Z.
		{"day precision on the RU end day", strike(day("2025-04-16"), sudzha, uaForces, refinery), []string{
			"RU/energy-strikes accused=UA ambiguous time=ambiguous",
			"UA/energy-strikes accused=UA candidate time=inside",
		}},
		{"after the RU end", strike(at("2025-04-16T21:00:00Z"), sudzha, uaForces, refinery), []string{
			"RU/energy-strikes accused=UA near_miss(time) time=after",
			"UA/energy-strikes accused=UA candidate time=inside",
		}},
		// The night of 18-19 March (Kyiv time): RU reading only.
		{"night of 18-19 March", strike(at("2025-03-18T21:30:00Z"), sloviansk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU near_miss(time) time=before",
		}},
		{"shoot-down near a power plant", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: kherson,
			Actors: actors(uaAir, ruForces), Kind: "interception", KindReason: byShootDown, Targets: []event.Reason{powerPlant}}, []string{
			"RU/energy-strikes accused=UA near_miss(kind) time=inside",
			"UA/energy-strikes accused=UA near_miss(kind) time=inside",
		}},
		{"shoot-down, no target", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: kherson,
			Actors: actors(uaAir, ruForces), Kind: "interception", KindReason: byShootDown}, nil},
		{"ground fighting", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: sloviansk,
			Actors: actors(ruForces, uaForces), Kind: "ground.clash", KindReason: byClash}, nil},
		{"ground fighting at a substation", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: sloviansk,
			Actors: actors(ruForces, uaForces), Kind: "ground.clash", KindReason: byClash, Targets: []event.Reason{substation}}, []string{
			"RU/energy-strikes accused=RU near_miss(kind) time=inside",
			"UA/energy-strikes accused=RU near_miss(kind) time=inside",
		}},
		{"strike on a house", strike(day("2025-03-28"), kherson, ruForces, house), []string{
			"RU/energy-strikes accused=RU near_miss(target) time=inside",
			"UA/energy-strikes accused=RU near_miss(target) time=inside",
		}},
		{"shelling with no target", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: kherson,
			Actors: actors(ruForces, ""), Kind: "strike.artillery", KindReason: byShelling}, []string{
			"RU/energy-strikes accused=RU near_miss(target) time=inside",
			"UA/energy-strikes accused=RU near_miss(target) time=inside",
		}},
		{"strike on a house outside both windows", strike(day("2025-02-10"), kherson, ruForces, house), nil},
		{"unmapped actor", strike(day("2025-03-28"), sloviansk, "Unidentified Armed Group (Ukraine)", substation), []string{
			"RU/energy-strikes accused= near_miss(party) time=inside",
			"UA/energy-strikes accused= near_miss(party) time=inside",
		}},
		{"energy strike outside the geography", strike(day("2025-03-28"), minsk, ruForces, substation), []string{
			"RU/energy-strikes accused=RU near_miss(place) time=inside",
			"UA/energy-strikes accused=RU near_miss(place) time=inside",
		}},
		{"railway: UA reading's infrastructure", strike(day("2025-03-28"), kherson, ruForces, railway), []string{
			"RU/energy-strikes accused=RU near_miss(target) time=inside",
			"UA/energy-strikes accused=RU candidate time=inside",
		}},
		{"a house and a substation", strike(day("2025-03-28"), kherson, ruForces, house, substation), []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU candidate time=inside",
		}},
		{"country unknown", strike(day("2025-03-28"), event.Place{Name: "somewhere"}, ruForces, substation), []string{
			"RU/energy-strikes accused=RU ambiguous time=inside",
			"UA/energy-strikes accused=RU ambiguous time=inside",
		}},
		{"party set at ingest", &event.Event{Source: "csv", Time: day("2025-03-28"), Place: kherson,
			Actors: []event.Actor{{Name: "Russian army", Role: "perpetrator", Party: "RU"}}, Kind: "strike.missile", Targets: []event.Reason{substation}}, []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU candidate time=inside",
		}},
		{"bound party only on the receiving end", &event.Event{Source: "acled", Time: day("2025-03-28"), Place: kherson,
			Actors: actors("", ruForces), Kind: "strike.drone", Targets: []event.Reason{substation}}, []string{
			"RU/energy-strikes accused= near_miss(party) time=inside",
			"UA/energy-strikes accused= near_miss(party) time=inside",
		}},
		{"strike report: the launcher acts", &event.Event{Source: "missile-attacks-ukraine", Time: at("2025-03-28T01:00:00Z"), Place: kherson,
			Actors: []event.Actor{{Name: "Armed Forces of the Russian Federation", Role: "launcher", Party: "RU"}}, Kind: "strike.missile", Targets: []event.Reason{substation}}, []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU candidate time=inside",
		}},
		{"mapping: the target role never acts", &event.Event{Source: "csv", Time: day("2025-03-28"), Place: sudzha,
			Actors: []event.Actor{{Name: "Rosneft", Role: "target", Party: "RU"}}, Kind: "strike.drone", Targets: []event.Reason{refinery}}, []string{
			"RU/energy-strikes accused= near_miss(party) time=inside",
			"UA/energy-strikes accused= near_miss(party) time=inside",
		}},
		{"deleted upstream", func() *event.Event {
			e := strike(day("2025-03-28"), kherson, ruForces, substation)
			e.Deleted = true
			return e
		}(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check(t, m.Event(tc.ev, nil), tc.want...)
		})
	}
}

// UCDP names the two sides of a dyad, not who acted.
func TestDyadAttribution(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	dyad := func(a, b string) *event.Event {
		return &event.Event{Source: "ucdp", Time: day("2025-03-28"), Place: sloviansk,
			Actors: []event.Actor{{Name: a, Role: "side_a"}, {Name: b, Role: "side_b"}},
			Kind:   "strike", Targets: []event.Reason{substation}}
	}
	got := m.Event(dyad("Government of Russia (Soviet Union)", "Government of Ukraine"), nil)
	check(t, got,
		"RU/energy-strikes accused=RU ambiguous time=inside",
		"RU/energy-strikes accused=UA ambiguous time=inside",
		"UA/energy-strikes accused=RU ambiguous time=inside",
		"UA/energy-strikes accused=UA ambiguous time=inside",
	)
	p := got[0].Check(ClauseParty)
	want := "side_a 'Government of Russia (Soviet Union)' = party RU via ucdp alias; RU is bound by energy-strikes, but side_a/side_b do not say which side acted; side_b 'Government of Ukraine' = party UA is bound too: whichever acted, a bound party did"
	if p.Detail != want || !p.OK || !p.Unsure {
		t.Errorf("party check = %+v\nwant detail %q", p, want)
	}
	check(t, m.Event(dyad("Government of Russia (Soviet Union)", "IS"), nil),
		"RU/energy-strikes accused=RU ambiguous time=inside",
		"UA/energy-strikes accused=RU ambiguous time=inside",
	)
}

func TestReadingOption(t *testing.T) {
	m := matcher(t, Options{Reading: "UA"}, parse(t, "energy-moratorium-2025.yaml"))
	check(t, m.Event(strike(day("2025-03-28"), kherson, ruForces, railway), nil),
		"UA/energy-strikes accused=RU candidate time=inside")
	if _, err := NewWith(Options{Reading: "XX"}, parse(t, "energy-moratorium-2025.yaml")); err == nil ||
		!strings.Contains(err.Error(), "energy-moratorium-2025") {
		t.Errorf("unknown reading: err = %v", err)
	}
}

func TestNoNearMisses(t *testing.T) {
	m := matcher(t, Options{NoNearMisses: true}, parse(t, "energy-moratorium-2025.yaml"))
	check(t, m.Event(strike(at("2025-03-18T21:30:00Z"), sloviansk, ruForces, substation), nil),
		"RU/energy-strikes accused=RU candidate time=inside")
	check(t, m.Event(strike(day("2025-03-28"), kherson, ruForces, house), nil))
}

func TestClaims(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	count := 30
	cases := []struct {
		name string
		c    *event.Claim
		want []string
	}{
		{"RU MoD: gas metering station at Sudzha", &event.Claim{Type: event.ClaimAllegation, Claimant: "Минобороны России", Accused: "UA",
			Time: dayIn("2025-03-21", "Europe/Moscow"), Places: []event.Place{sudzha}, Kind: "strike.drone",
			Targets: []event.Reason{{Term: "energy.oil_gas.pumping", Field: "text", Match: "gas metering station"}}}, []string{
			"RU/energy-strikes accused=UA candidate time=inside",
			"UA/energy-strikes accused=UA near_miss(time) time=before",
		}},
		{"accused named by alias", &event.Claim{Type: event.ClaimAllegation, Claimant: "UA", Accused: "Russian Ministry of Defence",
			Time: dayIn("2025-03-28", "Europe/Kyiv"), Places: []event.Place{kherson}, Kind: "strike",
			Targets: []event.Reason{{Term: "energy.electricity.transmission", Field: "text", Match: "transformer"}}}, []string{
			"RU/energy-strikes accused=RU candidate time=inside",
			"UA/energy-strikes accused=RU candidate time=inside",
		}},
		{"count-only, no target", &event.Claim{Type: event.ClaimCount, Claimant: "UA", Accused: "RU", Count: &count,
			Time: event.Span{Start: utc("2025-03-24T22:00:00Z"), End: utc("2025-04-01T21:00:00Z"), Precision: event.TimeWeek},
			Kind: "strike"}, []string{
			"RU/energy-strikes accused=RU near_miss(target) time=inside",
			"UA/energy-strikes accused=RU near_miss(target) time=inside",
		}},
		{"no accused", &event.Claim{Type: event.ClaimAllegation, Claimant: "UA",
			Time: dayIn("2025-03-28", "Europe/Kyiv"), Places: []event.Place{kherson}, Kind: "strike", Targets: []event.Reason{substation}}, []string{
			"RU/energy-strikes accused= near_miss(party) time=inside",
			"UA/energy-strikes accused= near_miss(party) time=inside",
		}},
		{"denial", &event.Claim{Type: event.ClaimDenial, Claimant: "UA", Accused: "UA",
			Time: dayIn("2025-03-28", "Europe/Kyiv"), Kind: "strike", Targets: []event.Reason{substation}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Claim(tc.c, nil)
			check(t, got, tc.want...)
		})
	}

	got := m.Claim(cases[0].c, nil)
	if got[0].Claimant != "RU" {
		t.Errorf("claimant = %q, want RU (via alias)", got[0].Claimant)
	}
	got = m.Claim(cases[2].c, nil)
	if !slices.Contains(got[0].Notes, "count-only claim: 30 incidents alleged, not expanded into events") {
		t.Errorf("notes = %q", got[0].Notes)
	}
	if d := got[0].Check(ClausePlace).Detail; d != "the claim names no place (countries UA, RU)" {
		t.Errorf("place = %q", d)
	}
}

func TestEasterTruceWordOnlyException(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "easter-truce-2025.yaml"))
	shelling := &event.Event{Source: "acled", Time: at("2025-04-19T16:00:00Z"), Place: kherson,
		Actors: actors(ruForces, "Civilians (Ukraine)"), Kind: "strike.artillery", KindReason: byShelling}
	got := m.Event(shelling, nil)
	check(t, got, "agreed/easter-ru accused=RU candidate time=inside")
	if want := []string{"exception repel-violations may apply: a reviewer must decide"}; !slices.Equal(got[0].Notes, want) {
		t.Errorf("notes = %q, want %q", got[0].Notes, want)
	}
	// 18:00 Moscow on 19 April is 15:00Z; a UTC day straddles it.
	clash := &event.Event{Source: "acled", Time: day("2025-04-19"), Place: sloviansk,
		Actors: actors(uaForces, ruForces), Kind: "ground.clash", KindReason: byClash}
	check(t, m.Event(clash, nil), "agreed/easter-ua accused=UA ambiguous time=ambiguous")
	// Shoot-downs are not military operations under either commitment.
	down := &event.Event{Source: "acled", Time: at("2025-04-19T16:00:00Z"), Place: kherson,
		Actors: actors(uaAir, ruForces), Kind: "interception", KindReason: byShootDown}
	check(t, m.Event(down, nil), "agreed/easter-ua accused=UA near_miss(kind) time=inside")
}

// A machine-checkable exception: strikes on military objects are excepted
// from a truce on strikes, everything else stays a candidate.
const withException = `format: 1
id: test-truce
version: 1
title: Test truce
status: in_force
parties:
  - id: RU
    name: Russian Federation
    aliases:
      acled: ["Military Forces of Russia (2000-)"]
  - id: UA
    name: Ukraine
sources:
  - id: s1
    title: Test statement
    date: 2025-03-18
window:
  start: 2025-03-18T00:00
  time_zone: Europe/Moscow
  duration: 30d
  source: s1
release:
  kind: none
  text: none
  source: s1
commitments:
  - id: no-strikes
    title: No strikes
    bound: [RU, UA]
    prohibited:
      kinds: [strike]
    geography:
      countries: [UA]
      admin1: [UA-14, Kherson]
    exceptions:
      - id: military-objects
        description: Strikes on military objects are not covered.
        targets: [military]
        source: s1
      - id: self-defence
        description: Fire in self-defence, for a reviewer to judge.
        source: s1
    source: s1
`

func TestMachineCheckableException(t *testing.T) {
	a, err := agreement.Parse("test.yaml", []byte(withException))
	if err != nil {
		t.Fatal(err)
	}
	m := matcher(t, Options{}, a)
	military := notes("military.equipment", "air defence system")
	got := m.Event(strike(day("2025-03-28"), sloviansk, ruForces, military), nil)
	check(t, got, "agreed/no-strikes accused=RU excepted time=inside")
	if got[0].Exception != "military-objects" ||
		!slices.Equal(got[0].Notes, []string{"exception military-objects covers it: target military.equipment is covered by excepted 'military'"}) {
		t.Errorf("exception = %q, notes = %q", got[0].Exception, got[0].Notes)
	}
	// A military object and a house: the house is not excepted.
	got = m.Event(strike(day("2025-03-28"), kherson, ruForces, military, house), nil)
	check(t, got, "agreed/no-strikes accused=RU candidate time=inside")
	if !slices.Equal(got[0].Notes, []string{"exception self-defence may apply: a reviewer must decide"}) {
		t.Errorf("notes = %q", got[0].Notes)
	}
	// Regions: by ISO id (UA-14) and by name (Kherson, any case); Kyiv is out.
	kyiv := in("UA", "Kyiv City", "UA-30", "Kyiv")
	check(t, m.Event(strike(day("2025-03-28"), kyiv, ruForces, house), nil),
		"agreed/no-strikes accused=RU near_miss(place) time=inside")
	lower := in("UA", "kherson", "", "Kherson")
	check(t, m.Event(strike(day("2025-03-28"), lower, ruForces, house), nil),
		"agreed/no-strikes accused=RU candidate time=inside")
	// A resolver turns a region name into its id.
	byID := matcher(t, Options{ResolveAdmin1: func(n string) (string, bool) { return map[string]string{"Kherson": "UA-65"}[n], n == "Kherson" }}, a)
	cyr := in("UA", "Херсонська область", "UA-65", "Херсон")
	check(t, byID.Event(strike(day("2025-03-28"), cyr, ruForces, house), nil),
		"agreed/no-strikes accused=RU candidate time=inside")
	check(t, m.Event(strike(day("2025-03-28"), cyr, ruForces, house), nil),
		"agreed/no-strikes accused=RU near_miss(place) time=inside")
}

func TestReleaseRule(t *testing.T) {
	mor := parse(t, "energy-moratorium-2025.yaml")
	m := matcher(t, Options{Reading: "RU"}, mor).WithViolations(
		Violation{Party: "RU", At: utc("2025-03-20T00:00:00Z"), AgreementID: "energy-moratorium-2025"},
		Violation{Party: "RU", At: utc("2025-03-25T00:00:00Z"), AgreementID: "energy-moratorium-2025"},
	)
	want := "UA may consider itself released: RU in confirmed violation since 2025-03-20T03:00 Europe/Moscow (release rule of energy-moratorium-2025)"
	after := m.Event(strike(day("2025-03-27"), sudzha, uaForces, refinery), nil)
	check(t, after, "RU/energy-strikes accused=UA candidate time=inside")
	if !slices.Contains(after[0].Notes, want) {
		t.Errorf("notes = %q, want %q", after[0].Notes, want)
	}
	before := m.Event(strike(day("2025-03-19"), sudzha, uaForces, refinery), nil)
	check(t, before, "RU/energy-strikes accused=UA candidate time=inside")
	if len(before[0].Notes) != 0 {
		t.Errorf("before the violation: notes = %q", before[0].Notes)
	}
	ru := m.Event(strike(day("2025-03-27"), sloviansk, ruForces, substation), nil)
	if len(ru[0].Notes) != 0 {
		t.Errorf("the violator itself: notes = %q", ru[0].Notes)
	}
	// Easter truce has no release rule: no note whatever was confirmed.
	e := matcher(t, Options{}, parse(t, "easter-truce-2025.yaml")).WithViolations(
		Violation{Party: "RU", At: utc("2025-04-19T15:00:00Z"), AgreementID: "easter-truce-2025"})
	got := e.Event(&event.Event{Time: at("2025-04-19T18:00:00Z"), Place: sudzha, Actors: actors(uaForces, ""), Kind: "strike"}, nil)
	check(t, got, "agreed/easter-ua accused=UA candidate time=inside")
	if !slices.Equal(got[0].Notes, []string{"exception mirror-response may apply: a reviewer must decide"}) {
		t.Errorf("notes = %q", got[0].Notes)
	}
	// The receiver is unchanged.
	if r := matcher(t, Options{}, mor); r.released != nil {
		t.Error("released set on a new matcher")
	}
}

func TestNotInForce(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "jeddah-ceasefire-proposal-2025.yaml"))
	check(t, m.Event(&event.Event{Source: "acled", Time: day("2025-03-28"), Place: sloviansk,
		Actors: actors(ruForces, uaForces), Kind: "ground.clash", KindReason: byClash}, nil))
	if got, want := m.NotInForce(), []string{"jeddah-ceasefire-proposal-2025/agreed/comprehensive-ceasefire"}; !slices.Equal(got, want) {
		t.Errorf("NotInForce = %q, want %q", got, want)
	}
}

// A time near miss must be near: within NearTime of the window.
func TestNearTime(t *testing.T) {
	mor := parse(t, "energy-moratorium-2025.yaml")
	// UA window starts 2025-03-24T22:00Z; 7 days before is 2025-03-17T22:00Z.
	inside := strike(at("2025-03-17T22:00:00Z"), sloviansk, ruForces, substation)
	outside := strike(at("2025-03-17T21:58:00Z"), sloviansk, ruForces, substation)
	m := matcher(t, Options{Reading: "UA"}, mor)
	check(t, m.Event(inside, nil), "UA/energy-strikes accused=RU near_miss(time) time=before")
	check(t, m.Event(outside, nil))
	wide := matcher(t, Options{Reading: "UA", NearTime: 30 * 24 * time.Hour}, mor)
	check(t, wide.Event(outside, nil), "UA/energy-strikes accused=RU near_miss(time) time=before")
	// After the RU end (2025-04-16T21:00Z) by more than a week: nothing.
	late := strike(day("2025-04-24"), sudzha, uaForces, refinery)
	check(t, matcher(t, Options{Reading: "RU"}, mor).Event(late, nil))
}

// The explanation of the night of 18-19 March, in full.
func TestExplanationExact(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	e := strike(at("2025-03-18T21:30:00Z"), sloviansk, ruForces, substation)
	got := m.Event(e, nil)
	want := "party: actor 'Military Forces of Russia (2000-)' (actor1) = party RU via acled alias; RU is bound by energy-strikes" +
		" | kind: kind strike.drone ('drone' in notes, rule Air/drone strike naming a drone) is covered by prohibited 'strike'" +
		" | target: 'substation' in notes = category energy.electricity.transmission, covered by prohibited energy.electricity" +
		" | place: 'Sloviansk' (UA, Donetsk UA-14; town): country UA is in countries UA, RU" +
		" | time: 2025-03-18T21:30Z (exact; 2025-03-19T00:30 Europe/Moscow) inside RU reading window 2025-03-18T00:00 .. 2025-04-17T00:00 Europe/Moscow"
	if g := got[0].Explanation(); g != want {
		t.Errorf("explanation:\n got  %s\n want %s", g, want)
	}
	// The same record from a hand-written source: the ACLED name matched
	// the agreement's ACLED list, which the explanation says as it is.
	e.Source = "scenario-reports"
	if g := m.Event(e, nil)[0].Explanation(); !strings.Contains(g, "= party RU by the agreement's acled alias list, though the record is from scenario-reports;") {
		t.Errorf("a hand-written report's alias: %s", g)
	}
	e.Source = "acled"
	r := got[0]
	if r.Category != "energy.electricity.transmission" || r.Version != 2 {
		t.Errorf("category %q version %d", r.Category, r.Version)
	}
	wantChecks := []Check{
		{Clause: ClauseParty, Field: "actor1", Value: ruForces, OK: true},
		{Clause: ClauseKind, Field: "notes", Value: "strike.drone", OK: true},
		{Clause: ClauseTarget, Field: "notes", Value: "substation", OK: true},
		{Clause: ClausePlace, Field: "place", Value: "Sloviansk", OK: true},
		{Clause: ClauseTime, Field: "time", OK: true},
	}
	for i, c := range r.Checks {
		c.Detail = ""
		if i == 4 {
			c.Value = ""
		}
		if c != wantChecks[i] {
			t.Errorf("check %d = %+v, want %+v", i, c, wantChecks[i])
		}
	}
}

// Near misses say which clause failed, with the words and the field.
func TestNearMissExplanations(t *testing.T) {
	m := matcher(t, Options{Reading: "RU"}, parse(t, "energy-moratorium-2025.yaml"))
	cases := []struct {
		name   string
		ev     *event.Event
		clause Clause
		field  string
		detail string
	}{
		{"house", strike(day("2025-03-28"), kherson, ruForces, house), ClauseTarget, "notes",
			"'residential building' in notes = category civilian.residential: not prohibited (prohibited: energy.refinery, energy.oil_gas, energy.electricity, energy.nuclear, energy.hydro)"},
		{"shelling, no target", &event.Event{Time: day("2025-03-28"), Place: kherson, Actors: actors(ruForces, ""), Kind: "strike.artillery", KindReason: byShelling}, ClauseTarget, "",
			"no target category recognised in the record (prohibited: energy.refinery, energy.oil_gas, energy.electricity, energy.nuclear, energy.hydro)"},
		{"shoot-down", &event.Event{Time: day("2025-03-28"), Place: kherson, Actors: actors(uaAir, ruForces), Kind: "interception", KindReason: byShootDown, Targets: []event.Reason{powerPlant}}, ClauseKind, "notes",
			"kind interception ('shot down' in notes, rule Disrupted weapons use: shoot-down) is not prohibited (prohibited: strike)"},
		{"unmapped", strike(day("2025-03-28"), kherson, "Unidentified Armed Group (Ukraine)", substation), ClauseParty, "actor1",
			"no acting actor is a party bound by energy-strikes (RU, UA): actor1 'Unidentified Armed Group (Ukraine)' maps to no party"},
		{"Minsk", strike(day("2025-03-28"), minsk, ruForces, substation), ClausePlace, "country",
			"'Minsk' (BY, Minsk BY-HM; town): country BY is not in countries UA, RU"},
		{"before", strike(at("2025-03-17T20:55:00Z"), sloviansk, ruForces, substation), ClauseTime, "time",
			"2025-03-17T20:55Z (exact; 2025-03-17T23:55 Europe/Moscow) outside (before) RU reading window 2025-03-18T00:00 .. 2025-04-17T00:00 Europe/Moscow"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Event(tc.ev, nil)
			if len(got) != 1 || got[0].Verdict != VerdictNearMiss || got[0].Failed != tc.clause {
				t.Fatalf("got %q", summaries(got))
			}
			c := got[0].Check(tc.clause)
			if c.OK || c.Field != tc.field || c.Detail != tc.detail {
				t.Errorf("check = %+v\nwant field %q detail %q", *c, tc.field, tc.detail)
			}
			if !strings.Contains(got[0].Explanation(), string(tc.clause)+" FAILS: "+tc.detail) {
				t.Errorf("explanation %q lacks the failing clause", got[0].Explanation())
			}
		})
	}
}

func TestTimeText(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"))
	moscow, _ := time.LoadLocation("Europe/Moscow")
	cases := []struct {
		span event.Span
		want string
	}{
		{day("2025-03-19"), "2025-03-19 (day, UTC 00:00-24:00)"},
		// Kyiv is UTC+2 until 30 March: its midnight names the zone.
		{dayIn("2025-03-19", "Europe/Kyiv"), "2025-03-19 (day, Europe/Kyiv 00:00-24:00)"},
		{dayIn("2025-03-19", "Europe/Moscow"), "2025-03-19 (day, Europe/Moscow 00:00-24:00)"},
		// From 30 March Kyiv and Moscow are both UTC+3: the zone cannot be told.
		{dayIn("2025-04-02", "Europe/Kyiv"), "2025-04-02 (day, UTC+03:00 00:00-24:00)"},
		{event.Span{Start: utc("2025-03-01T00:00:00Z"), End: utc("2025-04-01T00:00:00Z"), Precision: event.TimeMonth},
			"2025-03-01 .. 2025-04-01 (month, UTC 00:00, end excluded)"},
		{event.Span{Start: utc("2025-03-18T21:30:00Z"), Precision: event.TimeExact},
			"2025-03-18T21:30Z (exact; 2025-03-19T00:30 Europe/Moscow)"},
	}
	for _, tc := range cases {
		var w writer
		m.spanText(&w, tc.span, moscow)
		if got := w.String(); got != tc.want {
			t.Errorf("spanText(%v) = %q, want %q", tc.span, got, tc.want)
		}
	}
}

func TestPolygon(t *testing.T) {
	// A square around Zaporizhzhia NPP (lon 34.5-34.7, lat 47.4-47.6) with
	// coordinates as YAML decoding leaves them: mixed integer types.
	square := []any{[]any{
		[]any{34.5, 47.4}, []any{34.7, 47.4}, []any{34.7, uint64(48)}, []any{int64(34), 47.6}, []any{34.5, 47.4},
	}}
	polys, err := decodePolygon(&agreement.Polygon{Type: "MultiPolygon", Coordinates: []any{square}})
	if err != nil {
		t.Fatal(err)
	}
	s := scope{polys: polys, polyType: "MultiPolygon"}
	pt := func(lat, lon float64, prec event.GeoPrecision) *event.Place {
		return &event.Place{Name: "p", Lat: &lat, Lon: &lon, Precision: prec}
	}
	cases := []struct {
		p    *event.Place
		want outcome
	}{
		{pt(47.51, 34.58, event.GeoTown), holds},
		{pt(47.51, 35.5, event.GeoTown), fails},
		{pt(47.51, 34.58, event.GeoAdmin1), maybe},
		{&event.Place{Name: "no coordinates", Precision: event.GeoTown}, maybe},
	}
	for _, tc := range cases {
		if got := s.placeOutcome(tc.p); got != tc.want {
			t.Errorf("%+v: got %d, want %d", tc.p, got, tc.want)
		}
	}
	var w writer
	if s.describe(&w, pt(47.51, 34.58, event.GeoAdmin1)); w.String() != "'p' (admin1): coordinates known only to admin1 precision (a centroid): cannot tell whether inside the commitment's MultiPolygon" {
		t.Errorf("describe = %q", w.String())
	}
	// A hole cuts the polygon.
	holed, err := decodePolygon(&agreement.Polygon{Type: "Polygon", Coordinates: [][][]float64{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !holed[0].contains(2, 2) || holed[0].contains(5, 5) {
		t.Error("hole not respected")
	}
	if _, err := decodePolygon(&agreement.Polygon{Type: "Polygon", Coordinates: []any{[]any{[]any{"x", 1}}}}); err == nil {
		t.Error("bad coordinates accepted")
	}
}

// The hot path: a record that matches nothing allocates nothing.
func TestNoAllocationWithoutResult(t *testing.T) {
	m := matcher(t, Options{}, parse(t, "energy-moratorium-2025.yaml"), parse(t, "easter-truce-2025.yaml"))
	clash := &event.Event{Source: "acled", Time: day("2025-03-28"), Place: sloviansk,
		Actors: actors(ruForces, uaForces), Kind: "ground.clash", KindReason: byClash}
	dst := make([]Result, 0, 8)
	if n := testing.AllocsPerRun(100, func() { dst = m.Event(clash, dst[:0]) }); n != 0 || len(dst) != 0 {
		t.Errorf("allocs = %v, results = %d", n, len(dst))
	}
}

// A source that never records the facility (the daily strike reports) marks
// the target unknown: against a commitment that lists targets, the target
// clause may hold, so the strike is ambiguous, never a candidate and never
// silently dropped.
func TestUnknownTargetIsAmbiguous(t *testing.T) {
	m := matcher(t, Options{Reading: "RU"}, parse(t, "energy-moratorium-2025.yaml"))
	unknown := event.Reason{Term: "unknown", Field: "target", Match: "Ukraine", Rule: "the reports name regions, never facilities"}
	e := strike(at("2025-03-19T01:00:00Z"), in("UA", "", "", "Ukraine"), ruForces, unknown)
	got := m.Event(e, nil)
	check(t, got, "RU/energy-strikes accused=RU ambiguous time=inside")
	if len(got) == 1 {
		c := got[0].Check(ClauseTarget)
		if !c.OK || !c.Unsure || c.Field != "target" || c.Value != "Ukraine" ||
			!strings.HasPrefix(c.Detail, "target unknown: the reports name regions, never facilities (field target)") {
			t.Errorf("target check %+v", c)
		}
	}
	// A known non-energy target next to the unknown one does not make it
	// a candidate either.
	e.Targets = append(e.Targets, house)
	check(t, m.Event(e, nil), "RU/energy-strikes accused=RU ambiguous time=inside")
}

// "Energy infrastructure" names the parent category. The moratorium lists
// every energy subcategory, so whatever the broad word means is prohibited:
// a candidate, and the explanation says why (the breadth rule). A list that
// leaves one subcategory out may not cover it: ambiguous.
func TestBreadthRule(t *testing.T) {
	ag := parse(t, "energy-moratorium-2025.yaml")
	m := matcher(t, Options{Reading: "RU"}, ag)
	energy := notes("energy", "energy infrastructure")
	got := m.Event(strike(at("2025-03-19T01:00:00Z"), sloviansk, ruForces, energy), nil)
	check(t, got, "RU/energy-strikes accused=RU candidate time=inside")
	if len(got) == 1 {
		c := got[0].Check(ClauseTarget)
		if want := "'energy infrastructure' in notes = category energy, covered by prohibited energy (the commitment lists every subcategory of energy: energy.refinery, energy.oil_gas, energy.electricity, energy.nuclear, energy.hydro)"; c.Detail != want || c.Unsure {
			t.Errorf("target check %q", c.Detail)
		}
	}

	// Without hydro the list no longer covers every kind of energy site.
	for i := range ag.Commitments {
		var kept []string
		for _, tg := range ag.Commitments[i].Prohibited.Targets {
			if tg != "energy.hydro" {
				kept = append(kept, tg)
			}
		}
		ag.Commitments[i].Prohibited.Targets = kept
	}
	m = matcher(t, Options{Reading: "RU"}, ag)
	got = m.Event(strike(at("2025-03-19T01:00:00Z"), sloviansk, ruForces, energy), nil)
	check(t, got, "RU/energy-strikes accused=RU ambiguous time=inside")
	if len(got) == 1 {
		c := got[0].Check(ClauseTarget)
		if want := "'energy infrastructure' in notes = category energy, broader than the prohibited energy.refinery: it may or may not be one of energy.refinery, energy.oil_gas, energy.electricity, energy.nuclear"; c.Detail != want || !c.Unsure {
			t.Errorf("target check %q", c.Detail)
		}
	}
	// Together with a prohibited category, the strike is a candidate.
	check(t, m.Event(strike(at("2025-03-19T01:00:00Z"), sloviansk, ruForces, energy, substation), nil),
		"RU/energy-strikes accused=RU candidate time=inside")
}
