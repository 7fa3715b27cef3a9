package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/store"
)

// Evaluating changes the store like ingesting does: on a store without
// users anyone evaluates, as "local"; once it has users, only a token whose
// role may import, and each agreement version evaluated is audited with
// who did it and the counts.
func TestEvaluateIdentity(t *testing.T) { onBothStores(t, testEvaluateIdentity) }

func testEvaluateIdentity(t *testing.T, s *session) {
	s.want(0, nil, "agreement", "import", moratorium)
	s.want(0, nil, "evaluate")
	if e := evaluateAudits(t, s); len(e) != 1 || e[0].Actor != "local" {
		t.Fatalf("evaluate on a store without users: audit %+v, want one entry by local", e)
	}

	admin := s.addUser("ada", "admin")
	analyst := s.as(admin).addUser("ann", "analyst")
	monitor := s.as(admin).addUser("mo", "monitor")
	s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "evaluate")
	s.as(monitor).want(1, []string{`monitor "mo" may not import`}, "evaluate")
	if e := evaluateAudits(t, s.as(admin)); len(e) != 1 {
		t.Fatalf("a refused evaluate was audited: %+v", e)
	}

	s.as(analyst).want(0, nil, "evaluate", "--full")
	e := evaluateAudits(t, s.as(admin))
	if len(e) != 2 {
		t.Fatalf("audit after the analyst's evaluate: %+v, want 2 entries", e)
	}
	last := e[1]
	if last.Actor != "ann" || last.Subject != "agreement/energy-moratorium-2025@2" {
		t.Errorf("evaluate audited as %s on %s, want ann on agreement/energy-moratorium-2025@2", last.Actor, last.Subject)
	}
	var detail struct {
		Why      string         `json:"full_because"`
		To       *int64         `json:"to_batch"`
		Records  *int           `json:"records"`
		Findings map[string]int `json:"findings"`
		Store    *store.FindingCounts
	}
	if err := json.Unmarshal(last.Detail, &detail); err != nil {
		t.Fatalf("evaluate's audit detail %s: %v", last.Detail, err)
	}
	if detail.Why != "--full" || detail.To == nil || detail.Records == nil || detail.Findings == nil || detail.Store == nil {
		t.Errorf("evaluate's audit detail lacks the counts: %s", last.Detail)
	}
	if out := s.as(admin).want(0, nil, "audit", "verify"); !strings.Contains(out, "audit log intact") {
		t.Errorf("audit verify after evaluations:\n%s", out)
	}
}

// evaluateAudits lists the audit log's evaluate entries.
func evaluateAudits(t *testing.T, s *session) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	for _, line := range strings.Split(strings.TrimSpace(s.want(0, nil, "audit", "list", "--limit", "0", "--output", "json")), "\n") {
		if line == "" {
			continue
		}
		var e store.AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit list: %v\n%s", err, line)
		}
		if e.Action == "evaluate" {
			out = append(out, e)
		}
	}
	return out
}

// The use cases' errors say what is wrong; the command line adds what to
// do, as it did before they moved.
func TestUseCaseErrorsExplained(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "migrate")
	s.want(1, []string{"truce: no agreement in the store: import one first (truce agreement import FILE)"}, "evaluate")
	s.want(0, nil, "agreement", "import", moratorium)
	s.want(1, []string{`truce: agreement "nope" is not in the store (truce agreement import FILE)`}, "evaluate", "--agreement", "nope")
	s.want(1, []string{"truce: no import batch 99 (see truce imports)"}, "imports", "rejects", "99")
}
