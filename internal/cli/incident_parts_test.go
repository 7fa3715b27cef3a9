package cli

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/vocab"
)

// A record alleging several acts is in incidents by allegation: the list
// names the parts, record show says where each is, and split and join take
// claim/ID#N.
func TestIncidentParts(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	root := s.addUser("root", "admin")

	// The demo's MoD post of six attacks: its two acts, one incident.
	var p, q vocab.Ref
	for _, inc := range incidents(t, s) {
		for _, m := range inc.Members {
			for _, n := range inc.Members {
				if m.Record.Part > 0 && n.Record.Part > m.Record.Part && m.Record.Whole() == n.Record.Whole() && p.ID == 0 {
					p, q = m.Record, n.Record
				}
			}
		}
	}
	if p.ID == 0 {
		t.Fatal("the demo built no incident holding two allegations of one record")
	}
	whole := ref(p.Whole())
	if out := s.want(0, nil, "incident", "list"); !strings.Contains(out, ref(p)+", "+ref(q)) {
		t.Errorf("incident list does not name the parts %s, %s:\n%s", p, q, out)
	}
	where := func() map[vocab.Ref]int64 {
		out := map[vocab.Ref]int64{}
		for _, inc := range incidents(t, s) {
			for _, m := range inc.Members {
				if m.Record.Whole() == p.Whole() {
					out[m.Record] = inc.ID
				}
			}
		}
		return out
	}
	if w := where(); w[p] == 0 || w[p] != w[q] {
		t.Fatalf("parts %s, %s in %v", p, q, w)
	}
	out := s.want(0, nil, "record", "show", whole)
	if !strings.Contains(out, "incidents by allegation (") || !strings.Contains(out, "  "+ref(p)+": incident/") || !strings.Contains(out, "  "+ref(q)+": incident/") {
		t.Errorf("record show %s does not list its parts' incidents:\n%s", whole, out)
	}

	s.as(root)
	s.want(1, []string{"has no allegation 9"}, "record", "show", whole+"#9")
	s.want(2, []string{"one record and its own allegation"}, "incident", "split", whole, ref(p), "--reason", "x")
	out = s.want(0, nil, "incident", "split", ref(p), ref(q), "--reason", "two acts in two places")
	if !strings.Contains(out, "split of "+ref(p)+" and "+ref(q)+" stored") {
		t.Errorf("split: %s", out)
	}
	w := where()
	if w[p] == 0 || w[q] == 0 || w[p] == w[q] {
		t.Fatalf("after the split, parts in %v", w)
	}
	out = s.want(0, nil, "record", "show", ref(q))
	if !strings.Contains(out, "  "+ref(p)+": incident/") || !strings.Contains(out, "  "+ref(q)+": incident/") {
		t.Errorf("record show %s after the split:\n%s", q, out)
	}
	s.want(0, nil, "incident", "join", ref(q), ref(p), "--reason", "one night's attacks after all")
	if w := where(); w[p] != w[q] {
		t.Errorf("after the join, parts in %v", w)
	}
}
