package agreementtest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Every bundled agreement's test file passes.
func TestBundledAgreementTests(t *testing.T) {
	files, err := filepath.Glob("../../examples/tests/*.test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		f, ag, err := Load(path)
		if err != nil {
			t.Fatalf("%s:\n%v", path, err)
		}
		results, err := Run(f, ag)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if Report(&out, path, results) > 0 {
			t.Errorf("%s fails:\n%s", path, out.String())
		}
	}
}

const wrong = `agreement: ../../../examples/agreements/energy-moratorium-2025.yaml
tests:
  - name: expects the wrong verdict
    events:
      - id: e1
        time: {start: "2025-03-19T01:30", time_zone: Europe/Kyiv}
        place: {name: Sloviansk, admin1: Donetsk, country: UA}
        actors: [{name: "Military Forces of Russia (2000-)", role: actor1}]
        kind: strike.drone
        text: A drone hit a substation.
    expect:
      - {record: e1, reading: RU, commitment: energy-strikes, verdict: ambiguous}
      - {record: e1, reading: UA, commitment: energy-strikes, verdict: near_miss, failed: time, explains: ["no such words"]}
`

func TestFailingCaseGivesReadableDiff(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.test.yaml")
	os.WriteFile(path, []byte(strings.Replace(wrong, "../../../examples", mustAbs(t, "../../examples"), 1)), 0o644)
	f, ag, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	results, err := Run(f, ag)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if n := Report(&out, "x.test.yaml", results); n != 1 {
		t.Fatalf("failed %d, want 1:\n%s", n, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"FAIL  expects the wrong verdict",
		"  - expected, not found: e1 RU/energy-strikes ambiguous",
		"  + found, not expected: e1 RU/energy-strikes candidate  why: party: actor 'Military Forces of Russia (2000-)'",
		`  ? e1 UA/energy-strikes near_miss(time): explanation lacks "no such words"`,
		"x.test.yaml: 0 passed, 1 failed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestBadTestFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.test.yaml")
	src := strings.Replace(wrong, "../../../examples", mustAbs(t, "../../examples"), 1)
	src = strings.Replace(src, "kind: strike.drone", "kind: strike.dron", 1)
	src = strings.Replace(src, "{record: e1, reading: RU", "{record: e2, reading: RU", 1)
	os.WriteFile(path, []byte(src), 0o644)
	_, _, err := Load(path)
	var ps strictyaml.Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if !strings.Contains(ps[0].String(), `x.test.yaml:9:15: unknown event kind "strike.dron"`) ||
		!strings.Contains(ps[1].String(), `x.test.yaml:12:18: expect names record "e2"`) {
		t.Errorf("problems:\n%v", err)
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
