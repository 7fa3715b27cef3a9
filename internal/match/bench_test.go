package match

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
)

// acledMix builds n events shaped like ACLED rows for Ukraine and Russia in
// the first half of 2025: 70% shelling with no energy target (a fifth of it
// naming houses), 5% strikes on energy, 15% ground fighting, 5% shoot-downs,
// 5% strategic developments. Deterministic, so runs compare.
func acledMix(n int) []*event.Event {
	r := rand.New(rand.NewPCG(1, 2))
	places := []event.Place{sloviansk, kherson, sudzha, in("UA", "Zaporizhia", "UA-23", "Huliaipole"),
		in("UA", "Kharkiv", "UA-63", "Kupiansk"), in("RU", "Belgorod", "RU-BEL", "Shebekino")}
	energy := []event.Reason{substation, refinery, powerPlant, notes("energy.oil_gas.pumping", "pumping station")}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*event.Event, n)
	for i := range out {
		e := &event.Event{Source: "acled", SourceID: "UKR" + string(rune('A'+i%26)),
			Time:  day(start.AddDate(0, 0, r.IntN(181)).Format("2006-01-02")),
			Place: places[r.IntN(len(places))]}
		a1, a2 := ruForces, "Civilians (Ukraine)"
		switch x := r.IntN(10); {
		case x >= 9:
			a1 = "Unidentified Armed Group (Ukraine)"
		case x >= 5:
			a1, a2 = uaForces, "Military Forces of Russia (2000-)"
		}
		e.Actors = actors(a1, a2)
		switch x := r.IntN(100); {
		case x < 70:
			e.Kind, e.KindReason = "strike.artillery", byShelling
			if r.IntN(5) == 0 {
				e.Targets = []event.Reason{house}
			}
		case x < 75:
			e.Kind, e.KindReason = "strike.drone", byDrone
			e.Targets = []event.Reason{energy[r.IntN(len(energy))]}
		case x < 90:
			e.Kind, e.KindReason = "ground.clash", byClash
		case x < 95:
			e.Kind, e.KindReason = "interception", byShootDown
		default:
			e.Kind = "strategic"
		}
		out[i] = e
	}
	return out
}

func BenchmarkEvent(b *testing.B) {
	ags := []string{"energy-moratorium-2025.yaml", "easter-truce-2025.yaml"}
	for _, bc := range []struct {
		name string
		opt  Options
	}{
		{"near-misses", Options{}},
		{"candidates-only", Options{NoNearMisses: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := matcher(b, bc.opt, parse(b, ags[0]), parse(b, ags[1]))
			evs := acledMix(1 << 10)
			dst := make([]Result, 0, 16)
			results := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dst = m.Event(evs[i&(len(evs)-1)], dst[:0])
				results += len(dst)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
			b.ReportMetric(float64(results)/float64(b.N), "results/event")
		})
	}
}

// BenchmarkNoResult is the common case alone: events of the mix that give
// no result, with near misses on, so every clause that can be is checked.
func BenchmarkNoResult(b *testing.B) {
	m := matcher(b, Options{}, parse(b, "energy-moratorium-2025.yaml"), parse(b, "easter-truce-2025.yaml"))
	var evs []*event.Event
	for _, e := range acledMix(1 << 12) {
		if len(m.Event(e, nil)) == 0 {
			evs = append(evs, e)
		}
	}
	evs = evs[:1<<8]
	dst := make([]Result, 0, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = m.Event(evs[i&(len(evs)-1)], dst[:0])
	}
	if len(dst) != 0 {
		b.Fatal("a result")
	}
}

// BenchmarkEventParallel runs the matcher from every core at once, as the
// check pipeline does.
func BenchmarkEventParallel(b *testing.B) {
	m := matcher(b, Options{NoNearMisses: true}, parse(b, "energy-moratorium-2025.yaml"), parse(b, "easter-truce-2025.yaml"))
	evs := acledMix(1 << 10)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		dst := make([]Result, 0, 16)
		i := 0
		for pb.Next() {
			dst = m.Event(evs[i&(len(evs)-1)], dst[:0])
			i++
		}
	})
}

// BenchmarkCandidate is the cost of writing results: one energy strike that
// is a candidate under both readings of the moratorium.
func BenchmarkCandidate(b *testing.B) {
	m := matcher(b, Options{}, parse(b, "energy-moratorium-2025.yaml"))
	e := strike(day("2025-03-28"), sloviansk, ruForces, substation)
	dst := make([]Result, 0, 16)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = m.Event(e, dst[:0])
	}
	if len(dst) != 2 {
		b.Fatal(len(dst))
	}
}
