package incident

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

var day0 = time.Date(2025, 3, 19, 0, 0, 0, 0, time.UTC)

func fp(f float64) *float64 { return &f }

// report is an event at a point, on day d (0-based) of the scenario.
func report(id int64, src string, d int, lat, lon float64, kind string) Record {
	return Record{
		Ref: vocab.Ref{Kind: vocab.KindEvent, ID: id}, Source: src, SourceID: src + "-" + string(rune('a'+id)),
		Role: vocab.MemberReport, Kind: kind,
		Time:   event.Span{Start: day0.AddDate(0, 0, d), End: day0.AddDate(0, 0, d+1), Precision: event.TimeDay},
		Places: []Place{{Country: "UA", Lat: fp(lat), Lon: fp(lon), Precision: event.GeoTown}},
	}
}

func claim(id int64, src, claimant, accused string, d int, kind string) Record {
	return Record{
		Ref: vocab.Ref{Kind: vocab.KindClaim, ID: id}, Source: src, SourceID: src + "-" + string(rune('a'+id)),
		Role: vocab.MemberClaim, Claimant: claimant, Accused: accused, PartyClaim: isPartyID(claimant), Kind: kind,
		Time:   event.Span{Start: day0.AddDate(0, 0, d), End: day0.AddDate(0, 0, d+1), Precision: event.TimeDay},
		Places: []Place{{Country: "UA", Admin1: "Sumy Oblast", Precision: event.GeoAdmin1}},
	}
}

func TestCompatible(t *testing.T) {
	opt := Defaults()
	sumy := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	tests := []struct {
		name    string
		b       Record
		ok      bool
		refused string
	}{
		{"same town, same day, covering kind", report(2, "ucdp-ged", 0, 50.95, 34.85, "strike"), true, ""},
		{"next day", report(2, "ucdp-ged", 1, 50.91, 34.80, "strike.drone"), false, "time"},
		{"60 km away", report(2, "ucdp-ged", 0, 51.45, 34.80, "strike.drone"), false, "place"},
		{"a shoot-down is not a strike", report(2, "ucdp-ged", 0, 50.91, 34.80, "interception"), false, "kind"},
		{"unknown kind, strong place", report(2, "ucdp-ged", 0, 50.91, 34.80, ""), true, ""},
		{"a count-only claim stands alone", func() Record {
			c := claim(2, "claims", "UA", "RU", 0, "strike.drone")
			c.Aggregate = true
			return c
		}(), false, "aggregate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Compatible(&sumy, &tt.b, opt)
			if l.OK != tt.ok || (!tt.ok && !strings.HasPrefix(l.Refused, tt.refused)) {
				t.Errorf("Compatible = %+v, want ok %v refused %q", l, tt.ok, tt.refused)
			}
		})
	}

	// Country only: needs the same kind over mostly the same hours, one side
	// timed to the hour.
	wave := Record{Source: "strikes", SourceID: "w", Role: vocab.MemberReport, Kind: "strike.missile",
		Time:   event.Span{Start: day0.Add(-4 * time.Hour), End: day0.Add(4 * time.Hour), Precision: event.TimeExact},
		Places: []Place{{Name: "Ukraine", Country: "UA", Precision: event.GeoCountry}}}
	post := Record{Source: "mod", SourceID: "p", Role: vocab.MemberClaim, Claimant: "RU", Kind: "",
		KindCue: strikeCue("Сегодня ночью нанесен **групповой** удар высокоточным оружием"),
		Time:    event.Span{Start: day0.Add(-16 * time.Hour), End: day0.Add(8 * time.Hour), Precision: event.TimeDay}}
	if post.KindCue == "" {
		t.Fatal("no strike cue found through the Markdown")
	}
	if l := Compatible(&post, &wave, opt); !l.OK {
		t.Errorf("strike post vs the night's wave: %+v", l)
	}
	post.KindCue = ""
	if l := Compatible(&post, &wave, opt); l.OK {
		t.Errorf("a post of unknown kind linked on time alone: %+v", l)
	}
	if strikeCue("нанесено 17 групповых ударов высокоточным оружием") != "" {
		t.Error("a weekly tally read as one strike")
	}
}

