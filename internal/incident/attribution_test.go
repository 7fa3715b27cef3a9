package incident

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
)

// TestAttribution: records that name different acting sides, lie in
// different countries, or (for a claim naming a region) in another region
// never link; a record located less precisely than the claim may, and says
// so.
func TestAttribution(t *testing.T) {
	opt := Defaults()
	byRU := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	byRU.Sides = []string{"RU"}
	accuseUA := claim(2, "claims", "RU", "UA", 0, "strike.drone")
	accuseUA.Sides = []string{"UA"}
	accuseRU := claim(3, "claims", "UA", "RU", 0, "strike.drone")
	accuseRU.Sides = []string{"RU"}
	bryansk := claim(4, "claims", "RU", "UA", 0, "strike.drone")
	bryansk.Sides = []string{"RU"} // same side, other country
	bryansk.Places = []Place{{Country: "RU", Admin1: "Bryansk Oblast", Admin1ID: "RU-BRY", Precision: event.GeoAdmin1}}
	donetsk := accuseRU
	donetsk.Places = []Place{{Country: "UA", Admin1: "Donetsk Oblast", Admin1ID: "UA-14", Precision: event.GeoAdmin1}}
	sumyID := byRU
	sumyID.Places = []Place{{Country: "UA", Admin1ID: "UA-59", Lat: fp(50.91), Lon: fp(34.80), Precision: event.GeoTown}}
	countryOnly := byRU
	countryOnly.Places = []Place{{Name: "Ukraine", Country: "UA", Precision: event.GeoCountry}}
	countryOnly.Time.Precision = event.TimeExact
	donetskID := donetsk
	donetskID.Places[0].Admin1 = ""
	tests := []struct {
		name    string
		a, b    Record
		refused string
		why     string
	}{
		{"an accusation against UA never merges with a Russian strike", accuseUA, byRU, "side", "acting sides differ"},
		{"the same acting side", accuseRU, byRU, "", "same acting side RU"},
		{"different countries", bryansk, byRU, "country", "different countries"},
		{"a claim naming Donetsk, a report in Sumy", donetskID, sumyID, "region", "names UA-14"},
		{"a report located less precisely than the claim", donetskID, countryOnly, "", "located less precisely"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var why string
			ok, refused := attributionTest(&tt.a, &tt.b, &why)
			if refused != tt.refused || ok != (tt.refused == "") || !strings.Contains(why, tt.why) {
				t.Errorf("attributionTest = %v %q (%s), want refused %q with %q", ok, refused, why, tt.refused, tt.why)
			}
			if l := Compatible(&tt.a, &tt.b, opt); tt.refused != "" && (l.OK || l.Refused != tt.refused) {
				t.Errorf("Compatible = %+v, want refused %q", l, tt.refused)
			}
		})
	}
}

// TestAttributionCluster: a record naming no side does not carry two
// sides into one incident: every pair of members must agree.
func TestAttributionCluster(t *testing.T) {
	byRU := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	byRU.Sides = []string{"RU"}
	neutral := report(2, "ucdp-ged", 0, 50.92, 34.81, "strike.drone")
	accuseUA := report(3, "gdelt", 0, 50.91, 34.79, "strike.drone")
	accuseUA.Sides = []string{"UA"}
	res := Build([]Record{byRU, neutral, accuseUA}, nil, Defaults())
	for _, c := range res.Clusters {
		sides := map[string]bool{}
		for _, m := range c.Members {
			for _, s := range m.Record.Sides {
				sides[s] = true
			}
		}
		if len(sides) > 1 {
			t.Errorf("cluster %v holds acting sides %v", c.Refs(), sides)
		}
	}
	if len(res.Clusters) != 2 {
		t.Errorf("%d clusters, want 2 (RU's strike with the neutral report; UA's apart)", len(res.Clusters))
	}
	// An analyst's join does not override attribution either.
	join := LinkDecision{ID: 1, A: byRU.Ref, B: accuseUA.Ref, Link: true, By: "ada"}
	res = Build([]Record{byRU, accuseUA}, []LinkDecision{join}, Defaults())
	if len(res.Clusters) != 2 || len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], "side") {
		t.Errorf("join across sides: %d clusters, conflicts %q", len(res.Clusters), res.Conflicts)
	}
}

// TestClaimAttribution: a claim's acting sides and places are its acts'.
func TestClaimAttribution(t *testing.T) {
	c := &event.Claim{Claimant: "RU", Accused: "UA", Type: event.ClaimAllegation,
		Places: []event.Place{{Country: "RU", Admin1: "bryansk", Admin1ID: "RU-BRY", Precision: event.GeoAdmin1}},
		Allegations: []event.Allegation{
			{Part: 1, Kind: "interception", Tally: true, Actor: "UA"},
			{Part: 2, Kind: "strike.drone", Actor: "RU"},
		}}
	r := FromClaim(c, false)
	if strings.Join(r.Sides, ",") != "RU" {
		t.Errorf("sides %v, want RU (the act, not the tally)", r.Sides)
	}
	if len(r.Places) != 0 {
		t.Errorf("places %+v: the region column is the tally's, the act names none", r.Places)
	}
	two := 2
	c.Allegations[1].Count = &two
	if r := FromClaim(c, false); !r.Aggregate {
		t.Error("a claim of two strikes counted is not one occurrence")
	}
	if s := claimSides(&event.Claim{Accused: "UA"}); strings.Join(s, ",") != "UA" {
		t.Errorf("no acts: sides %v, want the accused", s)
	}
}
