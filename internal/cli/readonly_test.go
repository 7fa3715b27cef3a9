package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A command that reads or changes what is stored never creates a database:
// a mistyped --db says there is none and how to make one, instead of an
// empty answer from a new empty file.
func TestReadCommandsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"findings"},
		{"findings", "--agreement", "energy-moratorium-2025"},
		{"evaluate"},
		{"incident", "list"},
		{"incident", "show", "1"},
		{"incident", "build"},
		{"review", "list"},
		{"review", "show", "finding/1"},
		{"review", "set", "finding/1", "corroborated", "--from", "alleged", "--reason", "r"},
		{"evidence", "list", "finding/1"},
		{"evidence", "add", "finding/1", "--notes", "n"},
		{"audit", "verify"},
		{"audit", "head"},
		{"audit", "list"},
		{"user", "list"},
		{"user", "disable", "ada", "--reason", "r"},
	} {
		name := strings.Join(args, " ")
		for _, db := range []string{filepath.Join(dir, "truce.bd"), "sqlite:" + filepath.Join(dir, "truce.bd")} {
			code, out, errOut := run(t, db, args...)
			path := strings.TrimPrefix(db, "sqlite:")
			if code != 1 || !strings.Contains(errOut, "no database at "+path) || !strings.Contains(errOut, "truce migrate --db "+path) {
				t.Errorf("%s on %s: exit %d\nstdout:\n%s\nstderr:\n%s", name, db, code, out, errOut)
			}
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("%s created %s: %v", name, path, err)
			}
		}
	}
	// Commands that put things in create it.
	db := filepath.Join(dir, "new.db")
	mustRun(t, db, "migrate")
	if out := mustRun(t, db, "audit", "verify"); !strings.Contains(out, "0 entries") {
		t.Errorf("verify on the new database: %q", out)
	}
}