func TestBuildDecisionsAndSources(t *testing.T) {
	a := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	b := report(2, "ucdp-ged", 0, 50.92, 34.81, "strike.drone")
	c := report(3, "acled", 0, 50.93, 34.82, "strike.drone") // acled again: never with a
	recs := []Record{a, b, c}

	res := Build(recs, nil, Defaults())
	if len(res.Clusters) != 2 {
		t.Fatalf("clusters %d, want 2 (one source never reports twice)", len(res.Clusters))
	}
	for _, cl := range res.Clusters {
		srcs := map[string]int{}
		for _, m := range cl.Members {
			srcs[m.Record.Source]++
		}
		if srcs["acled"] > 1 {
			t.Errorf("two acled records in one cluster: %v", cl.Refs())
		}
	}

	split := LinkDecision{ID: 1, A: a.Ref, B: b.Ref, Link: false, By: "ana"}
	join := LinkDecision{ID: 2, A: a.Ref, B: c.Ref, Link: true, By: "ana", Reason: "one strike, coded twice"}
	res = Build(recs, []LinkDecision{split, join}, Defaults())
	together := func(x, y Record) bool {
		for _, cl := range res.Clusters {
			in := 0
			for _, m := range cl.Members {
				if m.Record.Ref == x.Ref || m.Record.Ref == y.Ref {
					in++
				}
			}
			if in == 2 {
				return true
			}
		}
		return false
	}
	if together(a, b) || !together(a, c) {
		t.Errorf("split a-b and join a-c not honoured: %+v", res.Clusters)
	}
	for _, cl := range res.Clusters {
		for _, m := range cl.Members {
			if m.Record.Ref == c.Ref {
				var why MemberReason
				if err := json.Unmarshal(m.Reason, &why); err != nil || why.Join == nil || !m.Manual {
					t.Errorf("joined member: manual %v reason %s", m.Manual, m.Reason)
				}
			}
		}
	}
	// The latest decision on a pair wins: a later join undoes the split.
	res = Build(recs, []LinkDecision{split, join, {ID: 3, A: b.Ref, B: a.Ref, Link: true, By: "bo"}}, Defaults())
	if !together(a, b) {
		t.Error("a later join of a and b did not override the split")
	}
}

func TestDenialJoinsAndContests(t *testing.T) {
	ev := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	ua := claim(2, "claims", "UA", "RU", 0, "strike.drone")
	ua.Places = []Place{{Country: "UA", Lat: fp(50.9), Lon: fp(34.8), Precision: event.GeoTown}}
	ru := claim(3, "claims", "RU", "", 5, "") // far in time: only Answers links it
	ru.Answers = "claims-c"
	ru.Role = vocab.MemberDenial
	res := Build([]Record{ev, ua, ru}, nil, Defaults())
	if len(res.Clusters) != 1 {
		t.Fatalf("clusters %d, want 1", len(res.Clusters))
	}
	g := res.Clusters[0].Grade
	if g.Grade != vocab.GradeContested || len(g.Denied) != 1 {
		t.Errorf("grade %+v, want contested with one denial", g)
	}
	for _, m := range res.Clusters[0].Members {
		if m.Record.Ref == ru.Ref && m.Role != vocab.MemberDenial {
			t.Errorf("denial joined with role %s", m.Role)
		}
	}
}

