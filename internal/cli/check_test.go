package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
	// The summary says why once, not once a finding.
	want := fmt.Sprintf("%s: %d ambiguous: target unknown: the daily strike reports name the region aimed at, never the facility\n", strikes, len(lines))
	if !strings.Contains(errOut, want) || strings.Count(errOut, "target unknown") != 1 {
		t.Errorf("summary lacks %q:\n%s", want, errOut)
	}
}

// runStdin is run with a standard input.
func runStdin(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: stdin, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

// truce check on a replayed ACLED file with bad rows here and there: each
// is reported at its line (a stray quote included, which the chunked
// reader hands to encoding/csv), the rest are counted, and a gzipped copy
// and standard input give the same findings.
func TestCheckACLEDBadRowsAndInputs(t *testing.T) {
	sample, err := os.ReadFile(ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(sample), "\n")
	rows := strings.SplitAfter(strings.TrimSuffix(body, "\n"), "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	line := 1
	var badLines []int
	for round := range 6 {
		for i, row := range rows {
			line++
			id, rest, _ := strings.Cut(row, ",")
			row = fmt.Sprintf("%s-r%d,%s", id, round, rest)
			switch n := round*len(rows) + i; {
			case n == 700:
				row = strings.Replace(row, ",2022-", ",2022-02-30x", 1)
				badLines = append(badLines, line)
			case n == 1500:
				row = "short,row\n"
				badLines = append(badLines, line)
			case n == 2900:
				row = strings.Replace(row, ",Europe,", `,Eu"rope,`, 1)
				badLines = append(badLines, line)
			case n%500 == 250:
				row = strings.Replace(row, `,"`, `,"two`+"\n"+`lines `, 1)
				line++
			case n > 3000 && n%300 == 7:
				row = strings.Replace(row, ",Europe,", ",Europe,,", 1)
				badLines = append(badLines, line)
			}
			if !strings.HasSuffix(row, "\n") {
				row += "\n"
			}
			b.WriteString(row)
		}
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "acled.csv")
	if err := os.WriteFile(plain, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(b.String()))
	zw.Close()
	gzPath := filepath.Join(dir, "acled.csv.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	args := []string{"check", "--agreement", "../ingest/pipeline/testdata/check-2022.yaml", "--format", "acled", "--output", "json", "--near-misses", "--max-errors", "3"}
	code, out, errOut := runStdin(t, nil, append(args, plain)...)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (bad rows are reported, not failed): %s", code, errOut)
	}
	errLines := strings.Split(strings.TrimSpace(errOut), "\n")
	want := []string{
		fmt.Sprintf(`%s:%d: field "event_date": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (2022-02-30x`, plain, badLines[0]),
		fmt.Sprintf(`%s:%d: has 2 fields, the header has 31`, plain, badLines[1]),
		fmt.Sprintf(`%s:%d: malformed CSV: bare " in non-quoted-field`, plain, badLines[2]),
		fmt.Sprintf(`%s: %d more bad rows not shown`, plain, len(badLines)-3),
	}
	if len(errLines) != 5 || !strings.HasPrefix(errLines[0], want[0]) || !slices.Equal(errLines[1:4], want[1:]) {
		t.Fatalf("stderr:\n%s\nwant first:\n%s", errOut, strings.Join(want, "\n"))
	}
	records := 6*len(rows) - len(badLines)
	if !strings.HasPrefix(errLines[4], fmt.Sprintf("%d records read, %d bad rows: ", records, len(badLines))) {
		t.Fatalf("tally %q, want %d records, %d bad", errLines[4], records, len(badLines))
	}
	if n := strings.Count(out, "\n"); n < 100 {
		t.Fatalf("%d findings", n)
	}
	// The same findings from the gzipped copy and from standard input,
	// file names aside.
	for _, in := range []struct {
		name  string
		stdin io.Reader
		path  string
	}{{"gzip", nil, gzPath}, {"stdin", strings.NewReader(b.String()), "-"}} {
		code, got, gotErr := runStdin(t, in.stdin, append(args, in.path)...)
		if code != 0 || strings.ReplaceAll(got, `"file":"`+in.path+`"`, `"file":"`+plain+`"`) != out ||
			strings.ReplaceAll(gotErr, in.path+":", plain+":") != errOut {
			t.Fatalf("%s: exit %d, output differs:\n%s", in.name, code, gotErr)
		}
	}
}

// truce check on the real ACLED Ukraine sample, against an energy
// commitment over the sample's own period: the finding and its explanation,
// exactly. The fuel stocks burnt at the Starokostiantyniv airfield are
// military logistics, not energy (docs/allegations.md): no finding.
func TestCheckACLEDSampleExplanations(t *testing.T) {
	sample := ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv")
	code, out, errOut := run(t, filepath.Join(t.TempDir(), "unused.db"), "check",
		"--agreement", "../../bench/agreements/bench-2022.yaml", "--format", "acled", "--output", "json", sample)
	if code != 0 || !strings.Contains(errOut, "690 records read, 0 bad rows: 1 candidate") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := map[string][]string{
		"UKR55408": {
			"actor 'Military Forces of Russia (2000-)' (actor1) = party RU via acled alias; RU is bound by energy-strikes",
			"kind strike.artillery ('Shelling/artillery/missile attack' in sub_event_type) is covered by prohibited 'strike'",
			"'gas pipeline' in notes = category energy.oil_gas.pipeline, covered by prohibited energy.oil_gas",
			"'Orikhiv' (UA, Zaporizhia UA-23; town): country UA is in countries UA, RU",
			"2022-04-08 (day, UTC 00:00-24:00) inside agreed reading window 2022-03-18T00:00 .. 2022-04-17T00:00 Europe/Moscow",
		},
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct {
			SourceID string `json:"source_id"`
			Verdict  string
			Checks   []struct{ Detail string }
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatal(err)
		}
		w, ok := want[f.SourceID]
		if !ok || f.Verdict != "candidate" || len(f.Checks) != len(w) {
			t.Fatalf("unexpected finding %s %s with %d checks", f.SourceID, f.Verdict, len(f.Checks))
		}
		for i, c := range f.Checks {
			if c.Detail != w[i] {
				t.Errorf("%s check %d:\n got  %q\n want %q", f.SourceID, i, c.Detail, w[i])
			}
		}
		delete(want, f.SourceID)
	}
	if len(want) > 0 {
		t.Errorf("missing findings for %v", want)
	}
}

// A --date-layout that is not one is a usage error, as for ingest, before
// any file is read.
func TestCheckBadDateLayout(t *testing.T) {
	s := newSession(t)
	s.want(2, []string{`unknown date layout "bogus"`}, "check", "--agreement", moratorium, "--format", "acled",
		"--date-layout", "bogus", "../../examples/evidence/moratorium-2025-events.csv")
}
