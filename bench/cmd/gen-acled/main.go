// Command gen-acled writes the benchmark's large ACLED file by replaying the
// real rows of the shared ACLED sample until N rows are written.
//
// Each replayed row keeps its content byte for byte except event_id_cnty,
// which gets the replay round as a suffix (UKR56925 in round 17 becomes
// UKR56925-r17), so every id in the output is unique. The header is copied as
// is. The output is generated data: it lives under bench/data/, which git
// ignores, and is never committed.
//
//	go run ./bench/cmd/gen-acled -n 1000000 -o bench/data/acled-1m.csv
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const notice = "generated from the shared ACLED sample (real rows replayed with fresh event_id_cnty values); benchmark data only, never committed"

func main() {
	sample := flag.String("sample", "../shared/data/acled-sample-acledR/acled_sample_9000_2022H1.csv", "ACLED CSV whose rows are replayed")
	out := flag.String("o", "bench/data/acled-1m.csv", "output file (its directory is created)")
	n := flag.Int("n", 1_000_000, "number of data rows to write (header not counted)")
	quiet := flag.Bool("q", false, "print nothing on success")
	flag.Parse()
	if *n < 0 {
		fatal(errors.New("-n must not be negative"))
	}
	start := time.Now()
	if err := run(*sample, *out, *n); err != nil {
		fatal(err)
	}
	if !*quiet {
		fi, _ := os.Stat(*out)
		var size int64
		if fi != nil {
			size = fi.Size()
		}
		fmt.Fprintf(os.Stderr, "gen-acled: wrote %d rows (%.0f MB) to %s in %.2fs\ngen-acled: %s\n",
			*n, float64(size)/1e6, *out, time.Since(start).Seconds(), notice)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "gen-acled: %v\n", err)
	os.Exit(1)
}

// row is one sample record split at the end of its first field: id is the
// parsed event_id_cnty, rest the raw bytes from the comma after it to the end
// of the record, line ending included.
type row struct {
	id   string
	rest []byte
}

func run(samplePath, outPath string, n int) error {
	data, err := os.ReadFile(samplePath)
	if err != nil {
		return err
	}
	header, rows, err := split(data)
	if err != nil {
		return fmt.Errorf("%s: %w", samplePath, err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no data rows", samplePath)
	}

	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return err
	}
	// Write to a temporary file and rename, so that an interrupted run never
	// leaves a short file that a later run would take as complete.
	tmp, err := os.CreateTemp(filepath.Dir(outPath), ".gen-acled-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.Write(header)
	var buf []byte
	for i := 0; i < n; i++ {
		round := i/len(rows) + 1
		r := rows[i%len(rows)]
		buf = buf[:0]
		buf = appendField(buf, r.id+"-r"+strconv.Itoa(round))
		buf = append(buf, r.rest...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), outPath)
}

// split parses data as CSV only to find record boundaries and the first
// field, and returns the header line and each record's raw remainder.
func split(data []byte) (header []byte, rows []row, err error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	var prev int64
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		end := cr.InputOffset()
		raw := data[prev:end]
		prev = end
		if first {
			header = append([]byte(nil), raw...)
			if len(rec) == 0 || rec[0] != "event_id_cnty" {
				return nil, nil, fmt.Errorf("first column is %q, want event_id_cnty", rec[0])
			}
			first = false
			continue
		}
		// The first field's raw length: the id as written, quoted or not.
		_, col := cr.FieldPos(1)
		if len(rec) < 2 {
			return nil, nil, fmt.Errorf("record with %d fields", len(rec))
		}
		rest := raw[col-2:] // FieldPos columns are 1-based; keep the comma
		if rest[0] != ',' {
			return nil, nil, fmt.Errorf("cannot find the end of event_id_cnty %q", rec[0])
		}
		if !bytes.HasSuffix(rest, []byte("\n")) {
			rest = append(append([]byte(nil), rest...), '\n')
		}
		rows = append(rows, row{id: rec[0], rest: rest})
	}
	return header, rows, nil
}

// appendField appends s as one CSV field, quoted only when it has to be.
func appendField(b []byte, s string) []byte {
	need := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			need = true
		}
	}
	if s == "" || (!need && s[0] != ' ' && s[0] != '\t') {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
