package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// examples/evidence/README.md quotes what 'truce check' says of the bundled
// evidence; this keeps the quotes true.
func TestEvidenceREADMECounts(t *testing.T) {
	body, err := os.ReadFile("../../examples/evidence/README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(strings.Fields(string(body)), " ")
	summary := regexp.MustCompile(`\d+ records read, \d+ bad rows: [^\n]*`)
	s := newSession(t)
	for _, c := range []struct{ format, mapping, file string }{
		{"csv", "scenario-events.yaml", "moratorium-2025-events.csv"},
		{"claims", "scenario-claims.yaml", "moratorium-2025-claims.csv"},
	} {
		_, _, errOut := s.run("check", "--agreement", "../../examples/agreements/energy-moratorium-2025.yaml", "--near-misses",
			"--format", c.format, "--mapping", "../../examples/mappings/"+c.mapping, "../../examples/evidence/"+c.file)
		line := summary.FindString(errOut)
		if line == "" {
			t.Fatalf("check %s printed no summary:\n%s", c.file, errOut)
		}
		if !strings.Contains(readme, line) {
			t.Errorf("examples/evidence/README.md does not say what check says of %s: %q", c.file, line)
		}
	}
}
