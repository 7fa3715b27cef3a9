package cli

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlite"

	_ "modernc.org/sqlite" // for PRAGMA integrity_check on the raw file
)

// TestMain lets a test run the truce command line in a child process (the
// test binary itself), so that the child can be killed with SIGKILL.
func TestMain(m *testing.M) {
	if args := os.Getenv("TRUCE_TEST_RUN_CLI"); args != "" {
		os.Exit(Run(context.Background(), strings.Split(args, "\x1f"), Env{
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		}))
	}
	os.Exit(m.Run())
}

func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRUCE_TEST_RUN_CLI="+strings.Join(args, "\x1f"))
	return cmd
}

// replayACLED writes n rows replayed from the real ACLED Ukraine sample with
// fresh ids, so the file is big enough to kill an import half-way.
func replayACLED(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Open(ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(bufio.NewWriter(out))
	w.Write(rows[0])
	for i := 0; i < n; i++ {
		r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
		r[0] = fmt.Sprintf("%s-r%d", r[0], i)
		w.Write(r)
	}
	w.Flush()
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

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
// that file, intact, and the same import then runs to completion.
func TestKillDuringImportLeavesStoreAsBefore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large file; skipped with -short")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "kill.db")
	small := ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv")
	if out, err := child("--db", db, "ingest", "--format", "acled", small).CombinedOutput(); err != nil {
		t.Fatalf("first import: %v\n%s", err, out)
	}
	before := countEvents(t, db)
	if before != 690 {
		t.Fatalf("before: %d events", before)
	}

	const n = 200000
	big := filepath.Join(dir, "big.csv")
	replayACLED(t, big, n)

	cmd := child("--db", db, "ingest", "--format", "acled", "--progress", "never", big)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once the import is visibly writing: its uncommitted pages have
	// reached the write-ahead log.
	wal := db + "-wal"
	deadline := time.Now().Add(60 * time.Second)
	for {
		if fi, err := os.Stat(wal); err == nil && fi.Size() > 4<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import never started writing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import finished before it could be killed (%v): make the file bigger", err)
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

	out, err := child("--db", db, "ingest", "--format", "acled", "--progress", "never", big).CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	if got := countEvents(t, db); got != before+n {
		t.Fatalf("after re-run: %d events, want %d", got, before+n)
	}
}
