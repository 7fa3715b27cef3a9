package ingest

import (
	"errors"
	"fmt"
	"io"
)

// Limits bound what one record of an input may hold, so that a hostile file
// (one 2 GiB field in a 2 MB .gz) fails with a message instead of taking the
// machine's memory: a parser holds at most one record.
type Limits struct {
	// MaxField is the longest field in bytes (its quotes included).
	MaxField int64
	// MaxLine is the longest record in bytes: a line, or the lines a quoted
	// field with newlines spans.
	MaxLine int64
}

// DefaultLimits are the limits when no flag sets them: 1 MiB a field,
// 4 MiB a record. ACLED's longest notes run to a few kilobytes.
func DefaultLimits() Limits { return Limits{MaxField: 1 << 20, MaxLine: 4 << 20} }

// ErrLimit is wrapped by the error of an input that exceeds a limit.
var ErrLimit = errors.New("input exceeds a limit")

// LimitError says which limit a file exceeded, and where.
type LimitError struct {
	File  string
	Line  int
	What  string // "a field", "a record", "the decompressed size", ...
	Limit int64
	Unit  string // "" is bytes
	Flag  string // the flag that raises it
}

func (e *LimitError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	unit := e.Unit
	if unit == "" {
		unit = "bytes"
	}
	return fmt.Sprintf("%s: %s exceeds the limit of %d %s (raise it with %s)", loc, e.What, e.Limit, unit, e.Flag)
}

func (e *LimitError) Unwrap() error { return ErrLimit }

// Shape is the lexical shape of an input, which is what LimitReader needs
// to know where fields and records end.
type Shape int

const (
	// CSV: comma-separated, '"' quotes fields, a quoted newline does not
	// end a record.
	CSV Shape = iota
	// TSV: tab-separated, no quoting (GDELT).
	TSV
	// JSON: a field is a JSON string, and a record any value nested three
	// deep (a GeoJSON feature in its FeatureCollection), whatever its lines:
	// a GeoJSON file may be one line.
	JSON
)

// LimitReader returns r checked against lim, byte by byte, before any parser
// buffers it. Quote parity is exact for well-formed CSV; for malformed CSV
// it can only make a record look longer, never let a longer one through.
func LimitReader(r io.Reader, file string, lim Limits, shape Shape) io.Reader {
	if lim.MaxField <= 0 && lim.MaxLine <= 0 {
		return r
	}
	l := &limitReader{r: r, file: file, lim: lim, shape: shape, sep: ',', line: 1, recLine: 1}
	switch shape {
	case TSV:
		l.sep = '\t'
	}
	return l
}

type limitReader struct {
	r                io.Reader
	file             string
	lim              Limits
	shape            Shape
	sep              byte
	inQuote, escape  bool
	depth            int // of JSON arrays and objects
	line, recLine    int
	lineLen, fieldLn int64
	err              error
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	var i int
	if l.shape == JSON {
		i = l.scanJSON(p[:n])
	} else {
		i = l.scanTable(p[:n])
	}
	if l.err != nil {
		return i, l.err
	}
	return n, err
}

// scanJSON checks p byte by byte; it returns where a limit was exceeded.
func (l *limitReader) scanJSON(p []byte) int {
	for i, c := range p {
		if c == '\n' {
			l.line++
		}
		l.json(c)
		if l.exceeded() {
			return i
		}
	}
	return len(p)
}

// tableByte marks the bytes that end a field or a record, or open or close
// a quote: scanTable counts the runs of other bytes by their length, a run
// at a time, since a limit can only be passed at a run's end or inside a
// long run.
var tableByte = [256]bool{'"': true, ',': true, '\t': true, '\n': true}

// scanTable is scanJSON for CSV and TSV, a run of plain bytes at a time: it
// was a third of the cost of parsing a large CSV file byte by byte.
func (l *limitReader) scanTable(p []byte) int {
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && !tableByte[p[j]] {
			j++
		}
		if run := int64(j - i); run > 0 {
			l.lineLen += run
			l.fieldLn += run
			if over := l.overRun(); over > 0 {
				return j - int(over)
			}
		}
		if j == len(p) {
			return j
		}
		c := p[j]
		if c == '\n' {
			l.line++
		}
		l.table(c)
		if l.exceeded() {
			return j
		}
		i = j + 1
	}
	return len(p)
}

// overRun is exceeded after a run of plain bytes: it sets l.err to the
// limit passed first and returns by how many bytes, so that the run's first
// byte past it is where a byte at a time stops; 0 if none is.
func (l *limitReader) overRun() int64 {
	const none = int64(-1) << 62
	overF, overL := none, none
	if l.lim.MaxField > 0 {
		overF = l.fieldLn - l.lim.MaxField
	}
	if l.lim.MaxLine > 0 {
		overL = l.lineLen - l.lim.MaxLine
	}
	switch {
	case overF > 0 && overF >= overL:
		l.exceeded() // the field: checked first, as at the byte both pass
		return overF
	case overL > 0:
		l.err = &LimitError{File: l.file, Line: l.recLine, What: "a record", Limit: l.lim.MaxLine, Flag: "--max-line"}
		return overL
	}
	return 0
}

// exceeded sets l.err if the current field or record is over its limit.
func (l *limitReader) exceeded() bool {
	switch {
	case l.lim.MaxField > 0 && l.fieldLn > l.lim.MaxField:
		l.err = &LimitError{File: l.file, Line: l.line, What: "a field", Limit: l.lim.MaxField, Flag: "--max-field"}
	case l.lim.MaxLine > 0 && l.lineLen > l.lim.MaxLine:
		l.err = &LimitError{File: l.file, Line: l.recLine, What: "a record", Limit: l.lim.MaxLine, Flag: "--max-line"}
	}
	return l.err != nil
}

func (l *limitReader) table(c byte) {
	l.lineLen++
	l.fieldLn++
	switch c {
	case '"':
		if l.shape == CSV {
			l.inQuote = !l.inQuote
		}
	case l.sep:
		if !l.inQuote {
			l.fieldLn = 0
		}
	case '\n':
		if !l.inQuote {
			l.lineLen, l.fieldLn = 0, 0
			l.recLine = l.line
		}
	}
}

// json counts the length of JSON strings, escapes included, and of values
// nested three deep and more: a feature of a FeatureCollection.
func (l *limitReader) json(c byte) {
	if l.depth >= 3 {
		l.lineLen++
	}
	switch {
	case !l.inQuote:
		switch c {
		case '"':
			l.inQuote, l.fieldLn = true, 0
		case '{', '[':
			if l.depth++; l.depth == 3 {
				l.lineLen, l.recLine = 1, l.line
			}
		case '}', ']':
			l.depth--
		}
	case l.escape:
		l.escape = false
		l.fieldLn++
	case c == '\\':
		l.escape = true
		l.fieldLn++
	case c == '"':
		l.inQuote = false
	default:
		l.fieldLn++
	}
}
