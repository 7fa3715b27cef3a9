package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line in-process against a fresh SQLite file.
func run(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "TRUCE_DB" {
			return db
		}
		return ""
	}}
	code = Run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

const moratorium = "../../examples/agreements/energy-moratorium-2025.yaml"

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommands(t *testing.T) {
	minimal, err := os.ReadFile("../agreement/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := writeFile(t, "broken.yaml", strings.Replace(string(minimal), "time_zone: Europe/Moscow", "time_zone: Mars/Olympus", 1))
	valid := writeFile(t, "valid.yaml", string(minimal))
	v2 := writeFile(t, "v2.yaml", strings.NewReplacer("version: 1\n", "version: 2\n", "duration: 30d", "duration: 60d").Replace(string(minimal)))

	cases := []struct {
		name      string
		args      []string
		code      int
		stdout    []string
		stderr    []string
		notStdout []string
	}{
		{"help teaches", []string{"--help"}, 0, []string{"truce demo", "--db", "postgres://"}, nil, nil},
		{"agreement help lists subcommands", []string{"agreement", "--help"}, 0, []string{"lint", "show", "diff", "schema", "import"}, nil, nil},
		{"lint valid", []string{"agreement", "lint", valid}, 0, []string{"1 file(s) valid"}, nil, nil},
		{"lint broken names file line col", []string{"agreement", "lint", valid, broken}, 1, nil,
			[]string{broken + `:22:14: unknown time zone "Mars/Olympus"`}, []string{"valid"}},
		{"lint missing file", []string{"agreement", "lint", "/nonexistent.yaml"}, 1, nil, []string{"/nonexistent.yaml:"}, nil},
		{"lint needs a file", []string{"agreement", "lint"}, 2, nil, []string{"requires at least 1 arg"}, nil},
		{"unknown flag is a usage error", []string{"agreement", "show", "--bogus", valid}, 2, nil, []string{"unknown flag: --bogus"}, nil},
		{"show", []string{"agreement", "show", valid}, 0, []string{"test-truce version 1", "2025-03-17T21:00:00Z", "2025-04-16T21:00:00Z", "c1: No strikes on energy"}, nil, nil},
		{"show unknown reading", []string{"agreement", "show", "--reading", "BY", valid}, 2, nil, []string{`no party "BY"`}, nil},
		{"diff", []string{"agreement", "diff", valid, v2}, 0, []string{"version 1 -> 2", "~ window.duration: 30d -> 60d"}, nil, nil},
		{"schema", []string{"agreement", "schema"}, 0, []string{`"$schema"`, `"energy.hydro"`}, nil, nil},
		{"migrate", []string{"migrate"}, 0, []string{"sqlite database", "migrated from schema version 0 to 13"}, nil, nil},
		{"agreement test", []string{"agreement", "test", "../../examples/tests/energy-moratorium-2025.test.yaml"}, 0, []string{"ok    the night of 18-19 March", "9 passed, 0 failed"}, nil, nil},
		{"ingest needs a mapping for claims", []string{"ingest", "--format", "claims", valid}, 2, nil, []string{"--format claims needs --mapping FILE"}, nil},
		{"ingest unknown format", []string{"ingest", "--format", "xls", valid}, 2, nil, []string{`unknown format "xls"`}, nil},
		{"check needs an agreement", []string{"check", "--format", "acled", valid}, 2, nil, []string{`required flag(s) "agreement" not set`}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "t.db")
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
			for _, w := range tc.notStdout {
				if strings.Contains(out, w) {
					t.Errorf("stdout should not contain %q:\n%s", w, out)
				}
			}
		})
	}
}

