package cli

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/report"
)

// A claims feed read through a mapping with allegations, stored and
// evaluated: each act of a post is its own finding, named by its part, with
// the words behind its kind, actor and count; a tally of drones shot down
// (part 1) is not a strike and fails two clauses, so it is not even a near
// miss; a report of the claimant's own strikes is not an accusation of the
// other side.
func TestStoredAllegations(t *testing.T) {
	s := newSession(t)
	feed := writeFile(t, "mod.csv", `date,datetime,drone_count,oblasts,text_snippet
2025-03-21,2025-03-21 09:00,46,kursk,"Дежурными средствами ПВО уничтожены 46 украинских беспилотников. Киевский режим атаковал газоизмерительную станцию «Суджа» в Курской области."
2025-03-22,2025-03-22 09:00,0,unknown,"Вооруженными Силами Российской Федерации нанесен удар по объектам энергетики, обеспечивающим работу ВПК Украины."
`)
	s.want(0, nil, "agreement", "import", moratorium)
	s.want(0, nil, "ingest", "--format", "claims", "--mapping", "../../examples/mappings/mod-russia-telegram.yaml", feed)
	s.want(0, nil, "evaluate", "--near-misses")
	fs := jsonLines[report.Finding](t, "findings", s.want(0, nil, "findings", "--reading", "RU", "--output", "json", "--verdict", "candidate,ambiguous,near_miss"))
	var strike, own bool
	for _, f := range fs {
		a := f.Allegation
		if a == nil {
			t.Errorf("finding %s without its allegation", f.RecordID)
			continue
		}
		switch {
		case a.Tally:
			t.Errorf("a tally of shoot-downs gave a finding: %s %+v", f.Verdict, a)
		case a.Actor == "UA":
			strike = true
			if f.Verdict != "candidate" || f.Accused != "UA" || f.Part != 2 || !strings.HasSuffix(f.RecordID, "#2") || !strings.HasPrefix(f.RecordID, "claim/") ||
				a.ActorReason == nil || a.ActorReason.Match != "Киевский режим" || f.Place.Admin1ID != "RU-KRS" {
				t.Errorf("strike: %s part %d %+v, place %+v", f.Verdict, f.Part, a, f.Place)
			}
		case a.Actor == "RU":
			own = true
			if f.Accused != "RU" {
				t.Errorf("own strike accuses %s", f.Accused)
			}
		}
	}
	if !strike || !own {
		t.Errorf("strike %v, own strike %v in %d findings", strike, own, len(fs))
	}
	table := s.want(0, nil, "findings", "--reading", "RU", "--verdict", "candidate")
	if !strings.Contains(table, "alleged: strike ('атаковал') by UA ('Киевский режим'); target energy.oil_gas.pumping") {
		t.Errorf("table lacks the allegation:\n%s", table)
	}
}

// The demo's findings include allegations read from Russian text.
func TestDemoAllegations(t *testing.T) {
	s := newSession(t)
	out := s.want(0, nil, "demo")
	if !strings.Contains(out, "alleged: strike ('атаковал') by UA ('киевский режим'), 6 times ('шесть раз атаковал')") {
		t.Errorf("demo output lacks the six-attack allegation:\n%.3000s", out)
	}
}
