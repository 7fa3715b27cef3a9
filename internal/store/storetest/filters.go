package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// filterRecords stores the records the filter tests narrow: two events
// and a claim, each with a finding of ua-ru-energy version 1, E2's
// corroborated.
func filterRecords(t *testing.T, s store.Store) (e1, e2 event.Event, c1 event.Claim) {
	t.Helper()
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	a := newEvent("acled", "E1", day0, "power station hit")
	a.Targets = []event.Reason{{Term: "energy.electricity", Field: "notes", Match: "power station"}}
	a.Place.Admin1ID = "UA-14"
	b := newEvent("acled", "E2", day0.Add(time.Hour), "shelling near Belgorod")
	b.Kind, b.Place.Country, b.Place.Admin1ID = "strike.artillery", "RU", "RU-BEL"
	c := newClaim("mod", "C1", day0.Add(2*time.Hour), "drone on a gas station in Sudzha")
	c.Kind = "strike.drone"
	c.Places = []event.Place{{Country: "RU", Admin1: "Kursk", Admin1ID: "RU-KRS"}}
	c.Targets = []event.Reason{{Term: "energy.oil_gas", Field: "text", Match: "gas station"}}
	importBatch(t, s, "acled", []*event.Event{a, b}, nil)
	importBatch(t, s, "mod", nil, []*event.Claim{c})
	e1, e2, c1 = getEvent(t, s, "acled", "E1"), getEvent(t, s, "acled", "E2"), getClaim(t, s, "mod", "C1")
	replace(t, s,
		eventSet("ua-ru-energy", 1, e1, result("energy-strikes", "UA", "RU", "candidate", "e1")),
		eventSet("ua-ru-energy", 1, e2, result("energy-strikes", "RU", "UA", "candidate", "e2")),
		claimSet("ua-ru-energy", 1, c1, result("energy-strikes", "RU", "UA", "ambiguous", "c1")))
	setEvaluated(t, s, "ua-ru-energy", 1)
	return e1, e2, c1
}

// The record-side filters of a findings list (source, kind, category,
// country, admin-1, time) and review status, each alone and together, on
// findings of events and of claims, and resumed after a cursor.
func testFindingFilters(t *testing.T, b Backend) {
	s, _ := open(t, b)
	filterRecords(t, s)
	all := listFindings(t, s, store.FindingFilter{})
	if len(all) != 3 {
		t.Fatalf("%d findings stored, want 3", len(all))
	}
	e2Finding := all[1]
	if _, err := s.ApplyTransition(t.Context(), review.Transition{Subject: vocab.Ref{Kind: vocab.KindFinding, ID: e2Finding.ID},
		From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "alice", Reason: "two outlets"}, 0); err != nil {
		t.Fatal(err)
	}
	records := func(f store.FindingFilter) []string {
		t.Helper()
		var out []string
		for _, fr := range listFindings(t, s, f) {
			out = append(out, fr.Subject.SourceID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    store.FindingFilter
		want []string
	}{
		{"all", store.FindingFilter{}, []string{"E1", "E2", "C1"}},
		{"status", store.FindingFilter{Statuses: []vocab.Status{vocab.StatusCorroborated}}, []string{"E2"}},
		{"statuses", store.FindingFilter{Statuses: []vocab.Status{vocab.StatusAlleged, vocab.StatusConfirmed}}, []string{"E1", "C1"}},
		{"from", store.FindingFilter{From: day0.Add(time.Hour)}, []string{"E2", "C1"}},
		{"to", store.FindingFilter{To: day0.Add(time.Hour)}, []string{"E1"}},
		{"source", store.FindingFilter{Source: "mod"}, []string{"C1"}},
		{"kind and narrower", store.FindingFilter{Kind: "strike"}, []string{"E1", "E2", "C1"}},
		{"kind exactly", store.FindingFilter{Kind: "strike.drone"}, []string{"E1", "C1"}},
		{"kind no prefix of a word", store.FindingFilter{Kind: "strike.dr"}, nil},
		{"category and narrower", store.FindingFilter{Category: "energy"}, []string{"E1", "C1"}},
		{"category of a claim", store.FindingFilter{Category: "energy.oil_gas"}, []string{"C1"}},
		{"country of an event or a claim's places", store.FindingFilter{Country: "RU"}, []string{"E2", "C1"}},
		{"admin-1 of an event", store.FindingFilter{Admin1: "UA-14"}, []string{"E1"}},
		{"admin-1 of a claim's places", store.FindingFilter{Admin1: "RU-KRS"}, []string{"C1"}},
		{"together", store.FindingFilter{Country: "RU", Kind: "strike.drone", From: day0}, []string{"C1"}},
		{"with the finding's own", store.FindingFilter{Country: "RU", Accused: "UA", Verdicts: []vocab.Verdict{vocab.VerdictCandidate}}, []string{"E2"}},
		{"after a cursor", store.FindingFilter{Country: "RU", After: &store.Cursor{RecordTime: e2Finding.RecordTime, ID: e2Finding.ID}}, []string{"C1"}},
		{"wildcards are literal", store.FindingFilter{Source: "%"}, nil},
	} {
		if got := records(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Incidents holding a finding of an agreement, against a party, and placed
// in a country or admin-1 (their own place, or a member record's).
func testIncidentFindingFilters(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1, e2, c1 := filterRecords(t, s)
	putVersion(t, s, "other", 1, "Another")
	replace(t, s, eventSet("other", 1, e1, result("ports", "UA", "UA", "candidate", "o1")))
	ref := func(k vocab.Kind, id int64) vocab.Ref { return vocab.Ref{Kind: k, ID: id} }
	inA := incidentOf(day0, vocab.GradeWeak, member(ref(vocab.KindEvent, e1.ID), vocab.MemberReport))
	inA.Admin1 = "Donetsk"
	inB := incidentOf(day0.Add(time.Hour), vocab.GradeWeak, member(ref(vocab.KindEvent, e2.ID), vocab.MemberReport),
		member(ref(vocab.KindClaim, c1.ID), vocab.MemberClaim))
	inB.Country, inB.Admin1 = "RU", "RU-BEL"
	saved := saveIncidents(t, s, inA, inB)
	a, bb := saved[0].ID, saved[1].ID
	ids := func(f store.IncidentFilter) []int64 {
		t.Helper()
		list, err := s.ListIncidents(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, inc := range list {
			out = append(out, inc.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    store.IncidentFilter
		want []int64
	}{
		{"agreement", store.IncidentFilter{AgreementID: "ua-ru-energy"}, []int64{a, bb}},
		{"another agreement", store.IncidentFilter{AgreementID: "other"}, []int64{a}},
		{"party", store.IncidentFilter{Party: "UA"}, []int64{a, bb}},
		{"party accused", store.IncidentFilter{Party: "RU"}, []int64{a}},
		{"agreement and party on one finding", store.IncidentFilter{AgreementID: "other", Party: "RU"}, nil},
		{"country", store.IncidentFilter{Country: "RU"}, []int64{bb}},
		{"country of its records", store.IncidentFilter{Country: "UA"}, []int64{a}},
		{"admin-1 of its own", store.IncidentFilter{Admin1: "RU-BEL"}, []int64{bb}},
		{"admin-1 of an event", store.IncidentFilter{Admin1: "UA-14"}, []int64{a}},
		{"admin-1 of a claim's places", store.IncidentFilter{Admin1: "RU-KRS"}, []int64{bb}},
		{"time and party", store.IncidentFilter{Party: "UA", From: day0.Add(time.Minute)}, []int64{bb}},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
