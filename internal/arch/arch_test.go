// Package arch holds the test that keeps the layers of docs/architecture.md
// apart: what each layer may import, checked with `go list` on the real
// import graph, so a shortcut fails the build's tests, not a review. Run it
// with -count=1, as scripts/test.sh does: go test caches its result without
// knowing the packages it lists.
package arch

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/truce-monitor/truce/"

// domain are the packages that hold the rules: formats, vocabularies,
// matching, merging, grading, review rules. They run the same under the
// CLI, the server and the tests, so they import no database, HTTP or
// command-line code.
var domain = []string{
	"internal/agreement", "internal/agreementtest", "internal/allege", "internal/auth",
	"internal/classify", "internal/classify/ac", "internal/compliance", "internal/event", "internal/geo",
	"internal/incident", "internal/match", "internal/positions", "internal/report", "internal/review",
	"internal/strictyaml", "internal/taxonomy", "internal/termsafe", "internal/vocab",
	"internal/ingest", "internal/ingest/acled", "internal/ingest/gdelt",
	"internal/ingest/mapped", "internal/ingest/strikes", "internal/ingest/ucdp",
}

// forbidden are what a domain package may not depend on, even indirectly.
var forbidden = []string{
	"database/sql", "net/http", "modernc.org/sqlite", "github.com/jackc/pgx/v5",
	"github.com/spf13/cobra",
	module + "internal/cli", module + "internal/store", module + "internal/app", module + "internal/server",
	module + "internal/store/sqlite", module + "internal/store/postgres",
}

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../../"+pkg).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list %s: %v %s", pkg, err, stderr)
	}
	return strings.Fields(string(out))
}

func TestDomainImportsNoInfrastructure(t *testing.T) {
	for _, pkg := range domain {
		for _, d := range deps(t, pkg) {
			for _, f := range forbidden {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s depends on %s: domain packages import no database, HTTP or CLI code (docs/architecture.md)", pkg, d)
				}
			}
		}
	}
}

// The stores are reached through the store interface: nothing but the
// backend chooser, the two backends and their tests imports a backend.
func TestBackendsStayBehindTheInterface(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../../...").Output()
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		module + "internal/store/backend":  true,
		module + "internal/store/sqlite":   true,
		module + "internal/store/postgres": true,
		module + "bench/cmd/truce-prof":    true,
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || allowed[f[0]] {
			continue
		}
		for _, imp := range f[1:] {
			switch imp {
			case module + "internal/store/sqlite", module + "internal/store/postgres", module + "internal/store/sqlstore":
				t.Errorf("%s imports %s: use the store interface (internal/store) and internal/store/backend", f[0], imp)
			}
		}
	}
}

// The application layer holds the use cases for both adapters, so it
// speaks neither HTTP nor the command line; the server is an adapter like
// the CLI and does not reach the command line either.
func TestAdaptersOverTheApplication(t *testing.T) {
	rules := []struct {
		pkg    string
		forbid []string
	}{
		{"internal/app", []string{"net/http", "github.com/spf13/cobra", module + "internal/cli", module + "internal/server"}},
		{"internal/server", []string{"github.com/spf13/cobra", module + "internal/cli"}},
		// The dashboard renders use cases: no SQL, no store of its own, and
		// it is mounted by the server, not the other way round.
		{"internal/web", []string{"database/sql", "github.com/spf13/cobra", module + "internal/cli", module + "internal/server",
			module + "internal/store/sqlstore", module + "internal/store/sqlite", module + "internal/store/postgres"}},
	}
	for _, r := range rules {
		for _, d := range deps(t, r.pkg) {
			for _, f := range r.forbid {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s depends on %s (docs/architecture.md)", r.pkg, d)
				}
			}
		}
	}
	for _, adapter := range []string{"internal/cli", "internal/server", "internal/web"} {
		if !slices.Contains(deps(t, adapter), module+"internal/app") {
			t.Errorf("%s does not import internal/app: adapters call the use cases, they do not hold them", adapter)
		}
	}
}

// internal/testdb makes databases for tests; no program imports it.
func TestTestdbOnlyInTests(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../../...").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && slices.Contains(f[1:], module+"internal/testdb") {
			t.Errorf("%s imports internal/testdb outside its tests", f[0])
		}
	}
}

// vocab is the leaf every layer may import: it imports nothing of truce's.
func TestVocabIsALeaf(t *testing.T) {
	for _, d := range deps(t, "internal/vocab") {
		if strings.HasPrefix(d, module) && d != module+"internal/vocab" {
			t.Errorf("internal/vocab depends on %s: it must stay a leaf", d)
		}
	}
}
