package mapped

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

// claimsMapping is a valid mapping in block style, so that the positions
// below stay put.
const claimsMapping = `format: 1
record: claim
source: statements
id:
  column: id
time:
  column: conduct_start
  layout: date
  time_zone: Europe/Kyiv
text: [text]
claimant:
  column: claimant
kind:
  column: kind
  map:
    shelling: strike.artillery
  default: other
count:
  column: count
  kind: strike
  min: 1
`

func wantProblem(t *testing.T, err error, want, msg string) {
	t.Helper()
	if !strictyaml.HasProblem(err, want, msg) {
		t.Fatalf("want a problem %q ... %q, got:\n%v", want, msg, err)
	}
}

// The findings on mapping files, each refused with its position.
func TestHostileMappings(t *testing.T) {
	base := claimsMapping
	if _, err := Parse("m.yaml", []byte(base)); err != nil {
		t.Fatalf("the test's mapping is not valid: %v", err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("test is stale: %q not in claimsMapping", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct{ name, src, want, msg string }{
		// Panicked inside the YAML library in check and ingest.
		{"unknown tag on text", edit("text: [text]", "text: !x"), "m.yaml:10:7:", "tag !x is not supported"},
		{"unknown tag on a map value", edit("shelling: strike.artillery", "shelling: !x"), "m.yaml:16:15:", "tag !x is not supported"},
		// Stored with every record: 50 MB made a 2.26 GB database.
		{"long source", edit("source: statements", "source: "+strings.Repeat("s", 129)), "m.yaml:3:9:", "source: 129 characters, more than the 128 allowed"},
		{"long column name", edit("column: conduct_start", "column: "+strings.Repeat("c", 257)), "m.yaml:7:11:", "time.column: 257 characters, more than the 256 allowed"},
		{"long mapped value", edit("shelling: strike.artillery", "shelling: "+strings.Repeat("k", 257)), "m.yaml:16:15:", "kind.map.shelling: 257 characters, more than the 256 allowed"},
		{"alias bomb", edit("text: [text]", "text: "+yamltest.Laughs(9, 10)), "m.yaml:10:285:", "alias *l4 expands the document to more than 250000 values"},
		{"deep nesting", edit("text: [text]", "text: "+yamltest.FlowNested(40)), "m.yaml:10:39:", "nesting is deeper than 32 levels"},
		{"list for a text", edit("layout: date", "layout: [date]"), "m.yaml:8:11:", "time.layout: expected a text value, got a list"},
		{"text for a number", edit("min: 1", "min: one"), "m.yaml:21:8:", `count.min: expected a whole number, got the text "one"`},
		{"huge file", base + "# " + yamltest.Text(2<<20) + "\n", "m.yaml:22:", "file is larger than the limit of 1 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("m.yaml", []byte(c.src))
			wantProblem(t, err, c.want, c.msg)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

// A 50 MB source: is refused after reading 1 MiB of it.
func TestLoadRefusesLargeMapping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	body := strings.Replace(claimsMapping, "source: statements", "source: "+yamltest.Text(50<<20), 1)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadWith(path, strictyaml.DefaultLimits())
	wantProblem(t, err, path+":3:", "file is larger than the limit of 1 MiB")
	// Raised, the size limit lets the file through to the string limit.
	body = strings.Replace(claimsMapping, "source: statements", "source: "+yamltest.Text(2<<20), 1)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	lim := strictyaml.DefaultLimits()
	lim.Bytes = 4 << 20
	_, err = LoadWith(path, lim)
	wantProblem(t, err, path+":3:9:", "a value of 2097152 bytes is longer than the limit of 65536")
}

// FuzzMapping: whatever the bytes, Parse returns a mapping or positioned
// Problems in the format's words, and never panics. Seeds: the bundled
// mappings and their hostile variants, written here.
func FuzzMapping(f *testing.F) {
	for _, seed := range yamltest.Seeds(claimsMapping) {
		f.Add(seed)
	}
	more, _ := filepath.Glob("../../../examples/mappings/*.yaml")
	for _, p := range more {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("fuzz.yaml", data)
		if err == nil {
			if m == nil || len(m.columns()) == 0 {
				t.Fatalf("valid mapping that reads no column: %+v", m)
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
