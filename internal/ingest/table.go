package ingest

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Table reads a CSV file whose first row names the columns, the shape of the
// ACLED, UCDP and strike-report files. Columns are found by name, so
// reordered, missing optional and extra columns are all fine.
//
// It is built on encoding/csv with ReuseRecord: one allocation per row (the
// row's text, which its fields share), and quoted fields with embedded
// newlines keep their line numbers right. A hand-rolled splitter (one string
// per line, fields as substrings) was measured at 1.2-1.4x encoding/csv's
// speed on the ACLED sample, within this machine's noise, so it was not kept.
type Table struct {
	file   string
	cr     *csv.Reader
	header []string
	cols   map[string]int
	raw    *RawBuilder
	err    error // sticky fatal error
}

// Row is one data row of a Table.
type Row struct {
	Line   int      // 1-based line where the row starts
	Fields []string // valid until the next call to Next
	Raw    json.RawMessage
	Hash   string
}

// NewTable reads the header row of a CSV file. A UTF-8 byte order mark is
// dropped. An empty input or a read error is fatal.
func NewTable(r io.Reader, file string) (*Table, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3) //nolint:errcheck // the bytes were just peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // the field count is checked by Next, as a row error
	cr.ReuseRecord = true
	t := &Table{file: file, cr: cr}
	h, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, FormatError(file, 1, "empty file, expected a header row")
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, FormatError(file, pe.StartLine, "header row: "+pe.Err.Error())
		}
		return nil, fmt.Errorf("%s: reading header: %w", file, err)
	}
	t.header = append([]string(nil), h...)
	t.cols = make(map[string]int, len(h))
	for i, name := range t.header {
		k := normName(name)
		if _, dup := t.cols[k]; !dup {
			t.cols[k] = i
		}
	}
	t.raw = NewRawBuilder(t.header)
	return t, nil
}

// normName is the form column names are matched in: "Event_Date " finds
// event_date.
func normName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Header returns the column names as read.
func (t *Table) Header() []string { return t.header }

// Col returns the index of the named column, or -1 when it is absent.
func (t *Table) Col(name string) int {
	if i, ok := t.cols[normName(name)]; ok {
		return i
	}
	return -1
}

// Require checks that every named column is present; the error is fatal.
func (t *Table) Require(names ...string) error {
	var missing []string
	for _, n := range names {
		if t.Col(n) < 0 {
			missing = append(missing, strconv.Quote(n))
		}
	}
	if len(missing) > 0 {
		return FormatError(t.file, 1, "missing required column "+strings.Join(missing, ", "))
	}
	return nil
}

// Next reads one row. A row whose field count differs from the header's, or
// whose quoting is broken, comes back as a *RowError (with the row's raw
// record when its fields could be split); the next call goes on after it.
// It returns io.EOF at the end and a fatal error when reading fails.
func (t *Table) Next() (Row, error) {
	if t.err != nil {
		return Row{}, t.err
	}
	fields, err := t.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{Line: pe.StartLine}, &RowError{File: t.file, Line: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()}
		}
		if !errors.Is(err, io.EOF) {
			err = fmt.Errorf("%s: %w", t.file, err)
		}
		t.err = err
		return Row{}, err
	}
	line, _ := t.cr.FieldPos(0)
	raw, hash := t.raw.Build(fields)
	row := Row{Line: line, Fields: fields, Raw: raw, Hash: hash}
	if len(fields) != len(t.header) {
		return row, &RowError{File: t.file, Line: line,
			Reason: "has " + strconv.Itoa(len(fields)) + " fields, the header has " + strconv.Itoa(len(t.header))}
	}
	return row, nil
}

// Get returns field i of fields, or "" when the column is absent (i < 0).
func Get(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return fields[i]
}