func TestGrades(t *testing.T) {
	mk := func(rs ...Record) []Member {
		var ms []Member
		for i := range rs {
			ms = append(ms, Member{Record: &rs[i], Role: rs[i].Role})
		}
		return ms
	}
	acled := report(1, "acled", 0, 50, 34, "strike")
	ucdp := report(2, "ucdp-ged", 0, 50, 34, "strike")
	wire1 := report(3, "outlet-a", 0, 50, 34, "strike")
	wire1.Text = "Russian drones struck an energy facility in Sumy overnight, officials said."
	wire2 := report(4, "outlet-b", 0, 50, 34, "strike")
	wire2.Text = "Russian drones struck an energy facility in Sumy overnight — officials said"
	ua := claim(5, "claims", "UA", "RU", 0, "strike")
	ru := claim(6, "claims", "RU", "UA", 0, "strike")
	gdelt := report(7, "gdelt", 0, 50, 34, "strike")
	gdelt.Machine = true
	gone := acled
	gone.Deleted = true
	// The Air Force's daily report is Ukraine's word, like its claims.
	airForce := report(8, "strikes", 0, 50, 34, "strike")
	airForce.ReportedBy = "UA"

	tests := []struct {
		name    string
		members []Member
		grade   vocab.Grade
		machine bool
		indep   int
	}{
		{"two datasets", mk(acled, ucdp), vocab.GradeConfirmed, false, 2},
		{"two outlets repeating one wire count once", mk(wire1, wire2), vocab.GradeWeak, false, 1},
		{"party claim backed by a dataset", mk(ua, acled), vocab.GradeFair, false, 1},
		{"party claim alone", mk(ua), vocab.GradeWeak, false, 0},
		{"machine-coded only", mk(gdelt), vocab.GradeWeak, true, 0},
		{"machine-coded does not corroborate", mk(gdelt, acled), vocab.GradeWeak, false, 1},
		{"counter-claims, one dataset", mk(ua, ru, acled), vocab.GradeContested, false, 1},
		{"counter-claims, two datasets: fair, never confirmed", mk(ua, ru, acled, ucdp), vocab.GradeFair, false, 2},
		{"deleted upstream", mk(gone), vocab.GradeDiscounted, false, 0},
		{"a party's claim and its own report: one voice", mk(ua, airForce), vocab.GradeWeak, false, 0},
		{"a party's own report backed by a dataset", mk(airForce, acled), vocab.GradeFair, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := GradeOf(tt.members)
			if g.Grade != tt.grade || g.MachineOnly != tt.machine || g.Independent != tt.indep {
				t.Errorf("grade %s machine %v independent %d (%s); want %s %v %d", g.Grade, g.MachineOnly, g.Independent, g.Explanation, tt.grade, tt.machine, tt.indep)
			}
			if !strings.HasPrefix(g.Explanation, string(g.Grade)+": ") || !json.Valid(g.JSON()) {
				t.Errorf("explanation %q", g.Explanation)
			}
		})
	}
}

func TestReconcile(t *testing.T) {
	a := report(1, "acled", 0, 50.91, 34.80, "strike.drone")
	b := report(2, "ucdp-ged", 0, 50.92, 34.81, "strike.drone")
	c := report(3, "acled", 3, 48.0, 37.8, "strike")
	res := Build([]Record{a, b, c}, nil, Defaults())
	keepAll := func(*Cluster) bool { return true }
	save, n := Reconcile(nil, res.Clusters, keepAll)
	if n.New != 2 || len(save) != 2 {
		t.Fatalf("first build: %+v", n)
	}
	// As stored: ids given.
	for i := range save {
		save[i].ID = int64(10 + i)
	}
	again, n := Reconcile(save, res.Clusters, keepAll)
	if n.Unchanged != 2 || len(again) != 0 {
		t.Fatalf("rebuild with nothing new: %+v, %d to save", n, len(again))
	}
	// b split from a: a keeps the incident with the larger overlap (ties:
	// lower id), b becomes new; c's incident is unchanged.
	split := Build([]Record{a, b, c}, []LinkDecision{{ID: 1, A: a.Ref, B: b.Ref}}, Defaults())
	out, n := Reconcile(save, split.Clusters, keepAll)
	if n.Changed != 1 || n.New != 1 || n.Unchanged != 1 || n.Dissolved != 0 {
		t.Fatalf("after split: %+v", n)
	}
	for _, inc := range out {
		if inc.ID == 10 && (len(inc.Members) != 1) {
			t.Errorf("continued incident members %+v", inc.Members)
		}
	}
	// c gone from the input and not kept: its incident dissolves.
	out, n = Reconcile(save, Build([]Record{a, b}, nil, Defaults()).Clusters, keepAll)
	if n.Dissolved != 1 || out[len(out)-1].Members != nil {
		t.Errorf("dissolve: %+v", n)
	}
}
