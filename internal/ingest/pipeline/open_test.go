package pipeline

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
)

func gdeltSample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(ingesttest.File(t, "gdelt-2.0-samples", "20191024143000.export.CSV"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countRecords reads an opened input as GDELT and counts its records.
func countRecords(t *testing.T, in *Input) int {
	t.Helper()
	f, _ := Lookup("gdelt")
	r, err := f.Open(in, in.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(ingesttest.Drain(t, r, 1e6).Records)
}

func TestOpenPlainGzipZipStdin(t *testing.T) {
	sample := gdeltSample(t)
	dir := t.TempDir()

	plain := filepath.Join(dir, "export.CSV")
	os.WriteFile(plain, sample, 0o644)

	gz := filepath.Join(dir, "export.CSV.gz")
	f, _ := os.Create(gz)
	zw := gzip.NewWriter(f)
	zw.Write(sample)
	zw.Close()
	f.Close()

	zp := filepath.Join(dir, "20191024143000.export.CSV.zip")
	f, _ = os.Create(zp)
	w := zip.NewWriter(f)
	e, _ := w.Create("20191024143000.export.CSV")
	e.Write(sample)
	w.Close()
	f.Close()

	for _, path := range []string{plain, gz, zp} {
		in, err := openOne(path, nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if n := countRecords(t, in); n != 2111 {
			t.Errorf("%s: %d records, want 2111", path, n)
		}
		if in.BytesRead() == 0 || in.Size == 0 {
			t.Errorf("%s: progress counters read %d of %d", path, in.BytesRead(), in.Size)
		}
		in.Close()
	}
	in, err := openOne(zp, nil)
	if err != nil || in.Name != zp+":20191024143000.export.CSV" {
		t.Errorf("zip input name %q (%v)", in.Name, err)
	}

	in, err = openOne("-", strings.NewReader(string(sample)))
	if err != nil {
		t.Fatal(err)
	}
	if n := countRecords(t, in); n != 2111 {
		t.Errorf("stdin: %d records", n)
	}

	empty := filepath.Join(dir, "empty.zip")
	f, _ = os.Create(empty)
	zip.NewWriter(f).Close()
	f.Close()
	if _, err := openOne(empty, nil); err == nil || !strings.Contains(err.Error(), "holds no file") {
		t.Errorf("empty zip: %v", err)
	}
	if _, err := openOne(filepath.Join(dir, "missing.csv"), nil); err == nil {
		t.Error("missing file opened")
	}
	var _ io.Reader = in
}

// openOne opens a path that holds one input.
func openOne(path string, stdin io.Reader) (*Input, error) {
	ins, err := Open(context.Background(), path, stdin, Limits{})
	if err != nil {
		return nil, err
	}
	if len(ins) != 1 {
		return nil, fmt.Errorf("%s: %d inputs, want 1", path, len(ins))
	}
	return ins[0], nil
}