// The moratorium's two readings resolve to two different UTC windows.
func TestShowMoratoriumReadings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	windows := map[string]string{}
	for _, party := range []string{"RU", "UA"} {
		code, out, errOut := run(t, db, "agreement", "show", "--json", "--reading", party, moratorium)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var n struct {
			Readings []struct {
				Reading string
				Window  struct {
					Start string `json:"start_utc"`
					End   string `json:"end_utc"`
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &n); err != nil {
			t.Fatal(err)
		}
		if len(n.Readings) != 1 || n.Readings[0].Reading != party {
			t.Fatalf("want only the %s reading, got %+v", party, n.Readings)
		}
		windows[party] = n.Readings[0].Window.Start + ".." + n.Readings[0].Window.End
	}
	if windows["RU"] == windows["UA"] {
		t.Fatalf("readings resolve to the same window %s", windows["RU"])
	}
	code, out, _ := run(t, db, "agreement", "show", moratorium)
	if code != 0 || !strings.Contains(out, "Windows by reading (UTC)") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, w := range windows {
		start, _, _ := strings.Cut(w, "..")
		if !strings.Contains(out, strings.TrimSuffix(start, "Z")) {
			t.Errorf("text output lacks start %s:\n%s", start, out)
		}
	}
}

func TestImportIsIdempotentAndVersionsImmutable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	minimal, err := os.ReadFile("../agreement/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := writeFile(t, "a.yaml", string(minimal))
	if code, out, e := run(t, db, "agreement", "import", f); code != 0 || !strings.Contains(out, "stored test-truce version 1") {
		t.Fatalf("first import: %d %s %s", code, out, e)
	}
	if code, out, e := run(t, db, "agreement", "import", f); code != 0 || !strings.Contains(out, "unchanged test-truce version 1") {
		t.Fatalf("second import: %d %s %s", code, out, e)
	}
	changed := writeFile(t, "b.yaml", strings.Replace(string(minimal), "duration: 30d", "duration: 31d", 1))
	if code, _, e := run(t, db, "agreement", "import", changed); code != 1 || !strings.Contains(e, "already stored with different content") {
		t.Fatalf("changed content under the same version must be refused: %d %s", code, e)
	}
}

func TestDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := run(t, db, "demo")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, w := range []string{
		"stored energy-moratorium-2025 version 2", "stored easter-truce-2025 version 1", "stored jeddah-ceasefire-proposal-2025 version 1",
		"  RU       2025-03-17T21:00:00Z  2025-04-16T21:00:00Z", "  UA       2025-03-24T22:00:00Z  2025-04-23T21:00:00Z",
		"moratorium-2025-events.csv", "moratorium-2025-claims.csv",
		"energy-moratorium-2025          2        all (first evaluation)",
		// The Sloviansk grid, night of 18-19 March: under the RU reading only.
		"candidate  RU      energy-strikes     RU      2025-03-17T22:00Z day       Sloviansk",
		"== 5. Incidents", " new, 0 changed, 0 unchanged, 0 dissolved",
		// The positions of 18 March 2025: Russia's conditions, and the one
		// package every party accepted (docs/positions.md).
		"== 6. Positions on 2025-03-18", "stored ceasefire-positions-2025 version 1",
		"ceasefire-30d         if verification AND mobilisation-halt AND arms-pause  supports",
		"16 acceptable package(s), the empty one included; 1 maximal",
		"  1. {energy-moratorium, black-sea, verification, neutral-peacekeepers}",
		"  + us-backstop: US rejects us-backstop [hegseth-2025-02-12, 2025-02-12]",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("demo output lacks %q", w)
		}
	}
	if strings.Contains(out, "candidate  UA      energy-strikes     RU      2025-03-17T22:00Z day       Sloviansk") {
		t.Error("the Sloviansk strike of 18 March must not count under the UA reading")
	}
	// The Sudzha metering station: Russia's claim, Ukraine's denial and the
	// report of the fire make one contested incident.
	sudzha := lineWith(out, "Kursk Oblast, RU           explosion")
	if !strings.Contains(sudzha, "contested") || !strings.Contains(sudzha, "1 denial") {
		t.Errorf("the Sudzha incident should be contested, with the denial: %q", sudzha)
	}
	code, out, _ = run(t, db, "demo")
	if code != 0 || strings.Contains(out, "stored ") || !strings.Contains(out, "unchanged energy-moratorium-2025 version 2") ||
		!strings.Contains(out, "unchanged ceasefire-positions-2025 version 1") || !strings.Contains(out, "\n0 records read in ") ||
		!strings.Contains(out, ": 0 new, 0 changed, ") {
		t.Errorf("second demo run should find everything stored, evaluated and merged:\n%s", out)
	}
}

// jsonLines decodes what a command printed as JSON Lines (--output json),
// one value a line; what names the command in failures.
func jsonLines[T any](t *testing.T, what, out string) []T {
	t.Helper()
	var vs []T
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%s: not JSON Lines: %v: %s", what, err, l)
		}
		vs = append(vs, v)
	}
	return vs
}
