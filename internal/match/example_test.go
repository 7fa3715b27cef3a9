package match_test

import (
	"fmt"
	"log"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/match"
)

// The grid of Sloviansk, hit on the night of 18-19 March 2025 (Kyiv time):
// a candidate under Russia's reading of the moratorium, a near miss under
// Ukraine's, which starts on 25 March.
func ExampleMatcher_Event() {
	ag, err := agreement.ParseFile("../../examples/agreements/energy-moratorium-2025.yaml")
	if err != nil {
		log.Fatal(err)
	}
	m, err := match.New(ag)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2025, 3, 18, 21, 30, 0, 0, time.UTC)
	e := &event.Event{
		Source: "acled",
		Time:   event.Span{Start: at, End: at.Add(time.Minute), Precision: event.TimeExact},
		Place:  event.Place{Name: "Sloviansk", Country: "UA", Admin1: "Donetsk", Admin1ID: "UA-14", Precision: event.GeoTown},
		Actors: []event.Actor{{Name: "Military Forces of Russia (2000-)", Role: "actor1"}, {Name: "Civilians (Ukraine)", Role: "actor2"}},
		Kind:   "strike.drone",
		KindReason: &event.Reason{Term: "strike.drone", Field: "notes", Match: "drones",
			Rule: "Air/drone strike naming a drone"},
		Targets: []event.Reason{{Term: "energy.electricity.transmission", Field: "notes", Match: "substation"}},
	}
	for _, r := range m.Event(e, nil) {
		fmt.Printf("%s reading: %s", r.Reading, r.Verdict)
		if r.Failed != "" {
			fmt.Printf(" (%s: %s)", r.Failed, r.Check(r.Failed).Detail)
		}
		fmt.Println()
	}
	// Output:
	// RU reading: candidate
	// UA reading: near_miss (time: 2025-03-18T21:30Z (exact; 2025-03-18T23:30 Europe/Kyiv) outside (before) UA reading window 2025-03-25T00:00 .. 2025-04-24T00:00 Europe/Kyiv)
}
