package report

import (
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/taxonomy"
	"github.com/truce-monitor/truce/internal/vocab"
)

var moratoriumTerms = Terms{
	Parties:     map[string]string{"RU": "Russia", "UA": "Ukraine"},
	Commitments: map[string]string{"energy-strikes": "No strikes on energy infrastructure"},
	Zones:       map[string]*time.Location{"RU": mustZone("Europe/Moscow"), "UA": mustZone("Europe/Kyiv")},
	Regions:     map[string]string{"RU-KDA": "Krasnodar Krai"},
}

// The sentence of a finding, in words and local time, naming the source
// of the allegation and the reading; codes stay out of it.
func TestSentence(t *testing.T) {
	claim := &Finding{
		Result: match.Result{AgreementID: "energy-moratorium-2025", Reading: "RU", CommitmentID: "energy-strikes",
			Accused: "UA", Claimant: "RU", Verdict: vocab.VerdictCandidate, Category: "energy.oil_gas.pumping"},
		Record: vocab.KindClaim, Kind: "strike.drone",
		Span:  event.Span{Start: time.Date(2025, 3, 19, 2, 10, 0, 0, time.UTC), End: time.Date(2025, 3, 19, 3, 10, 0, 0, time.UTC), Precision: event.TimeHour},
		Place: event.Place{Name: "Kavkazskaya", Admin1: "krasnodar", Admin1ID: "RU-KDA", Country: "RU"},
	}
	want := "On 19 March 2025 at 05:10 (Moscow time) Russia alleged that Ukraine struck a pumping or metering station in Kavkazskaya, Krasnodar Krai: prohibited by 'No strikes on energy infrastructure' under Russia's reading."
	if got := Sentence(claim, moratoriumTerms); got != want {
		t.Errorf("claim:\n got %s\nwant %s", got, want)
	}
	event := &Finding{
		Result: match.Result{Reading: "UA", CommitmentID: "energy-strikes", Accused: "RU", Verdict: vocab.VerdictAmbiguous, Category: "energy.electricity.transmission"},
		Record: vocab.KindEvent, Kind: "strike.artillery", Source: "acled",
		Span:  event.Span{Start: time.Date(2025, 3, 24, 22, 0, 0, 0, time.UTC), End: time.Date(2025, 3, 27, 22, 0, 0, 0, time.UTC), Precision: event.TimeDay},
		Place: event.Place{Admin1: "Kherson Oblast", Country: "UA"},
	}
	want = "Between 25 March and 27 March 2025 (Kyiv time) ACLED reported that Russia shelled the power grid in Kherson Oblast: possibly prohibited by 'No strikes on energy infrastructure' under Ukraine's reading; a reviewer must decide."
	if got := Sentence(event, moratoriumTerms); got != want {
		t.Errorf("event:\n got %s\nwant %s", got, want)
	}
	// Every target category has words of its own.
	for _, id := range taxonomy.Targets.IDs() {
		if _, ok := targetNouns[id]; !ok && id != "unknown" {
			t.Errorf("no words for target category %s", id)
		}
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
