package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/positions"
)

const bundledPositions = "../../examples/positions/ceasefire-2025.yaml"

// The positions commands read a file, never the store: run with a database
// path that does not exist, they work and create nothing.
func TestPositionsCommands(t *testing.T) {
	db := t.TempDir() + "/none.db"
	code, out, errOut := run(t, db, "positions", "common-ground", "--file", bundledPositions, "--at", "2025-03-18")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"1. 4 term(s): {energy-moratorium, black-sea, verification, neutral-peacekeepers}",
		"RU accepts ceasefire-30d only if verification AND mobilisation-halt AND arms-pause (verification included, mobilisation-halt excluded, arms-pause excluded)",
		"GB accepts european-force only if us-backstop (us-backstop excluded)",
		"US rejects us-backstop [hegseth-2025-02-12, 2025-02-12]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("common-ground lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a positions command created the database")
	}

	code, out, errOut = run(t, db, "positions", "common-ground", "--file", bundledPositions, "--at", "2025-03-18", "--output", "json")
	var r positions.Result
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Count != "16" {
		t.Errorf("json: exit %d count %q: %s", code, r.Count, errOut)
	}

	code, out, _ = run(t, db, "positions", "matrix", "--file", bundledPositions, "--at", "2025-03-18", "--output", "md")
	if code != 0 || !strings.Contains(out, "| **european-force**") || !strings.Contains(out, "if us-backstop (2025-03-02, starmer-2025-03-02)") {
		t.Errorf("matrix md: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, db, "positions", "matrix", "--file", bundledPositions, "--at", "2025-03-18", "--output", "html")
	for _, want := range []string{`<html lang="en">`, `<th scope="col">United Kingdom (GB)</th>`, `<td class="conditional"`,
		"<strong>conditional</strong>: if us-backstop", `<a href="https://`, "<h2>Sources</h2>"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("matrix html: exit %d, no %q", code, want)
		}
	}
	code, out, _ = run(t, db, "positions", "matrix", "--file", bundledPositions, "--at", "2025-03-27", "--party", "GB,FR", "--term", "european-force")
	if code != 0 || !strings.Contains(out, "european-force  if us-backstop  supports") || strings.Contains(out, "RU") {
		t.Errorf("matrix --party --term: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, db, "positions", "timeline", "--file", bundledPositions)
	if code != 0 || !strings.Contains(out, "EU on sanctions-relief: unknown -> rejects [eu-2025-03-26]") {
		t.Errorf("timeline: exit %d\n%s", code, out)
	}
}

// A wrong date or file is an error that says why, never an empty answer.
func TestPositionsErrors(t *testing.T) {
	db := t.TempDir() + "/none.db"
	bad := writeFile(t, "bad.yaml", strings.Replace(mustRead(t, bundledPositions),
		"condition: verification AND mobilisation-halt AND arms-pause\n    source: putin",
		"condition: verification AND demobilisation AND arms-pause\n    source: putin", 1))
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"matrix", "--file", bundledPositions, "--at", "18/03/2025"}, 2, `--at: date "18/03/2025": want a date like 2025-03-18`},
		{[]string{"matrix", "--file", bundledPositions}, 2, "--at DATE is required"},
		{[]string{"matrix", "--file", bundledPositions, "--at", "2025-03-18", "--party", "RU,UK"}, 2, `unknown party "UK": the file declares RU, UA, US, GB, FR, EU`},
		{[]string{"matrix", "--file", bundledPositions, "--at", "2025-03-18", "--term", "ceasefire"}, 2, `unknown term "ceasefire"`},
		{[]string{"common-ground", "--file", bundledPositions, "--at", "2025-01-01"}, 1, "records no stance on or before 2025-01-01: its first position is dated 2025-02-12"},
		{[]string{"common-ground", "--at", "2025-03-18"}, 2, "--file or --set is required"},
		{[]string{"matrix", "--file", bundledPositions, "--at", "2025-03-18", "--output", "csv"}, 2, `unknown output "csv"`},
		{[]string{"timeline", "--file", bad}, 1, `bad.yaml:205:33: unknown term "demobilisation" in the condition`},
		{[]string{"timeline", "--file", "missing.yaml"}, 1, "missing.yaml"},
	}
	for _, c := range cases {
		code, out, errOut := run(t, db, append([]string{"positions"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, want %d with %q; stderr:\n%s\nstdout:\n%s", c.args, code, c.code, c.want, errOut, out)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
