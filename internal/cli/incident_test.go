package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

// incidents runs `truce incident list --output json`.
func incidents(t *testing.T, s *session) []incident.Incident {
	t.Helper()
	return jsonLines[incident.Incident](t, "incident list", s.want(0, nil, "incident", "list", "--output", "json"))
}

func ref(r vocab.Ref) string { return r.String() }

// holding returns the incident that holds record r, or nil.
func holding(list []incident.Incident, r vocab.Ref) *incident.Incident {
	for i := range list {
		for _, m := range list[i].Members {
			if m.Record == r {
				return &list[i]
			}
		}
	}
	return nil
}

// The bundled scenario: build incidents, split a merge and join a missed
// one; both decisions survive rebuilds, and ids and review state carry over.
func TestIncidentBuildSplitJoin(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	root := s.addUser("root", "admin")
	viewer := s.as(root).addUser("vera", "viewer")
	s.as(viewer).want(1, []string{"permission denied"}, "incident", "build")
	s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "incident", "build")

	// The demo built them already, as itself: a build changes nothing.
	out := s.as(root).want(0, nil, "incident", "build")
	if !strings.Contains(out, ": 0 new, 0 changed, ") || !strings.Contains(out, " unchanged, 0 dissolved") {
		t.Errorf("build after the demo's: %s", out)
	}
	first := incidents(t, s)
	if len(first) == 0 {
		t.Fatal("no incidents built from the scenario")
	}
	out = s.as(root).want(0, nil, "incident", "build")
	if !strings.Contains(out, fmt.Sprintf("0 new, 0 changed, %d unchanged, 0 dissolved", len(first))) {
		t.Errorf("second build should change nothing: %s", out)
	}

	// The Sudzha incident of 21 March: a report, the MoD's claim and the
	// General Staff's answer, which denies it.
	var sudzha *incident.Incident
	for i := range first {
		for _, m := range first[i].Members {
			if m.SourceID == "cl-2025-03-21-gs-sudzha" {
				sudzha = &first[i]
			}
		}
	}
	if sudzha == nil || sudzha.Grade != vocab.GradeContested {
		t.Fatalf("Sudzha incident: %+v", sudzha)
	}
	show := s.want(0, nil, "incident", "show", fmt.Sprint(sudzha.ID))
	for _, w := range []string{"grade contested", "answers (denies) scenario-claims:cl-2025-03-21-mod-sudzha", "origin RU (party)", "linked to"} {
		if !strings.Contains(show, w) {
			t.Errorf("show lacks %q:\n%s", w, show)
		}
	}

	// A two-member incident of a report and a claim: split them.
	var pair *incident.Incident
	for i := range first {
		if len(first[i].Members) == 2 && first[i].Members[0].Record.Kind != first[i].Members[1].Record.Kind {
			pair = &first[i]
			break
		}
	}
	if pair == nil {
		t.Fatal("no report-and-claim incident to split")
	}
	a, b := pair.Members[0].Record, pair.Members[1].Record
	s.want(2, []string{"--reason is required"}, "incident", "split", ref(a), ref(b))
	out = s.as(root).want(0, nil, "incident", "split", ref(a), ref(b), "--reason", "the claim is about another strike")
	if !strings.Contains(out, "0 dissolved") || strings.Contains(out, " 0 changed") {
		t.Errorf("split: %s", out)
	}
	for range 2 { // the split holds on every rebuild
		list := incidents(t, s)
		ia, ib := holding(list, a), holding(list, b)
		if ia == nil || ib == nil || ia.ID == ib.ID {
			t.Fatalf("after split: %v, %v", ia, ib)
		}
		if ia.ID != pair.ID && ib.ID != pair.ID {
			t.Errorf("neither part kept incident %d's id", pair.ID)
		}
		if cont := holding(list, a); cont.ID == pair.ID && !cont.NeedsReview {
			t.Error("the split incident was not flagged for review")
		}
		s.as(root).want(0, nil, "incident", "build")
	}

	// Join them back, by source id this time, and join a report from
	// another incident: all three end in one incident, and stay there.
	var other *incident.Incident
	for i := range first {
		if first[i].ID != pair.ID && len(first[i].Members) == 1 && first[i].Members[0].Record.Kind == vocab.KindEvent {
			other = &first[i]
			break
		}
	}
	if other == nil {
		t.Fatal("no single-report incident to join")
	}
	c := other.Members[0].Record
	s.as(root).want(0, nil, "incident", "join", ref(a), ref(b), "--reason", "on second reading, the same strike")
	src := other.Members[0].Source + ":" + other.Members[0].SourceID
	s.as(root).want(0, nil, "incident", "join", src, ref(a), "--reason", "same occurrence, reported twice")
	for range 2 {
		list := incidents(t, s)
		ia, ib, ic := holding(list, a), holding(list, b), holding(list, c)
		if ia == nil || ib == nil || ic == nil || ia.ID != ib.ID || ia.ID != ic.ID {
			t.Fatalf("after joins: %v %v %v", ia, ib, ic)
		}
		manual := 0
		for _, m := range ia.Members {
			if m.Manual {
				manual++
			}
		}
		if manual < 2 {
			t.Errorf("joined members not marked manual: %+v", ia.Members)
		}
		s.as(root).want(0, nil, "incident", "build")
	}
	// The incident c was alone in is dissolved, not deleted.
	out = s.want(0, nil, "incident", "list", "--dissolved")
	if !strings.Contains(out, "(dissolved)") {
		t.Errorf("no dissolved incident listed:\n%s", out)
	}

	s.want(2, []string{"not a record"}, "incident", "join", "nonsense", ref(a), "--reason", "x")
	s.want(2, []string{"unknown grade"}, "incident", "list", "--grade", "excellent")
	help := s.want(0, nil, "incident", "--help")
	for _, w := range []string{"truce incident build", "confirmed", "split"} {
		if !strings.Contains(help, w) {
			t.Errorf("incident --help lacks %q", w)
		}
	}
}

