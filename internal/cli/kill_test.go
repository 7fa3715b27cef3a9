package cli

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlite"
	"github.com/truce-monitor/truce/internal/testbin"

	_ "modernc.org/sqlite" // for PRAGMA integrity_check on the raw file
)

func countEvents(t *testing.T, db string) int {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountEvents(context.Background(), store.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A kill -9 in the middle of an import leaves the store as it was before
// that file, intact, and the same import then runs to completion: an
// import after a first file, through the write-ahead log, and the first
// import into a new file, which holds the file alone and writes it
// directly (a rollback journal, see package sqlite).
func TestKillDuringImportLeavesStoreAsBefore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large file; skipped with -short")
	}
	bin := testbin.Build(t)
	const n = 200000
	big := filepath.Join(t.TempDir(), "big.csv")
	ingesttest.ReplayACLED(t, big, n)
	t.Run("after a first file", func(t *testing.T) { killDuringImport(t, bin, big, n, true) })
	t.Run("into a new file", func(t *testing.T) { killDuringImport(t, bin, big, n, false) })
}

func killDuringImport(t *testing.T, bin, big string, n int, first bool) {
	child := func(args ...string) *exec.Cmd { return exec.Command(bin, args...) }
	db := filepath.Join(t.TempDir(), "kill.db")
	before := 0
	if first {
		small := ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv")
		if out, err := child("--db", db, "ingest", "--format", "acled", small).CombinedOutput(); err != nil {
			t.Fatalf("first import: %v\n%s", err, out)
		}
		if before = countEvents(t, db); before != 690 {
			t.Fatalf("before: %d events", before)
		}
	}
	n4 := n / 4

	cmd := child("--db", db, "ingest", "--format", "acled", "--progress", "always", big)
	progress, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a quarter of the rows went through: the import is then both
	// parsing and writing its transaction.
	rows := regexp.MustCompile(`, (\d+) rows,`)
	sc := bufio.NewScanner(progress)
	sc.Split(scanCR)
	killed := false
	for sc.Scan() {
		m := rows.FindStringSubmatch(sc.Text())
		if n, _ := strconv.Atoi(m2(m)); n >= n4 {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	go io.Copy(io.Discard, progress)
	cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !killed || !ok || !ws.Signaled() {
		t.Fatalf("the import finished before it could be killed: make the file bigger")
	}

	// Killed inside its transaction: a first import into the new file
	// left its rollback journal (hot, for the next opener to roll back),
	// an import through the log none.
	if _, err := os.Stat(db + "-journal"); (err == nil) == first {
		t.Errorf("rollback journal after the kill: %v, want one only for the first import into a new file", err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	raw.Close()
	if got := countEvents(t, db); got != before {
		t.Fatalf("after kill -9: %d events, want %d as before the import", got, before)
	}
	raw, err = sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode after truce opened the file again: %q %v, want wal", mode, err)
	}
	raw.Close()

	out, err := child("--db", db, "ingest", "--format", "acled", "--progress", "never", big).CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	if got := countEvents(t, db); got != before+n {
		t.Fatalf("after re-run: %d events, want %d", got, before+n)
	}
}

func m2(m []string) string {
	if len(m) < 2 {
		return ""
	}
	return m[1]
}

// scanCR splits progress output, whose lines end in \r, not \n.
func scanCR(data []byte, atEOF bool) (int, []byte, error) {
	for i, b := range data {
		if b == '\r' || b == '\n' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
