package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest/load"
)

// Both stores alike on bytes (issue 18): one byte that is not UTF-8 and one
// NUL late in a file reject those rows with line and field, never the file
// (PostgreSQL failed it whole) and never store them raw (SQLite did); a
// Windows-1252 file decoded with --encoding keeps raw, hash and text in
// agreement, so an upstream edit café → cafè is a new version.
func TestIngestBadBytesBothStores(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testIngestBadBytes(t, filepath.Join(t.TempDir(), "t.db")) })
	t.Run("postgres", func(t *testing.T) { testIngestBadBytes(t, postgresDB(t)) })
}

// summary decodes the --json summary of one file.
func summary(t *testing.T, stdout string) load.Summary {
	t.Helper()
	var sums []load.Summary
	if err := json.Unmarshal([]byte(stdout), &sums); err != nil || len(sums) != 1 {
		t.Fatalf("summary %v: %s", err, stdout)
	}
	return sums[0]
}

func testIngestBadBytes(t *testing.T, db string) {
	const header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,notes\n"
	var b strings.Builder
	b.WriteString(header)
	n := 0
	for ; b.Len() < 1100<<10; n++ {
		fmt.Fprintf(&b, "G%d,2022-03-01,Battles,Armed clash,A,a note long enough to pass the first megabyte quickly %d\n", n, n)
	}
	bad := n + 2 // the line of the first bad row
	b.WriteString("BAD1,2022-03-01,Battles,Armed clash,A,caf\xe9\n")
	b.WriteString("BAD2,2022-03-01,Battles,Armed clash,A\x00B,x\n")
	fmt.Fprintf(&b, "G%d,2022-03-01,Battles,Armed clash,A,last\n", n)
	late := writeFile(t, "late.csv", b.String())
	code, stdout, stderr := run(t, db, "ingest", "--format", "acled", "--json", late)
	if code != 3 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		fmt.Sprintf(`%s:%d: field "notes": not UTF-8`, late, bad),
		fmt.Sprintf(`%s:%d: field "actor1": holds a NUL byte`, late, bad+1),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if s := summary(t, stdout); s.New != n+1 || s.Rejected != 2 {
		t.Fatalf("summary %+v", s)
	}

	cp := header + "C1,2022-03-01,Battles,Armed clash,A,caf\xe9\nC2,2022-03-01,Battles,Armed clash,A,na\xefve\nC3,2022-03-01,Battles,Armed clash,A,x\xe9\n"
	file := writeFile(t, "cp.csv", cp)
	if code, _, stderr := run(t, db, "ingest", "--format", "acled", file); code != 1 || !strings.Contains(stderr, "cp.csv:2: not UTF-8") || !strings.Contains(stderr, "--encoding windows-1252") {
		t.Fatalf("Windows-1252 without --encoding: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, db, "ingest", "--format", "acled", "--encoding", "windows-1252", file); code != 0 {
		t.Fatalf("with --encoding: exit %d\n%s", code, stderr)
	}
	edited := writeFile(t, "cp.csv", strings.Replace(cp, "caf\xe9", "caf\xe8", 1))
	code, stdout, stderr = run(t, db, "ingest", "--format", "acled", "--encoding", "windows-1252", "--json", edited)
	if code != 0 {
		t.Fatalf("edited: exit %d\n%s", code, stderr)
	}
	if s := summary(t, stdout); s.Updated != 1 || s.Unchanged != 2 {
		t.Fatalf("café → cafè upstream: %+v", s)
	}
}