// A join holds for a record no build window reaches: an analyst's decision
// brings it in, wherever it lies in time. A record that does not exist
// cannot be joined.
func TestIncidentJoinFarRecord(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	root := s.addUser("root", "admin")
	late := writeFile(t, "late.csv", "id,date,end_date,local_time,settlement,admin1,country,lat,lon,actor1,actor2,event_type,text,fatalities,outlet,url\n"+
		"ev-late,2025-06-01,,,Sudzha,Kursk Oblast,RU,51.19,35.27,,,explosion,A report published in June of the fire at the Sudzha gas metering station.,,,\n")
	// Once a store has users, importing takes a token that may.
	s.want(1, []string{"TRUCE_TOKEN is not set"}, "ingest", "--format", "csv", "--mapping", filepath.Join("..", "..", "examples", "mappings", "scenario-events.yaml"),
		"--source", "late-reports", "--progress", "never", late)
	s.as(root).want(0, nil, "ingest", "--format", "csv", "--mapping", filepath.Join("..", "..", "examples", "mappings", "scenario-events.yaml"),
		"--source", "late-reports", "--progress", "never", late)
	s.as(root).want(1, []string{"no event 99999 in the store"}, "incident", "join", "event/99999", "late-reports:ev-late", "--reason", "x")
	s.as(root).want(0, nil, "incident", "join", "late-reports:ev-late", "scenario-reports:ev-2025-03-21-sudzha", "--reason", "the same fire, reported late")
	for range 2 {
		var sudzha *incident.Incident
		for _, inc := range incidents(t, s) {
			for _, m := range inc.Members {
				if m.SourceID == "ev-2025-03-21-sudzha" {
					sudzha = &inc
				}
			}
		}
		if sudzha == nil {
			t.Fatal("no Sudzha incident")
		}
		joined := false
		for _, m := range sudzha.Members {
			joined = joined || (m.Source == "late-reports" && m.Manual)
		}
		if !joined {
			t.Fatalf("the late report was not joined: %+v", sudzha.Members)
		}
		s.as(root).want(0, nil, "incident", "build")
	}
}

// A finding on a claim of a contested incident is shown with the incident's
// grade and the denial: never one claim without the other.
func TestReviewShowsDenials(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	root := s.addUser("root", "admin")
	var id int64
	for _, f := range jsonLines[listed](t, "findings", s.want(0, nil, "findings", "--output", "json")) {
		if f.SourceID == "cl-2025-03-21-gs-sudzha" {
			id = f.Stored.ID
		}
	}
	if id == 0 {
		t.Fatal("no finding on the General Staff's answer over Sudzha")
	}
	show := s.as(root).want(0, nil, "review", "show", fmt.Sprintf("finding/%d", id))
	for _, w := range []string{", grade contested: contested: denied",
		"denial scenario-claims/cl-2025-03-21-gs-sudzha (this finding's record): answers (denies) scenario-claims:cl-2025-03-21-mod-sudzha"} {
		if !strings.Contains(show, w) {
			t.Errorf("review show lacks %q:\n%s", w, show)
		}
	}
}
