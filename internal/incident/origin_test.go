package incident

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Restatements count once: an event and a claim citing one URL, two
// outlets with near-same wording, two records of one speaker. The grade's
// explanation lists the origins counted.
func TestOriginsRestatements(t *testing.T) {
	ev := FromEvent(&event.Event{Source: "outlet-a", SourceID: "1",
		Raw: json.RawMessage(`{"url":"https://www.example.org/kherson/","outlet":"Ukrainska Pravda"}`)}, false)
	if ev.URL != "https://www.example.org/kherson/" {
		t.Fatalf("event URL from raw fields: %q", ev.URL)
	}
	cl := FromClaim(&event.Claim{Source: "outlet-b", SourceID: "2", Claimant: "Reuters", URL: "http://example.org/kherson"}, false)
	third := Record{Source: "outlet-c", SourceID: "3", Role: vocab.MemberReport, Ref: vocab.Ref{Kind: vocab.KindEvent, ID: 3}}
	g := GradeOf([]Member{{Record: &ev, Role: ev.Role}, {Record: &cl, Role: cl.Role}})
	if g.Independent != 1 || g.Grade != vocab.GradeWeak {
		t.Errorf("one URL, two records: %d origins, grade %s (%s)", g.Independent, g.Grade, g.Explanation)
	}
	if !strings.Contains(g.Explanation, "origins counted: non-party outlet-a [outlet-a:1, outlet-b:2] counted once: same url") {
		t.Errorf("explanation does not list the origins counted: %s", g.Explanation)
	}
	g = GradeOf([]Member{{Record: &ev, Role: ev.Role}, {Record: &cl, Role: cl.Role}, {Record: &third, Role: third.Role}})
	if g.Independent != 2 || g.Grade != vocab.GradeConfirmed {
		t.Errorf("a third, independent report: %d origins, grade %s", g.Independent, g.Grade)
	}

	// Near-same wording, and one speaker.
	a := Record{Source: "a", SourceID: "1", Role: vocab.MemberReport, Text: "Russian drones struck an energy facility in Sloviansk in the evening, part of the city was left without power"}
	b := Record{Source: "b", SourceID: "2", Role: vocab.MemberReport, Text: "Russian drones struck an energy facility in Sloviansk in the evening; part of the city was left without power."}
	c := Record{Source: "c", SourceID: "3", Role: vocab.MemberReport, Text: "A different account altogether of the evening strike, with other words and details throughout"}
	if g := GradeOf([]Member{{Record: &a, Role: a.Role}, {Record: &b, Role: b.Role}}); g.Independent != 1 {
		t.Errorf("near-same texts: %d origins (%s)", g.Independent, g.Explanation)
	}
	if g := GradeOf([]Member{{Record: &a, Role: a.Role}, {Record: &c, Role: c.Role}}); g.Independent != 2 {
		t.Errorf("different texts: %d origins (%s)", g.Independent, g.Explanation)
	}
	a.Speaker, c.Speaker = "Donetsk regional prosecutor's office", "Donetsk Regional Prosecutor's Office"
	if g := GradeOf([]Member{{Record: &a, Role: a.Role}, {Record: &c, Role: c.Role}}); g.Independent != 1 || !strings.Contains(g.Explanation, "same speaker") {
		t.Errorf("one speaker: %d origins (%s)", g.Independent, g.Explanation)
	}
	// ACLED's source column lists outlets, not a report: no URL.
	if u := rawRef(json.RawMessage(`{"source":"Ukrinform; Kyiv Independent"}`)); u != "" {
		t.Errorf("an outlet list read as a URL: %q", u)
	}
	if u := rawRef(json.RawMessage(`{"source":"kpszsu/posts/pfbid0pZC4"}`)); u != "kpszsu/posts/pfbid0pZC4" {
		t.Errorf("the strike report's post: %q", u)
	}
}
