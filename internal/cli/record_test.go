package cli

import (
	"fmt"
	"strings"
	"testing"
)

// record show finds a record by any of its ids and shows its raw fields,
// enrichment with reasons, findings and incident.
func TestRecordShow(t *testing.T) { onBothStores(t, testRecordShow) }

func testRecordShow(t *testing.T, s *session) {
	s.want(0, nil, "demo")
	list := incidents(t, s)
	ev := findRecord(t, s, list, "ev-2025-03-18-sloviansk")
	out := s.want(0, nil, "record", "show", ev)
	for _, w := range []string{ev + "  scenario-reports:ev-2025-03-18-sloviansk  version 1",
		"actor: Military Forces of Russia (2000-) (actor1) -> party RU",
		"enrichment:", "target energy", "raw fields:", "settlement: Sloviansk",
		"finding/", "energy-moratorium-2025", "incident/"} {
		if !strings.Contains(out, w) {
			t.Errorf("record show %s lacks %q:\n%s", ev, w, out)
		}
	}
	// The same record by its source's id.
	if again := s.want(0, nil, "record", "show", "scenario-reports:ev-2025-03-18-sloviansk"); again != out {
		t.Errorf("by source id:\n%s\nwant:\n%s", again, out)
	}
	// A claim of the MoD feed: its allegations with the words behind them.
	claim := findRecord(t, s, list, "cl-2025-03-31-mod-bryansk-suzemka")
	mod := s.want(0, nil, "record", "show", claim)
	for _, w := range []string{"claim: allegation, by RU against UA", "raw fields:", "incident/"} {
		if !strings.Contains(mod, w) {
			t.Errorf("record show %s lacks %q:\n%s", claim, w, mod)
		}
	}
	if js := s.want(0, nil, "record", "show", ev, "--output", "json"); !strings.Contains(js, `"key": "scenario-reports:ev-2025-03-18-sloviansk"`) {
		t.Errorf("json lacks the key:\n%.500s", js)
	}
	s.want(1, []string{"no event 9999 in the store"}, "record", "show", "event/9999")
	s.want(1, []string{"no event or claim acled:nope"}, "record", "show", "acled:nope")
	s.want(2, []string{"not a record"}, "record", "show", "nonsense")
}

// A strike report's row goes by strikes:ID (as ingest stores it) and by
// missile-attacks-ukraine:ID (as 'truce check' names it): both find it,
// and findings name it event/N as record show does.
func TestRecordShowStrikeSpellings(t *testing.T) {
	r := newReviewTeam(t)
	f := r.findings[0]
	if f.Source != "strikes" {
		t.Fatalf("strike reports stored under %q", f.Source)
	}
	byStore := r.as(r.root).want(0, nil, "record", "show", "strikes:"+f.SourceID)
	byCheck := r.want(0, nil, "record", "show", "missile-attacks-ukraine:"+f.SourceID)
	if byStore != byCheck {
		t.Errorf("two spellings, two answers:\n%s\n%s", byStore, byCheck)
	}
	table := r.want(0, nil, "findings")
	ref := strings.Fields(byStore)[0] // event/N
	if !strings.Contains(table, fmt.Sprintf("finding/%d on %s:", f.Stored.ID, ref)) || !strings.Contains(byStore, fmt.Sprintf("finding/%d", f.Stored.ID)) {
		t.Errorf("findings and record show disagree on %s:\n%s\n%s", ref, table, byStore)
	}
}
