// Package testbin builds the truce binary for tests that run it as users
// do: a process to kill, or several servers side by side.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Build builds cmd/truce into t's temporary directory, without the race
// detector whatever the test is built with, and returns its path.
func Build(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "truce")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/truce-monitor/truce/cmd/truce")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
