package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
)

// An unknown --output is a usage error, before anything is opened, listing
// what the command prints.
func TestOutputUnknownIsUsageError(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"agreement", "show", "--output", "yaml", moratorium}, `unknown output "yaml": use text or json`},
		{[]string{"check", "--agreement", moratorium, "--format", "strikes", "-o", "xml", "x.csv"}, `unknown output "xml": use table, json, csv or geojson`},
		{[]string{"findings", "--output", "kml"}, "use table, json, csv or geojson"},
		{[]string{"imports", "--output", "csv"}, "use table or json"},
		{[]string{"imports", "rejects", "1", "-o", "json"}, "use text or csv"},
		{[]string{"incident", "show", "1", "-o", "table"}, "use text or json"},
		{[]string{"audit", "verify", "--output", "table"}, "use text or json"},
		{[]string{"user", "tokens", "ada", "-o", "text"}, "use table or json"},
		{[]string{"review", "list", "--output", "text"}, "use table or json"},
		{[]string{"evaluate", "--output", "csv"}, "use table or json"},
		// An old alias that contradicts --output.
		{[]string{"agreement", "show", "--output", "text", "--json", moratorium}, "--output and --json ask for different outputs"},
	} {
		s := newSession(t)
		code, out, errOut := s.run(tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) || out != "" {
			t.Errorf("truce %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(tc.args, " "), code, out, errOut, tc.want)
		}
	}
}

// The old flags still work, as --output does, with a notice on stderr
// that leaves stdout to the data.
func TestOutputDeprecatedAliases(t *testing.T) {
	s := newSession(t)
	want := s.want(0, nil, "agreement", "show", "--reading", "UA", "-o", "json", moratorium)
	for _, args := range [][]string{
		{"agreement", "show", "--reading", "UA", "--json", moratorium},
		{"agreement", "show", "--reading", "UA", "--json", "--output", "json", moratorium},
	} {
		code, out, errOut := s.run(args...)
		if code != 0 || out != want {
			t.Errorf("truce %s: exit %d, stdout differs from --output json's:\n%.400s", strings.Join(args, " "), code, out)
		}
		if !strings.Contains(errOut, "--json has been deprecated, use --output json") {
			t.Errorf("truce %s: no deprecation notice on stderr: %q", strings.Join(args, " "), errOut)
		}
	}
	var n agreement.Normalized
	if err := json.Unmarshal([]byte(want), &n); err != nil || n.ID != "energy-moratorium-2025" {
		t.Errorf("agreement show -o json: %v: %.200s", err, want)
	}
	help := s.want(0, nil, "agreement", "show", "--help")
	if strings.Contains(help, "--json") || !strings.Contains(help, "-o, --output FORMAT") {
		t.Errorf("agreement show --help should offer -o, --output and hide --json:\n%s", help)
	}
}

// The outputs added to commands that had none, and the aliases, on the
// demo's database.
func TestOutputNewFlags(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")

	page := s.want(0, nil, "incident", "show", "incident/1", "--output", "json")
	var p app.IncidentPage
	if err := json.Unmarshal([]byte(page), &p); err != nil || p.ID != 1 || len(p.Members) == 0 {
		t.Errorf("incident show -o json: %v: %.300s", err, page)
	}

	batches := jsonLines[app.ImportBatch](t, "imports -o json", s.want(0, nil, "imports", "-o", "json"))
	if len(batches) != 3 || batches[0].ID != 1 || batches[0].Read == 0 {
		t.Errorf("imports -o json: %+v", batches)
	}
	for _, args := range [][]string{{"imports", "rejects", "1", "--csv"}, {"imports", "rejects", "1", "-o", "csv"}} {
		if out := s.want(0, nil, args...); !strings.HasPrefix(out, "file,line,field,reason,value,raw\n") {
			t.Errorf("truce %s: not CSV: %q", strings.Join(args, " "), out)
		}
	}

	var built app.BuildResult
	if out := s.want(0, nil, "incident", "build", "--json"); json.Unmarshal([]byte(out), &built) != nil || built.Incidents == 0 {
		t.Errorf("incident build --json: %q", out)
	}
	var evals []app.Evaluation
	if out := s.want(0, nil, "evaluate", "-o", "json"); json.Unmarshal([]byte(out), &evals) != nil || len(evals) == 0 {
		t.Errorf("evaluate -o json: %q", out)
	}

	token := strings.TrimSpace(s.want(0, nil, "user", "add", "ada", "--role", "admin"))
	tokens := jsonLines[auth.APIToken](t, "user tokens -o json", s.as(token).want(0, nil, "user", "tokens", "ada", "-o", "json"))
	if len(tokens) != 1 || tokens[0].User != "ada" || tokens[0].Label != "first token" {
		t.Errorf("user tokens -o json: %+v", tokens)
	}
	var r app.AuditReport
	if out := s.want(0, nil, "audit", "verify", "--state", "--output", "json"); json.Unmarshal([]byte(out), &r) != nil || r.Checked == 0 || r.State == nil {
		t.Errorf("audit verify -o json: %q", out)
	}
}

// evidence get writes a file with --out; the old -o and --output, which
// name a format everywhere else, are refused saying how to write it now.
func TestEvidenceGetOut(t *testing.T) {
	for _, flag := range []string{"-o", "--output"} {
		s := newSession(t)
		code, _, errOut := s.run("evidence", "get", "finding/1", strings.Repeat("ab", 32), flag, "crater.jpg")
		if code != 2 || !strings.Contains(errOut, "--out crater.jpg") {
			t.Errorf("evidence get %s FILE: exit %d, stderr %q; want exit 2 saying --out", flag, code, errOut)
		}
	}
}

// The demo's hints name truce as the user ran it.
func TestDemoHintsProgram(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	for _, program := range []string{"./truce", "go run ./cmd/truce"} {
		var out, errb bytes.Buffer
		env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Program: program}
		if code := Run(context.Background(), []string{"--db", db, "demo"}, env); code != 0 {
			t.Fatalf("demo: exit %d\n%s", code, errb.String())
		}
		_, hints, ok := strings.Cut(out.String(), "\nNext:\n")
		if !ok {
			t.Fatalf("demo printed no hints:\n%.2000s", out.String())
		}
		for _, line := range strings.Split(strings.TrimSpace(hints), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "TRUCE_TOKEN=... ")
			if !strings.HasPrefix(line, program+" ") {
				t.Errorf("with program %q, a hint does not start with it: %q", program, line)
			}
		}
	}
}

func TestProgramName(t *testing.T) {
	for _, tc := range []struct{ arg0, want string }{
		{"/tmp/go-build123/b001/exe/truce", "go run ./cmd/truce"},
		{"./truce", "./truce"},
		{"truce", "truce"},
		{"/usr/local/bin/truce", "/usr/local/bin/truce"},
		{"/home/a b/truce", "'/home/a b/truce'"},
		{"/home/a/go-build/truce", "/home/a/go-build/truce"}, // not a go run build
		{"", "truce"},
	} {
		if got := programName(tc.arg0, "/tmp"); got != tc.want {
			t.Errorf("programName(%q) = %q, want %q", tc.arg0, got, tc.want)
		}
	}
}
