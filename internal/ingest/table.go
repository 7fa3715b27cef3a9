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

	"github.com/truce-monitor/truce/internal/event"
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
//
// Records can also be split on several cores: Rest hands the text after
// the header to a Chunker, and ResumeTable goes back to encoding/csv from a
// record boundary when the chunks' reader (Records) cannot go on.
type Table struct {
	file   string
	br     *bufio.Reader
	cr     *csv.Reader
	header []string
	cols   map[string]int
	raw    *RawBuilder
	noRaw  bool
	// lineBase is added to encoding/csv's line numbers: the line before
	// the text a resumed table reads.
	lineBase int
	// last is the last record read (the header first); clean is false when
	// reading it ended in malformed CSV. For Rest.
	last  []string
	clean bool
	err   error // sticky fatal error
	// order is the --date-layout the text came with; dates are the date
	// columns decided, for Notes.
	order Order
	dates []*DateColumn
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
	// The buffer holds the text Dates looks ahead at.
	br := bufio.NewReaderSize(r, dateSniff+64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3) //nolint:errcheck // the bytes were just peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // the field count is checked by Next, as a row error
	cr.ReuseRecord = true
	t := &Table{file: file, cr: cr}
	if tx, ok := r.(*Text); ok {
		t.order = tx.DateOrder
	}
	h, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, FormatError(file, 1, "empty file, expected a header row")
	case err != nil:
		var pe *csv.ParseError
		var le *LimitError
		switch {
		case errors.As(err, &pe):
			return nil, FormatError(file, pe.StartLine, "header row: "+pe.Err.Error())
		case errors.As(err, &le):
			return nil, le
		}
		return nil, fmt.Errorf("%s: reading header: %w", file, err)
	}
	if err := checkHeader(file, h); err != nil {
		return nil, err
	}
	t.br = br
	t.setHeader(h)
	t.last, t.clean = h, true
	return t, nil
}

// checkHeader refuses a header that names a column twice: which of the two
// a parser would read is a guess, and a hostile file could hide a value
// behind the one shown in a spreadsheet.
func checkHeader(file string, h []string) error {
	seen := make(map[string]int, len(h))
	for i, name := range h {
		k := normName(name)
		if k == "" {
			continue
		}
		if j, dup := seen[k]; dup {
			return FormatError(file, 1, fmt.Sprintf("column %q appears twice in the header (columns %d and %d)", strings.TrimSpace(name), j+1, i+1))
		}
		seen[k] = i
	}
	return nil
}

func (t *Table) setHeader(h []string) {
	t.header = append([]string(nil), h...)
	t.cols = make(map[string]int, len(h))
	for i, name := range t.header {
		k := normName(name)
		if _, dup := t.cols[k]; !dup {
			t.cols[k] = i
		}
	}
	t.raw = NewRawBuilder(t.header)
}

// ResumeTable returns a table with the given header that reads data rows
// from r, whose text starts at a record boundary on line line of the file:
// the sequential way on from where a Chunker's records stopped.
func ResumeTable(r io.Reader, file string, header []string, line int) *Table {
	br := bufio.NewReaderSize(r, 64<<10)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &Table{file: file, br: br, cr: cr, lineBase: line - 1}
	t.setHeader(header)
	return t
}

// Rest returns the text the table has not read yet and the line it starts
// on, for a Chunker: after the header, or after any row but malformed CSV,
// the text starts at a record boundary (ok). encoding/csv reads no further
// than the record it returns, so nothing is lost. The table must not be
// read after.
func (t *Table) Rest() (r io.Reader, line int, ok bool) {
	if !t.clean || len(t.last) == 0 {
		return nil, 0, false
	}
	// The line after the record: its last field's line, plus the
	// newlines a quoted last field holds.
	n := len(t.last) - 1
	line, _ = t.cr.FieldPos(n)
	return t.br, line + strings.Count(t.last[n], "\n") + 1 + t.lineBase, true
}

