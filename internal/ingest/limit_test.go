package ingest

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// byteLimits is the byte-at-a-time check that scanTable must agree with:
// the number of bytes it lets through and the error it stops with.
func byteLimits(data []byte, lim Limits, shape Shape) (int, error) {
	l := &limitReader{file: "f.csv", lim: lim, shape: shape, sep: ',', line: 1, recLine: 1}
	if shape == TSV {
		l.sep = '\t'
	}
	for i, c := range data {
		if c == '\n' {
			l.line++
		}
		l.table(c)
		if l.exceeded() {
			return i, l.err
		}
	}
	return len(data), nil
}

// readLimited reads data through LimitReader, a few bytes a call, and
// returns how many bytes came through and the error it ended with.
func readLimited(data []byte, lim Limits, shape Shape, chunk int) (int, error) {
	r := LimitReader(iotest.OneByteReader(bytes.NewReader(data)), "f.csv", lim, shape)
	if chunk > 1 {
		r = LimitReader(io.LimitReader(bytes.NewReader(data), int64(len(data))), "f.csv", lim, shape)
	}
	buf := make([]byte, max(chunk, 1))
	n := 0
	for {
		k, err := r.Read(buf)
		n += k
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func FuzzLimitReaderTable(f *testing.F) {
	f.Add([]byte("a,b,c\n\"x,\ny\",2,3\n"), int64(3), int64(8), false, 7)
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaa\tb\n"), int64(5), int64(0), true, 4096)
	f.Add([]byte("ab,\"cd\"\"ef\",gh\n123456789\n"), int64(0), int64(6), false, 1)
	f.Fuzz(func(t *testing.T, data []byte, field, line int64, tsv bool, chunk int) {
		shape := CSV
		if tsv {
			shape = TSV
		}
		lim := Limits{MaxField: field % 64, MaxLine: line % 128}
		if lim.MaxField <= 0 && lim.MaxLine <= 0 {
			return
		}
		wantN, wantErr := byteLimits(data, lim, shape)
		gotN, gotErr := readLimited(data, lim, shape, 1+chunk%5000)
		if gotN != wantN || !sameErr(gotErr, wantErr) {
			t.Fatalf("limits %+v %v: read %d, %v; byte at a time %d, %v", lim, shape, gotN, gotErr, wantN, wantErr)
		}
	})
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error() && errors.Is(a, ErrLimit) == errors.Is(b, ErrLimit)
}

func TestLimitReaderNamesTheLine(t *testing.T) {
	data := []byte("a,b\n\"one\ntwo\",xxxxxxxxxxxx\n")
	_, err := readLimited(data, Limits{MaxField: 10}, CSV, 4096)
	var le *LimitError
	if !errors.As(err, &le) || le.Line != 3 || le.What != "a field" {
		t.Fatalf("got %v, want a field over its limit on line 3", err)
	}
	_, err = readLimited(data, Limits{MaxLine: 12}, CSV, 3)
	if !errors.As(err, &le) || le.Line != 2 || le.What != "a record" {
		t.Fatalf("got %v, want the record that starts on line 2 over its limit", err)
	}
}
