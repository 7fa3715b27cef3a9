package incident

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// worldRecords makes n reports a day for days days across countries
// countries, as a world-wide dataset replayed (ACLED has about 3,000 events
// a day), plus claims without places, one per hundred reports.
func worldRecords(n, days, countries int) []Record {
	rng := rand.New(rand.NewPCG(1, 2))
	var rs []Record
	kinds := []string{"strike.drone", "strike.artillery", "ground.clash", "protest"}
	for d := range days {
		for k := range n {
			c := rng.IntN(countries)
			lat, lon := float64(c%18)*10-85+rng.Float64()*5, float64(c/18)*20-170+rng.Float64()*5
			start := day0.AddDate(0, 0, d)
			rs = append(rs, Record{
				Ref:    vocab.Ref{Kind: vocab.KindEvent, ID: int64(len(rs) + 1)},
				Source: fmt.Sprint("dataset-", rng.IntN(3)), SourceID: fmt.Sprint(d, "-", k), Role: vocab.MemberReport,
				Kind:   kinds[rng.IntN(len(kinds))],
				Time:   event.Span{Start: start, End: start.Add(24 * time.Hour), Precision: event.TimeDay},
				Places: []Place{{Country: fmt.Sprintf("C%02d", c), Lat: fp(lat), Lon: fp(lon), Precision: event.GeoTown}},
			})
			if k%100 == 0 {
				rs = append(rs, Record{
					Ref:    vocab.Ref{Kind: vocab.KindClaim, ID: int64(len(rs) + 1)},
					Source: "claims", SourceID: fmt.Sprint("c", d, "-", k), Role: vocab.MemberClaim, Claimant: "RU", Accused: "UA",
					PartyClaim: true, Kind: "strike",
					Time: event.Span{Start: start, End: start.Add(24 * time.Hour), Precision: event.TimeDay},
				})
			}
		}
	}
	return rs
}

// BenchmarkBuild groups a month of a world-wide dataset: 1,000 reports a
// day over 60 countries, and the claims among them.
func BenchmarkBuild(b *testing.B) {
	rs := worldRecords(1000, 30, 60)
	opt := Defaults()
	b.ResetTimer()
	for b.Loop() {
		Build(rs, nil, opt)
	}
	b.ReportMetric(float64(len(rs)), "records")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/record")
}