// Dates decides the layout of the named date columns from the rows ahead
// (see DecideDates), before any is read; call it right after NewTable. A
// column that is absent gets a DateColumn all the same.
func (t *Table) Dates(names ...string) ([]*DateColumn, error) {
	head, _ := t.br.Peek(dateSniff)
	line, _ := t.cr.FieldPos(0)
	cols, err := DecideDates(t.file, t.header, head, line+1, t.order, names...)
	if err != nil {
		return nil, err
	}
	t.dates = cols
	return cols, nil
}

// Notes says how the table's dates were read, for the import summary.
func (t *Table) Notes() []string {
	var out []string
	for _, c := range t.dates {
		if n := c.Note(); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Offset returns how many bytes of its text the table has read.
func (t *Table) Offset() int64 { return t.cr.InputOffset() }

// SetNoRaw leaves Row.Raw and Row.Hash empty from now on, for callers that
// never keep the record (truce check): the canonical JSON and its SHA-256
// are much of the cost of a row.
func (t *Table) SetNoRaw() { t.noRaw = true }

// File returns the file name used in messages.
func (t *Table) File() string { return t.file }

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
	t.last, t.clean = fields, err == nil
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line := pe.StartLine + t.lineBase
			reason := "malformed CSV: " + pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrQuote) && t.atEOF() {
				reason += ", at the end of the file (cut off?)"
			}
			return Row{Line: line}, &RowError{File: t.file, Line: line, Reason: reason}
		}
		var le *LimitError
		if errors.As(err, &le) {
			t.err = le
			return Row{}, le
		}
		if !errors.Is(err, io.EOF) {
			err = fmt.Errorf("%s: %w", t.file, err)
		}
		t.err = err
		return Row{}, err
	}
	line, _ := t.cr.FieldPos(0)
	line += t.lineBase
	row := Row{Line: line, Fields: fields}
	bad := CleanFields(t.file, line, t.header, fields)
	if !t.noRaw {
		row.Raw, row.Hash = t.raw.Build(fields)
	}
	if bad != nil {
		return row, bad
	}
	if len(fields) != len(t.header) {
		return row, FieldCountError(t.file, line, len(fields), len(t.header))
	}
	return row, nil
}

// atEOF reports whether the table's text is used up: a bad record there is
// a file cut short.
func (t *Table) atEOF() bool {
	_, err := t.br.Peek(1)
	return err != nil
}

// Get returns field i of fields, or "" when the column is absent (i < 0).
func Get(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return fields[i]
}

// TableReader reads the events of a table, one per row. The header is read
// on the first Next, not when the reader is made, so that making one never
// fails: setup checks the header and finds its columns, then convert turns
// each row into an event, which keeps the row's raw record and hash.
type TableReader struct {
	src     io.Reader
	file    string
	setup   func(*Table) error
	convert func(Row) (*event.Event, *RowError)
	t       *Table
	err     error
}

// NewTableReader returns a reader of the table in src; file names it in
// messages.
func NewTableReader(src io.Reader, file string, setup func(*Table) error, convert func(Row) (*event.Event, *RowError)) *TableReader {
	return &TableReader{src: src, file: file, setup: setup, convert: convert}
}

// Notes says how the table's dates were read, for the import summary.
func (r *TableReader) Notes() []string {
	if r.t == nil {
		return nil
	}
	return r.t.Notes()
}

// Next returns the next event; see Reader for the contract.
func (r *TableReader) Next() (Record, error) {
	if r.t == nil && r.err == nil {
		if r.t, r.err = NewTable(r.src, r.file); r.err == nil {
			r.err = r.setup(r.t)
		}
	}
	if r.err != nil {
		return Record{}, r.err
	}
	row, err := r.t.Next()
	rec := Record{Line: row.Line, Raw: row.Raw}
	if err != nil {
		return rec, err
	}
	ev, rerr := r.convert(row)
	if rerr != nil {
		return rec, rerr
	}
	ev.Raw, ev.Hash = row.Raw, row.Hash
	rec.Event = ev
	return rec, nil
}
