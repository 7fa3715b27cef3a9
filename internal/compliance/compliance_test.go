package compliance

import (
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/vocab"
)

var (
	kyiv, _ = time.LoadLocation("Europe/Kyiv")
	ruTerms = agreement.Terms{Reading: "RU", Window: agreement.Resolved{TimeZone: "Europe/Moscow",
		Start: time.Date(2025, 3, 17, 21, 0, 0, 0, time.UTC), End: time.Date(2025, 4, 16, 21, 0, 0, 0, time.UTC)}}
	uaTerms = agreement.Terms{Reading: "UA", Window: agreement.Resolved{TimeZone: "Europe/Kyiv",
		Start: time.Date(2025, 3, 24, 22, 0, 0, 0, time.UTC), End: time.Date(2025, 4, 23, 21, 0, 0, 0, time.UTC)},
		Overrides: map[string]agreement.ConductOverride{"energy": {Targets: []string{"energy", "infrastructure"}}}}
)

func item(id int64, reading, record, accused string, status vocab.Status, at time.Time) Item {
	return Item{Finding: vocab.FindingRef(id), Reading: reading, Record: record, Accused: accused, Commitment: "energy",
		Status: status, Verdict: vocab.VerdictCandidate, Time: at}
}

// Statuses are counted apart and never summed; time-ambiguous findings
// are apart too; every bound party is listed.
func TestSummarize(t *testing.T) {
	at := time.Date(2025, 3, 27, 10, 0, 0, 0, time.UTC)
	items := []Item{
		item(1, "RU", "event/1", "UA", vocab.StatusConfirmed, at),
		item(2, "RU", "event/2", "UA", vocab.StatusAlleged, at),
		item(3, "RU", "event/3", "UA", vocab.StatusAlleged, at),
	}
	items[2].TimeAmbiguous = true
	items[0].Grade, items[0].Admin1, items[0].Category = vocab.GradeConfirmed, "RU-KDA", "energy.oil_gas"
	got := Summarize([]agreement.Terms{ruTerms}, []string{"RU", "UA"}, items)
	if len(got) != 1 || len(got[0].Parties) != 2 || got[0].Parties[0].Party != "RU" {
		t.Fatalf("%+v", got)
	}
	ua := got[0].Parties[1]
	if ua.Timely.ByStatus[vocab.StatusConfirmed] != 1 || ua.Timely.ByStatus[vocab.StatusAlleged] != 1 || ua.Ambiguous.ByStatus[vocab.StatusAlleged] != 1 {
		t.Errorf("UA counts %+v", ua)
	}
	if ua.Timely.ByGrade[string(vocab.GradeConfirmed)] != 1 || ua.Timely.ByGrade[NoIncident] != 1 {
		t.Errorf("UA grades %+v", ua.Timely.ByGrade)
	}
	if ua.ByRegion["RU-KDA"].ByStatus[vocab.StatusConfirmed] != 1 || ua.ByRegion[""].ByStatus[vocab.StatusAlleged] != 1 {
		t.Errorf("UA regions %+v", ua.ByRegion)
	}
	if n := len(got[0].Parties[0].Timely.ByStatus); n != 0 {
		t.Errorf("RU, accused of nothing, has counts %+v", got[0].Parties[0].Timely)
	}
}

// A record one reading counts and another does not is a dispute, with why.
func TestDisputes(t *testing.T) {
	early := time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC) // before the UA window
	mid := time.Date(2025, 3, 30, 10, 0, 0, 0, time.UTC)   // in both
	items := []Item{
		item(1, "RU", "event/1", "RU", vocab.StatusAlleged, early),
		item(2, "UA", "event/2", "RU", vocab.StatusAlleged, mid),
		item(3, "RU", "event/3", "UA", vocab.StatusAlleged, mid),
		item(4, "UA", "event/3", "UA", vocab.StatusAlleged, mid),
	}
	ds := Disputes([]agreement.Terms{ruTerms, uaTerms}, items)
	if len(ds) != 2 {
		t.Fatalf("disputes %+v", ds)
	}
	if ds[0].Record != "event/1" || ds[0].NotBy[0] != "UA" || !strings.Contains(ds[0].Reasons[0], "outside the UA reading's window (2025-03-25 00:00") {
		t.Errorf("event/1: %+v", ds[0])
	}
	if ds[1].Record != "event/2" || ds[1].NotBy[0] != "RU" || !strings.Contains(ds[1].Reasons[0], "the UA reading widens energy to targets energy, infrastructure") {
		t.Errorf("event/2: %+v", ds[1])
	}
	if Disputes([]agreement.Terms{ruTerms}, items) != nil {
		t.Error("one reading has disputes")
	}
}

// Gaps are the days without a record between a source's first and last,
// in the report's zone.
func TestCoverageGaps(t *testing.T) {
	c := NewCoverageTally(kyiv)
	for _, d := range []int{1, 2, 5, 9} {
		c.Add("acled", time.Date(2025, 3, d, 23, 30, 0, 0, time.UTC), d != 5) // 01:30 the next day in Kyiv
	}
	got := c.Coverage()
	if len(got) != 1 || got[0].Records != 4 || got[0].NotLocated != 1 {
		t.Fatalf("%+v", got)
	}
	want := []DayRange{{"2025-03-04", "2025-03-05"}, {"2025-03-07", "2025-03-09"}}
	if len(got[0].Gaps) != 2 || got[0].Gaps[0] != want[0] || got[0].Gaps[1] != want[1] {
		t.Errorf("gaps %+v, want %+v", got[0].Gaps, want)
	}
}

// Sources covering the two periods differently are named.
func TestBaselineCaveats(t *testing.T) {
	from := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	mid, to := from.AddDate(0, 0, 10), from.AddDate(0, 0, 20)
	b := NewBaselineTally(from, mid, to, []string{"RU"}, []string{"RU", "UA"})
	for i := range 10 {
		b.Record("acled", from.AddDate(0, 0, i))
		b.Record("acled", mid.AddDate(0, 0, i))
		b.Record("telegram", mid.AddDate(0, 0, i))
		if i < 3 {
			b.Record("ucdp", from.AddDate(0, 0, i))
		}
		b.Record("ucdp", mid.AddDate(0, 0, i))
	}
	b.Record("acled", to) // outside both
	b.Finding("RU", "UA", vocab.VerdictCandidate)
	got := b.Baseline([]Item{item(1, "RU", "event/1", "UA", vocab.StatusAlleged, mid)})
	if len(got.Caveats) != 2 || !strings.HasPrefix(got.Caveats[0], "telegram has records in the report's period only") ||
		!strings.HasPrefix(got.Caveats[1], "ucdp covers the two periods unequally: 3 records before, 10") {
		t.Errorf("caveats %q", got.Caveats)
	}
	ua := got.Readings[0].Parties[1]
	if ua.Party != "UA" || ua.Before.Candidate != 1 || ua.Now.Candidate != 1 {
		t.Errorf("UA %+v", ua)
	}
}
