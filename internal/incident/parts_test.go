package incident

import (
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// twoActClaim is Zelensky's claim of 19 March 2025 as the allegation reader
// gives it: a Russian drone strike on Sloviansk's grid and one on a
// hospital in Sumy, in one statement.
func twoActClaim() *event.Claim {
	reason := func(term string) []event.Reason { return []event.Reason{{Term: term}} }
	return &event.Claim{
		ID: 7, Source: "claims", SourceID: "cl-zelensky", Type: event.ClaimAllegation, Claimant: "UA", Accused: "RU",
		Time: event.Span{Start: day0.AddDate(0, 0, -1), End: day0, Precision: event.TimeDay},
		Kind: "strike.drone",
		Places: []event.Place{{Country: "UA", Admin1: "Donetsk Oblast", Precision: event.GeoAdmin1},
			{Country: "UA", Admin1: "Sumy Oblast", Precision: event.GeoAdmin1}},
		Text: "Russian drones hit energy in Sloviansk overnight; a hospital in Sumy was hit.",
		Allegations: []event.Allegation{
			{Part: 1, Kind: "strike.drone", Actor: "RU", Targets: reason("energy.electricity"),
				Places: []event.Place{{Name: "Sloviansk", Country: "UA", Admin1: "Donetsk Oblast", Lat: fp(48.87), Lon: fp(37.62), Precision: event.GeoTown}}},
			{Part: 2, Kind: "strike.drone", Actor: "RU", Targets: reason("civilian.health"),
				Places: []event.Place{{Name: "Sumy", Country: "UA", Admin1: "Sumy Oblast", Lat: fp(50.91), Lon: fp(34.80), Precision: event.GeoTown}}},
		},
	}
}

func TestClaimRecordsPerAllegation(t *testing.T) {
	c := twoActClaim()
	recs := ClaimRecords(c, false)
	if len(recs) != 2 {
		t.Fatalf("%d records, want one per allegation", len(recs))
	}
	for i, want := range []struct {
		place, target string
	}{{"Sloviansk", "energy.electricity"}, {"Sumy", "civilian.health"}} {
		r := recs[i]
		if r.Ref != (vocab.Ref{Kind: vocab.KindClaim, ID: 7, Part: i + 1}) || r.Key() != "claims:cl-zelensky#"+string(rune('1'+i)) ||
			r.WholeKey() != "claims:cl-zelensky" {
			t.Errorf("part %d: ref %s key %s", i+1, r.Ref, r.Key())
		}
		if len(r.Places) != 1 || r.Places[0].Name != want.place || len(r.Targets) != 1 || r.Targets[0] != want.target ||
			r.Kind != "strike.drone" || r.Claimant != "UA" || r.Accused != "RU" || len(r.Sides) != 1 || r.Sides[0] != "RU" ||
			!r.PartyClaim || r.Role != vocab.MemberClaim || !r.Time.Start.Equal(c.Time.Start) {
			t.Errorf("part %d: %+v", i+1, r)
		}
	}
	// No or one allegation: the claim whole, as FromClaim reads it.
	one := twoActClaim()
	one.Allegations = one.Allegations[:1]
	if recs := ClaimRecords(one, false); len(recs) != 1 || recs[0].Ref.Part != 0 || recs[0].Key() != "claims:cl-zelensky" {
		t.Errorf("one allegation: %+v", recs)
	}
	one.Allegations = nil
	if recs := ClaimRecords(one, false); len(recs) != 1 || recs[0].Ref.Part != 0 {
		t.Errorf("no allegation: %+v", recs)
	}
	// An act whose text names no actor accuses the claim's accused.
	noActor := twoActClaim()
	noActor.Allegations[1].Actor = ""
	if r := ClaimRecords(noActor, false)[1]; r.Accused != "RU" || len(r.Sides) != 1 || r.Sides[0] != "RU" {
		t.Errorf("part without an actor: accused %q sides %v", r.Accused, r.Sides)
	}
}

// TestTwoActClaimTwoIncidents: the claim's strike on Sloviansk merges with
// the reports of Sloviansk, its strike on Sumy with those of Sumy, and the
// incidents hold claim/7#1 and claim/7#2; the claim whole (as before parts)
// could be in only one of them.
func TestTwoActClaimTwoIncidents(t *testing.T) {
	sloviansk := report(1, "acled", -1, 48.86, 37.61, "strike.drone")
	sloviansk.Targets = []string{"energy.electricity"}
	sumy := report(2, "ucdp-ged", -1, 50.91, 34.80, "strike.drone")
	sumy.Targets = []string{"civilian.health"}
	recs := append([]Record{sloviansk, sumy}, ClaimRecords(twoActClaim(), false)...)
	res := Build(recs, nil, Defaults())
	if len(res.Clusters) != 2 {
		t.Fatalf("%d clusters, want 2: %v", len(res.Clusters), clusterKeys(res.Clusters))
	}
	in := map[string]int{}
	for ci, c := range res.Clusters {
		for _, m := range c.Members {
			in[m.Record.Key()] = ci
		}
	}
	if in["acled:acled-b"] != in["claims:cl-zelensky#1"] || in["ucdp-ged:ucdp-ged-c"] != in["claims:cl-zelensky#2"] ||
		in["claims:cl-zelensky#1"] == in["claims:cl-zelensky#2"] {
		t.Errorf("clusters %v: want each act with the report of its place", clusterKeys(res.Clusters))
	}

	// As stored: each incident holds one part of the claim.
	saved, counts := Reconcile(nil, res.Clusters, func(*Cluster) bool { return true })
	if counts.New != 2 {
		t.Fatalf("counts %+v", counts)
	}
	parts := map[vocab.Ref]bool{}
	for _, inc := range saved {
		for _, m := range inc.Members {
			if m.Record.Kind == vocab.KindClaim {
				parts[m.Record] = true
				if m.Source != "claims" || m.SourceID != "cl-zelensky" {
					t.Errorf("part member %+v", m)
				}
			}
		}
	}
	if !parts[vocab.Ref{Kind: vocab.KindClaim, ID: 7, Part: 1}] || !parts[vocab.Ref{Kind: vocab.KindClaim, ID: 7, Part: 2}] || len(parts) != 2 {
		t.Errorf("claim members %v, want claim/7#1 and claim/7#2", parts)
	}

	// A stored incident that held the claim whole is continued by a part.
	stored := []Incident{{ID: 4, Members: []Membership{{Record: vocab.Ref{Kind: vocab.KindClaim, ID: 7}, Role: vocab.MemberClaim},
		{Record: sloviansk.Ref, Role: vocab.MemberReport}}}}
	saved, counts = Reconcile(stored, res.Clusters, func(*Cluster) bool { return true })
	if counts.New != 1 || counts.Changed != 1 || counts.Dissolved != 0 {
		t.Errorf("over the whole claim stored: counts %+v", counts)
	}
	for _, inc := range saved {
		if inc.ID == 4 && len(inc.Members) != 2 {
			t.Errorf("incident 4 continued with %+v", inc.Members)
		}
	}
}

// TestDecisionsOnParts: an analyst's split of one part from a report holds
// for that part; a join of the whole claim holds for each of its parts.
func TestDecisionsOnParts(t *testing.T) {
	sloviansk := report(1, "acled", -1, 48.86, 37.61, "strike.drone")
	sumy := report(2, "ucdp-ged", -1, 50.91, 34.80, "strike.drone")
	recs := append([]Record{sloviansk, sumy}, ClaimRecords(twoActClaim(), false)...)
	p1 := vocab.Ref{Kind: vocab.KindClaim, ID: 7, Part: 1}
	whole := vocab.Ref{Kind: vocab.KindClaim, ID: 7}
	together := func(res Result, a, b string) bool {
		in := map[string]int{}
		for ci, c := range res.Clusters {
			for _, m := range c.Members {
				in[m.Record.Key()] = ci
			}
		}
		return in[a] == in[b]
	}
	res := Build(recs, []LinkDecision{{ID: 1, A: p1, B: sloviansk.Ref, Link: false, By: "ana"}}, Defaults())
	if together(res, "claims:cl-zelensky#1", "acled:acled-b") || !together(res, "claims:cl-zelensky#2", "ucdp-ged:ucdp-ged-c") {
		t.Errorf("split of part 1: %v", clusterKeys(res.Clusters))
	}
	res = Build(recs, []LinkDecision{{ID: 1, A: whole, B: sumy.Ref, Link: false, By: "ana"}}, Defaults())
	if together(res, "claims:cl-zelensky#2", "ucdp-ged:ucdp-ged-c") || !together(res, "claims:cl-zelensky#1", "acled:acled-b") {
		t.Errorf("split of the whole claim from Sumy: %v", clusterKeys(res.Clusters))
	}
}

func clusterKeys(cs []Cluster) [][]string {
	var out [][]string
	for _, c := range cs {
		var keys []string
		for _, m := range c.Members {
			keys = append(keys, m.Record.Key())
		}
		out = append(out, keys)
	}
	return out
}
