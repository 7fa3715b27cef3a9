// Package ingesttest helps the parsers' tests: it finds the real sample
// files in the shared data folder beside the repository, and checks the
// reader contract. Only tests import it.
package ingesttest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest"
)

// DataDir returns the shared data folder: the folder holding go.mod, found
// by walking up from the working directory, then ../shared/data. It skips
// the test when that folder is absent (a checkout without the shared data),
// and fails it when go.mod cannot be found.
func DataDir(tb testing.TB) string {
	tb.Helper()
	data, ok := dataDir(tb)
	if !ok {
		tb.Skipf("shared data folder %s is absent: the real-data tests need the project's shared/ beside the repository", data)
	}
	return data
}

// Sample returns the first n lines of a shared sample file, for fuzz seeds
// in addition to those written in the test; nil, without skipping, when the
// shared data folder is absent, so that a fuzz target still runs on its own
// seeds. A missing file inside a present folder fails.
func Sample(tb testing.TB, n int, parts ...string) []byte {
	tb.Helper()
	data, ok := dataDir(tb)
	if !ok {
		return nil
	}
	p := filepath.Join(append([]string{data}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("sample file: %v", err)
	}
	return Head(tb, p, n)
}

// dataDir finds the shared data folder and says whether it exists.
func dataDir(tb testing.TB) (string, bool) {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod above the working directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	fi, err := os.Stat(data)
	return data, err == nil && fi.IsDir()
}

// File returns the path of a file under the shared data folder, skipping
// the test like DataDir when the folder is absent. A missing file inside a
// present folder fails the test: the sample set is expected whole.
func File(tb testing.TB, parts ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{DataDir(tb)}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("sample file: %v", err)
	}
	return p
}

// Head returns the first n lines of a sample file, for fuzz seeds.
func Head(tb testing.TB, path string, n int) []byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	br := bufio.NewReader(f)
	for i := 0; i < n; i++ {
		line, err := br.ReadBytes('\n')
		out.Write(line)
		if err != nil {
			break
		}
	}
	return out.Bytes()
}

// Result is what draining a reader gave.
type Result struct {
	Records []ingest.Record
	Bad     []*ingest.RowError
	Fatal   error // nil when the stream ended with io.EOF
}

// Drain reads r to the end and checks the contract on the way: every error
// is a *ingest.RowError, io.EOF or a fatal error that stays put; good
// records carry one event or claim with its source, id, hash and raw
// record; lines never go backwards. limit bounds the loop against a reader that never ends.
func Drain(tb testing.TB, r ingest.Reader, limit int) Result {
	tb.Helper()
	var res Result
	last := 0
	for i := 0; ; i++ {
		if i > limit {
			tb.Fatalf("reader did not end after %d calls", limit)
		}
		rec, err := r.Next()
		var re *ingest.RowError
		switch {
		case err == nil:
			if (rec.Event == nil) == (rec.Claim == nil) {
				tb.Fatalf("line %d: a record needs exactly one of event and claim", rec.Line)
			}
			if ev := rec.Event; ev != nil && (ev.Source == "" || ev.SourceID == "" || len(ev.Hash) != 64 || len(rec.Raw) == 0) {
				tb.Fatalf("line %d: incomplete event %+v", rec.Line, ev)
			}
			if c := rec.Claim; c != nil && (c.Source == "" || c.SourceID == "" || len(c.Hash) != 64 || len(rec.Raw) == 0) {
				tb.Fatalf("line %d: incomplete claim %+v", rec.Line, c)
			}
			res.Records = append(res.Records, rec)
		case errors.As(err, &re):
			if rec.Event != nil || rec.Claim != nil {
				tb.Fatalf("%v: a bad row came with a record", err)
			}
			if re.Line < 1 {
				tb.Fatalf("%v: row error without a line", err)
			}
			res.Bad = append(res.Bad, re)
		case errors.Is(err, io.EOF):
			if _, err2 := r.Next(); !errors.Is(err2, io.EOF) {
				tb.Fatalf("after io.EOF, Next returned %v", err2)
			}
			return res
		default:
			if _, err2 := r.Next(); err2 == nil || err2.Error() != err.Error() {
				tb.Fatalf("fatal error %q did not stay: then %v", err, err2)
			}
			res.Fatal = err
			return res
		}
		if rec.Line < last {
			tb.Fatalf("line went back from %d to %d", last, rec.Line)
		}
		last = rec.Line
	}
}

// Read returns the contents of a sample file (see File).
func Read(tb testing.TB, parts ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(File(tb, parts...))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Benchmark reads data through the reader open makes, once per iteration,
// reporting bytes/s and rows/s: the parsers' benchmarks share it.
func Benchmark(b *testing.B, data []byte, open func([]byte) ingest.Reader) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r := open(data)
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
