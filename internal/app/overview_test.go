package app_test

import (
	"testing"

	"github.com/truce-monitor/truce/internal/vocab"
)

// The overview counts the findings of each agreement per reading, verdict,
// status and accused party, and the last import of each source; a viewer
// counts published findings only and sees no import batches.
func TestOverview(t *testing.T) {
	sc := newScenario(t)
	ov, err := sc.app("").Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Agreements) != 1 || ov.Agreements[0].ID != "ag" || ov.Agreements[0].Evaluated != 1 {
		t.Fatalf("agreements: %+v", ov.Agreements)
	}
	rs := ov.Agreements[0].Readings
	if len(rs) != 1 || rs[0].Reading != "UA" || rs[0].Total != 1 {
		t.Fatalf("readings: %+v", rs)
	}
	r := rs[0]
	if r.ByVerdict[vocab.VerdictCandidate] != 1 || r.ByStatus[vocab.StatusAlleged] != 1 ||
		len(r.Verdicts) != 1 || r.Verdicts[0] != vocab.VerdictCandidate || len(r.Statuses) != 1 {
		t.Errorf("reading UA: %+v", r)
	}
	if len(r.Parties) != 1 || r.Parties[0].Accused != "RU" || r.Parties[0].ByVerdict[vocab.VerdictCandidate] != 1 {
		t.Errorf("parties: %+v", r.Parties)
	}
	var sources []string
	for _, b := range ov.LastImports {
		sources = append(sources, b.Source)
	}
	if len(sources) != 3 || sources[0] != "reports-a" || sources[1] != "reports-b" || sources[2] != "reports-k" {
		t.Errorf("last imports: %v", sources)
	}
	if ov.PublishedOnly {
		t.Error("the local actor sees everything")
	}

	addUser(t, sc.st, "root", vocab.RoleAdmin)
	viewer := addUser(t, sc.st, "vera", vocab.RoleViewer)
	ov, err = sc.app(viewer).Overview(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !ov.PublishedOnly || len(ov.LastImports) != 0 || len(ov.Agreements) != 1 || len(ov.Agreements[0].Readings) != 0 {
		t.Errorf("a viewer's overview: %+v", ov)
	}
	if _, err := sc.app("").Overview(t.Context()); err == nil {
		t.Error("an overview without a token on a store with users")
	}
}
