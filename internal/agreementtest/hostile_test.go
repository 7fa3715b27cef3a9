package agreementtest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/strictyaml/yamltest"
)

// testFile is a valid test file in block style, so that positions stay put.
const testFile = `agreement: a.yaml
tests:
  - name: a strike
    events:
      - id: e1
        time:
          start: "2025-03-20T10:00"
          time_zone: Europe/Kyiv
        place:
          country: UA
        actors:
          - name: Military Forces of Russia (2000-)
            role: actor1
        kind: strike.drone
    expect:
      - record: e1
        reading: RU
        commitment: energy-strikes
        verdict: candidate
`

func wantProblem(t *testing.T, err error, want, msg string) {
	t.Helper()
	if !strictyaml.HasProblem(err, want, msg) {
		t.Fatalf("want a problem %q ... %q, got:\n%v", want, msg, err)
	}
}

func TestHostileTestFiles(t *testing.T) {
	lim := strictyaml.DefaultLimits()
	if _, err := Parse("t.yaml", []byte(testFile), lim); err != nil {
		t.Fatalf("the test's file is not valid: %v", err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(testFile, old) {
			t.Fatalf("test is stale: %q not in testFile", old)
		}
		return strings.Replace(testFile, old, new, 1)
	}
	cases := []struct{ name, src, want, msg string }{
		{"unknown tag on events", edit("    events:\n", "    events: !x\n    evts:\n"), "t.yaml:4:13:", "tag !x is not supported"},
		{"unknown tag on a value", edit("kind: strike.drone", "kind: !x"), "t.yaml:14:15:", "tag !x is not supported"},
		{"alias bomb", edit("kind: strike.drone", "kind: strike.drone\n        targets: "+yamltest.Laughs(9, 10)), "t.yaml:15:", "expands the document to more than 250000 values"},
		{"deep nesting", edit("kind: strike.drone", "kind: strike.drone\n        targets: "+yamltest.FlowNested(40)), "t.yaml:15:", "nesting is deeper than 32 levels"},
		{"list for a time", edit(`start: "2025-03-20T10:00"`, "start: [2025]"), "t.yaml:7:18:", "tests[0].events[0].time.start: expected a text value, got a list"},
		{"text for a number", edit("          country: UA\n", "          country: UA\n          lat: north\n"), "t.yaml:11:16:", `lat: expected a number, got the text "north"`},
		{"long record id", edit("id: e1", "id: "+strings.Repeat("e", 129)), "t.yaml:5:13:", "tests[0].events[0].id: 129 characters, more than the 128 allowed"},
		{"huge file", testFile + "# " + yamltest.Text(2<<20) + "\n", "t.yaml:20:", "file is larger than the limit of 1 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("t.yaml", []byte(c.src), lim)
			wantProblem(t, err, c.want, c.msg)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

// The agreement a test file names is read within the same limits.
func TestLoadAppliesLimitsToTheAgreement(t *testing.T) {
	dir := t.TempDir()
	ag, err := os.ReadFile("../agreement/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), append(ag, "summary: "+yamltest.Text(2<<20)+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(path, []byte(testFile), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(path)
	wantProblem(t, err, filepath.Join(dir, "a.yaml")+":33:", "file is larger than the limit of 1 MiB")
}

// FuzzTestFile: whatever the bytes, Parse returns a test file or positioned
// Problems in the format's words, and never panics. Seeds: a file written
// here, its hostile variants, and the bundled test files.
func FuzzTestFile(f *testing.F) {
	for _, seed := range yamltest.Seeds(testFile) {
		f.Add(seed)
	}
	more, _ := filepath.Glob("../../examples/tests/*.test.yaml")
	for _, p := range more {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data, strictyaml.DefaultLimits())
		if err == nil {
			if file == nil || len(file.Tests) == 0 {
				t.Fatal("valid file without tests")
			}
			return
		}
		var ps strictyaml.Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not Problems: %v", err)
		}
		for _, p := range ps {
			s := p.String()
			if p.Line < 1 || p.Message == "" || strings.Contains(s, "Go struct") || strings.ContainsAny(s, "\x1b\r\n") {
				t.Fatalf("problem without a position, in Go's words or with control characters: %q", s)
			}
		}
	})
}
