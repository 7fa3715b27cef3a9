package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/strictyaml/yamltest"
	"github.com/truce-monitor/truce/internal/testbin"
)

// Hostile YAML fails every command that reads it with exit 1 and a
// positioned problem; `bound: !x` and `text: !x` made them panic (exit 2).
func TestHostileYAMLInEveryCommand(t *testing.T) {
	minimal, err := os.ReadFile("../agreement/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mapping, err := os.ReadFile("../../examples/mappings/scenario-claims.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodAg := write("good.yaml", string(minimal))
	tagAg := write("tag.yaml", strings.Replace(string(minimal), "bound: [RU, UA]", "bound: !x", 1))
	bombAg := write("bomb.yaml", string(minimal)+"summary: "+yamltest.Laughs(9, 10)+"\n")
	tagMap := write("tag-map.yaml", strings.Replace(string(mapping), "text: [text]", "text: !x", 1))
	tagTest := write("tag.test.yaml", "agreement: good.yaml\ntests: !x\n")
	csv := write("claims.csv", "id,text\n1,x\n")
	db := filepath.Join(dir, "t.db")

	cases := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"agreement", "lint", tagAg}, []string{tagAg + ":28:12: tag !x is not supported"}},
		{[]string{"agreement", "show", tagAg}, []string{tagAg + ":28:12: tag !x is not supported"}},
		{[]string{"agreement", "import", tagAg}, []string{tagAg + ":28:12: tag !x is not supported"}},
		{[]string{"agreement", "diff", goodAg, tagAg}, []string{tagAg + ":28:12: tag !x is not supported"}},
		{[]string{"agreement", "test", tagTest}, []string{tagTest + ":2:8: tag !x is not supported"}},
		{[]string{"check", "--agreement", tagAg, "--format", "acled", csv}, []string{tagAg + ":28:12: tag !x is not supported"}},
		{[]string{"check", "--agreement", goodAg, "--format", "claims", "--mapping", tagMap, csv}, []string{tagMap + ":", ":7: tag !x is not supported"}},
		{[]string{"ingest", "--format", "claims", "--mapping", tagMap, csv}, []string{tagMap + ":", ":7: tag !x is not supported"}},
		{[]string{"agreement", "lint", bombAg}, []string{bombAg + ":33:"}},
		{[]string{"agreement", "lint", "--yaml-limit", "depth=3", goodAg}, []string{goodAg + ":10:12: nesting is deeper than 3 levels (limit depth=3)"}},
		{[]string{"agreement", "lint", "--yaml-limit", "bytes=100", goodAg}, []string{goodAg + ":8:10: file is larger than the limit of 100 bytes"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args[:2], " "), func(t *testing.T) {
			code, _, stderr := run(t, db, c.args...)
			found := true
			for _, w := range c.want {
				found = found && strings.Contains(stderr, w)
			}
			if code != 1 || !found || strings.Contains(stderr, "panic") {
				t.Fatalf("truce %s: exit %d, want 1 with %q; stderr:\n%s", strings.Join(c.args, " "), code, c.want, stderr)
			}
		})
	}

	if code, _, stderr := run(t, db, "agreement", "lint", "--yaml-limit", "depth=x", goodAg); code != 2 || !strings.Contains(stderr, "depth must be a whole number") {
		t.Fatalf("a bad --yaml-limit: exit %d, stderr %s", code, stderr)
	}
	if code, out, stderr := run(t, db, "agreement", "lint", "--yaml-limit", "bytes=4MiB,depth=64", goodAg); code != 0 || !strings.Contains(out, "1 file(s) valid") {
		t.Fatalf("raised limits: exit %d, stderr %s", code, stderr)
	}
}

// The real binary's peak memory on the worst YAML files stays well under
// 500 MB: the issue measured 2.1 GB for a 53 MB agreement, an out-of-memory
// death for the alias bomb, 650 MB for a 91 KB nested mapping.
func TestHostileYAMLPeakRSS(t *testing.T) {
	bin := testbin.Build(t)
	minimal, err := os.ReadFile("../agreement/testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bomb := string(minimal) + "    geography:\n      polygon:\n        type: Polygon\n        coordinates:\n"
	for i := 0; len(bomb) < 47<<10; i++ {
		bomb += "          - " + strings.ReplaceAll(yamltest.Laughs(9, 10), "l", "a"+strconv.Itoa(i)+"_") + "\n"
	}
	big := write("big.yaml", "")
	f, err := os.OpenFile(big, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(string(minimal) + "summary: ")
	f.Truncate(53 << 20) // sparse: a 53 MB file without 53 MB of disk
	f.Close()
	ring := "[[[30.1, 50.1], " + strings.Repeat("[31.2, 50.3], ", 39_998) + "[30.1, 50.1]]]"
	cases := []struct {
		name, file string
		exit       int
	}{
		{"valid, 40,000 positions", write("polygon.yaml", string(minimal)+"    geography:\n      polygon: {type: Polygon, coordinates: "+ring+"}\n"), 0},
		{"alias bomb 47 KB", write("bomb.yaml", bomb), 1},
		{"agreement of 53 MB", big, 1},
		{"nested mapping", write("nested.yaml", "summary:\n"+yamltest.BlockNested(0, 300)), 1},
		{"1 MiB of block tokens", write("tokens.yaml", "summary:\n"+strings.Repeat("- 1\n", 262_000)), 1},
		{"1 MiB of flow tokens", write("flow.yaml", "summary: "+yamltest.Numbers(524_000)+"\n"), 1},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, "agreement", "lint", c.file)
		peak := measureRSS(t, cmd)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.exit {
			t.Errorf("%s: want exit %d, got %d:\n%.300s", c.name, c.exit, code, out)
			continue
		}
		rss := peak() >> 10 // KB
		first, _, _ := strings.Cut(string(out), "\n")
		t.Logf("%-24s peak RSS %4d MB: %.160s", c.name, rss>>10, first)
		if rss > 300<<10 {
			t.Errorf("%s: peak RSS %d MB, want under 300 MB", c.name, rss>>10)
		}
	}
}
