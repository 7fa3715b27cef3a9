package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/testdb"
	"github.com/truce-monitor/truce/internal/vocab"
)

// evaluated is one line of `truce evaluate --json`.
type evaluated struct {
	Agreement string
	Version   int
	From      int64  `json:"from_batch"`
	Why       string `json:"full_because"`
	To        int64  `json:"to_batch"`
	Records   int
	Findings  map[string]int
	Store     struct{ New, Changed, Unchanged, Withdrawn int }
}

// evaluate runs `truce evaluate --json` and returns its line for agreement.
func evaluate(t *testing.T, db, agreement string, args ...string) evaluated {
	t.Helper()
	code, out, errOut := run(t, db, append([]string{"evaluate", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("evaluate: exit %d: %s", code, errOut)
	}
	var evs []evaluated
	if err := json.Unmarshal([]byte(out), &evs); err != nil {
		t.Fatalf("evaluate --json: %v\n%s", err, out)
	}
	for _, ev := range evs {
		if ev.Agreement == agreement {
			return ev
		}
	}
	t.Fatalf("evaluate did not evaluate %s:\n%s", agreement, out)
	return evaluated{}
}

// listed is one line of `truce findings --output json`.
type listed struct {
	Agreement, Reading, Commitment, Accused, Verdict, Record, Source string
	SourceID                                                         string `json:"source_id"`
	Version                                                          int
	Checks                                                           []struct {
		Clause, Detail string
		OK             bool
	}
	Stored struct {
		ID            int64
		Status        string
		NeedsReview   bool `json:"needs_review"`
		Withdrawn     bool
		RecordVersion int `json:"record_version"`
		Supersedes    int64
	}
}

func findings(t *testing.T, db string, args ...string) []listed {
	t.Helper()
	code, out, errOut := run(t, db, append([]string{"findings", "--output", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("findings: exit %d: %s", code, errOut)
	}
	return jsonLines[listed](t, "findings", out)
}

func mustRun(t *testing.T, db string, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, db, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// editedStrikeRow writes the strike report file with one row only: the
// first of day, with another count of drones destroyed. The columns that
// make its id are untouched, so it is a new version of a stored record.
func editedStrikeRow(t *testing.T, src, day string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %s", name, src)
		return -1
	}
	start, destroyed := col("time_start"), col("destroyed")
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[start], day) {
			continue
		}
		n, _ := strconv.ParseFloat(row[destroyed], 64)
		row[destroyed] = strconv.FormatFloat(n+1, 'f', 1, 64)
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.WriteAll([][]string{header, row})
		return writeFile(t, "edited.csv", b.String())
	}
	t.Fatalf("no row of %s in %s", day, src)
	return ""
}

// The whole cycle on the real daily strike reports: evaluate stores the
// findings; a second run reads nothing; an edited row is the only record
// read again and its findings go back for review; a deletion withdraws
// them; a new agreement version is evaluated in full and the old version's
// findings stay.
func TestEvaluateIncremental(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testEvaluateIncremental(t, filepath.Join(t.TempDir(), "t.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		testEvaluateIncremental(t, postgresDB(t))
	})
}

// postgresDB is a fresh PostgreSQL database for t (see internal/testdb).
func postgresDB(t *testing.T) string { return testdb.Postgres(t) }

func testEvaluateIncremental(t *testing.T, db string) {
	strikes := ingesttest.File(t, "missile-attacks-ukraine", "missile_attacks_daily.csv")
	const id = "energy-moratorium-2025"
	mustRun(t, db, "agreement", "import", moratorium)
	mustRun(t, db, "ingest", "--format", "strikes", "--progress", "never", strikes)

	first := evaluate(t, db, id)
	total := first.Findings["ambiguous"]
	if first.Version != 2 || first.Why != "first evaluation" || first.Records != 3585 || total < 180 || len(first.Findings) != 1 {
		t.Fatalf("first evaluation: %+v", first)
	}
	if first.Store.New != total || first.Store.Changed+first.Store.Withdrawn+first.Store.Unchanged != 0 {
		t.Errorf("first evaluation stored %+v, want %d new", first.Store, total)
	}
	all := findings(t, db)
	if len(all) != total {
		t.Fatalf("findings lists %d, evaluate found %d", len(all), total)
	}
	byReading := map[string]int{}
	for _, f := range all {
		byReading[f.Reading]++
		if f.Agreement != id || f.Version != 2 || f.Accused != "RU" || f.Record != "event" || f.Source != "strikes" ||
			len(f.Checks) != 5 || f.Stored.ID == 0 || f.Stored.Status != "alleged" || f.Stored.NeedsReview || f.Stored.RecordVersion != 1 {
			t.Fatalf("finding %+v", f)
		}
		if c := f.Checks[0]; c.Clause != "party" || c.Detail != "actor 'Armed Forces of the Russian Federation' (launcher) = party RU via strikes alias; RU is bound by energy-strikes" {
			t.Fatalf("party check %+v", c)
		}
	}
	if byReading["RU"] < 90 || byReading["UA"] < 90 {
		t.Errorf("findings by reading %v", byReading)
	}

	again := evaluate(t, db, id)
	if again.Records != 0 || again.Why != "" || again.From != first.To || again.Store.New+again.Store.Changed+again.Store.Withdrawn != 0 {
		t.Errorf("second evaluation read something: %+v", again)
	}

	// One row edited upstream (1 April is inside both readings' windows).
	edited := editedStrikeRow(t, strikes, "2025-04-01")
	if out := mustRun(t, db, "ingest", "--format", "strikes", "--progress", "never", "--json", edited); !strings.Contains(out, `"updated": 1`) {
		t.Fatalf("edited row not stored as a new version:\n%s", out)
	}
	third := evaluate(t, db, id)
	if third.Records != 1 || third.From != first.To || third.To <= first.To {
		t.Fatalf("after an edit: %+v, want one record read", third)
	}
	flagged := findings(t, db, "--needs-review")
	if len(flagged) == 0 || len(flagged) != third.Findings["ambiguous"] || third.Store.Unchanged != len(flagged) {
		t.Fatalf("after an edit: %d findings need review; evaluation %+v", len(flagged), third)
	}
	for _, f := range flagged {
		if f.SourceID != flagged[0].SourceID || f.Stored.RecordVersion != 2 || !f.Stored.NeedsReview {
			t.Errorf("flagged finding %+v", f)
		}
	}
	if n := len(findings(t, db)); n != total {
		t.Errorf("after an edit %d findings, want %d", n, total)
	}

	// The same record deleted upstream: its findings are withdrawn.
	dels := writeFile(t, "deleted.csv", "event_id_cnty,deleted_timestamp\n"+flagged[0].SourceID+",1744000000\n")
	mustRun(t, db, "ingest", "--format", "strikes", "--deletions", dels)
	fourth := evaluate(t, db, id)
	if fourth.Records != 1 || len(fourth.Findings) != 0 || fourth.Store.Withdrawn != len(flagged) {
		t.Errorf("after a deletion: %+v, want %d withdrawn", fourth, len(flagged))
	}
	if n := len(findings(t, db)); n != total-len(flagged) {
		t.Errorf("after a deletion %d findings listed, want %d", n, total-len(flagged))
	}
	withdrawn := 0
	for _, f := range findings(t, db, "--withdrawn") {
		if f.Stored.Withdrawn {
			withdrawn++
			if f.SourceID != flagged[0].SourceID || !f.Stored.NeedsReview {
				t.Errorf("withdrawn finding %+v", f)
			}
		}
	}
	if withdrawn != len(flagged) {
		t.Errorf("--withdrawn lists %d withdrawn findings, want %d", withdrawn, len(flagged))
	}

	// Version 3 of the agreement: evaluated from scratch; version 2's
	// findings are kept under their version.
	src, err := os.ReadFile(moratorium)
	if err != nil {
		t.Fatal(err)
	}
	v3 := strings.Replace(string(src), "\nversion: 2\n", "\nversion: 3\n", 1) +
		"  - version: 3\n    date: 2025-04-18\n    summary: Test version.\n    source: peskov-2025-04-18\n"
	mustRun(t, db, "agreement", "import", writeFile(t, "v3.yaml", v3))
	fifth := evaluate(t, db, id)
	if fifth.Version != 3 || fifth.Why != "first evaluation" || fifth.Records != 3585 || fifth.Store.New != total-len(flagged) {
		t.Errorf("new version: %+v", fifth)
	}
	if fs := findings(t, db, "--agreement", id); len(fs) != total-len(flagged) || fs[0].Version != 3 {
		t.Errorf("latest version lists %d findings (version %d)", len(fs), fs[0].Version)
	}
	v2 := findings(t, db, "--agreement", id, "--version", "2", "--withdrawn")
	if len(v2) != total || v2[0].Version != 2 {
		t.Errorf("version 2 lists %d findings, want %d", len(v2), total)
	}
	// Each standing version 3 finding links to its version 2 finding.
	v2IDs := map[int64]bool{}
	for _, f := range v2 {
		v2IDs[f.Stored.ID] = true
	}
	for _, f := range findings(t, db, "--agreement", id) {
		if !v2IDs[f.Stored.Supersedes] {
			t.Errorf("version 3 finding %d supersedes %d, not a version 2 finding", f.Stored.ID, f.Stored.Supersedes)
			break
		}
	}

	// --full reads everything again and finds nothing new.
	full := evaluate(t, db, id, "--full")
	if full.Why != "--full" || full.Records != 3585 || full.Store.Unchanged != total-len(flagged) || full.Store.New+full.Store.Changed+full.Store.Withdrawn != 0 {
		t.Errorf("--full: %+v", full)
	}
}

func TestEvaluateFindingsCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, db, "migrate") // an empty store: read commands create none
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"evaluate needs an agreement", []string{"evaluate"}, 1, nil, []string{"no agreement in the store"}},
		{"evaluate unknown agreement", []string{"evaluate", "--agreement", "nope"}, 1, nil, []string{`agreement "nope" is not in the store`}},
		{"findings before evaluate", []string{"findings"}, 0, []string{"no findings"}, []string{"'truce evaluate' stores them"}},
		{"findings unknown verdict", []string{"findings", "--verdict", "guilty"}, 2, nil, []string{`unknown verdict "guilty"`}},
		{"findings version needs agreement", []string{"findings", "--version", "2"}, 2, nil, []string{"--version needs --agreement"}},
		{"findings unknown output", []string{"findings", "--output", "xls"}, 2, nil, []string{`unknown output "xls"`}},
		{"evaluate takes no files", []string{"evaluate", "x.csv"}, 2, nil, []string{"unknown command"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, db, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// The table and CSV show a stored finding's id and review state.
func TestFindingsOutputs(t *testing.T) {
	strikes := ingesttest.File(t, "missile-attacks-ukraine", "missile_attacks_daily.csv")
	db := filepath.Join(t.TempDir(), "t.db")
	mustRun(t, db, "agreement", "import", moratorium)
	mustRun(t, db, "ingest", "--format", "strikes", "--progress", "never", strikes)
	mustRun(t, db, "evaluate")
	table := mustRun(t, db, "findings", "--reading", "UA", "--verdict", "ambiguous,candidate")
	lines := strings.Split(table, "\n")
	rows := 0
	for i, l := range lines {
		if !strings.HasPrefix(l, "ambiguous") {
			continue
		}
		rows++
		if f := strings.Fields(l); f[1] != "UA" {
			t.Errorf("--reading UA lists %q", l)
		}
		// The row, its plain sentence, its stored state, its explanation.
		if !strings.Contains(lines[i+1], "reported that") || !strings.Contains(lines[i+1], "under Ukraine's reading") ||
			!strings.HasPrefix(lines[i+2], "    finding/") || !strings.HasSuffix(lines[i+2], ": alleged") || !strings.HasPrefix(lines[i+3], "    why: party:") {
			t.Errorf("table row without its sentence, stored state and explanation:\n%s", strings.Join(lines[i:i+4], "\n"))
		}
	}
	if rows < 90 {
		t.Errorf("table lists %d UA reading findings:\n%.600s", rows, table)
	}
	records, err := csv.NewReader(strings.NewReader(mustRun(t, db, "findings", "--output", "csv", "--accused", "RU"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	h := records[0]
	if len(records) < 2 || h[len(h)-3] != "finding_id" || records[1][len(h)-3] == "" || records[1][len(h)-1] != "false" {
		t.Errorf("csv header %v, first row %v", h, records[1])
	}
	geo := mustRun(t, db, "findings", "--output", "geojson")
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal([]byte(geo), &fc); err != nil || len(fc.Features) != len(records)-1 {
		t.Errorf("geojson: %v, %d features for %d csv rows", err, len(fc.Features), len(records)-1)
	}
}

// The store keeps match's verdicts as words; the lists must agree.
func TestVerdictsAgree(t *testing.T) {
	stored := vocab.Verdicts()
	for _, v := range []match.Verdict{match.VerdictCandidate, match.VerdictAmbiguous, match.VerdictExcepted, match.VerdictNearMiss} {
		if !slices.Contains(stored, v) {
			t.Errorf("verdict %q is not one the store keeps (%v)", v, stored)
		}
	}
	if len(stored) != 4 {
		t.Errorf("the store keeps verdicts %v, match has 4", stored)
	}
}
