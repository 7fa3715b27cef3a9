package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
)

// truce check on the real daily strike reports: Russian waves inside each
// reading's window are findings, and every explanation names its clauses.
func TestCheckStrikeReports(t *testing.T) {
	strikes := ingesttest.File(t, "missile-attacks-ukraine", "missile_attacks_daily.csv")
	db := filepath.Join(t.TempDir(), "unused.db")
	code, out, errOut := run(t, db, "check", "--agreement", moratorium, "--format", "strikes", "--output", "json", strikes)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "3585 records read, 0 bad rows") {
		t.Errorf("tally: %s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	byReading := map[string]int{}
	for _, l := range lines {
		var f struct {
			Verdict, Reading, Commitment, Accused, Source string
			Checks                                        []struct {
				Clause, Detail string
				OK             bool
			}
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatalf("not JSON Lines: %v: %s", err, l)
		}
		byReading[f.Reading]++
		if f.Accused != "RU" || f.Commitment != "energy-strikes" || f.Verdict != "ambiguous" || len(f.Checks) != 5 {
			t.Fatalf("finding %+v", f)
		}
		if c := f.Checks[0]; c.Clause != "party" || c.Detail != "actor 'Armed Forces of the Russian Federation' (launcher) = party RU via strikes alias; RU is bound by energy-strikes" {
			t.Fatalf("party check %+v", c)
		}
		if c := f.Checks[2]; c.Clause != "target" || !strings.HasPrefix(c.Detail, "target unknown: the daily strike reports name the region aimed at, never the facility (field target)") {
			t.Fatalf("target check %+v", c)
		}
	}
	// 101 waves fall in 18 Mar - 17 Apr 2025 (DATASET.md); both readings see most of them.
	if byReading["RU"] < 90 || byReading["UA"] < 90 {
		t.Errorf("findings by reading %v", byReading)
	}
}
