// Package ingest holds what every source parser shares: the reader contract,
// row errors that point at file, line and field, the raw-record encoding and
// its content hash, and the country-code tables the formats need.
//
// One parser per format lives in a subpackage (acled, ucdp, gdelt, strikes).
// Each reads from an io.Reader plus the file name used in messages;
// decompression is the caller's business.
package ingest

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
)

// Record is one record read from a source file.
type Record struct {
	// Line is the 1-based line where the record starts.
	Line int
	// Event is the normalised record; nil when Next returned a *RowError.
	Event *event.Event
	// Claim is set instead of Event by the readers of claims feeds.
	Claim *event.Claim
	// Raw is the record field by field as a JSON object. It is set for bad
	// rows too, so a caller can keep them for review.
	Raw json.RawMessage
}

// Reader is the contract every parser implements.
//
// Next returns the next record, io.EOF after the last one, or an error. A
// *RowError reports one bad row: the stream goes on and Next can be called
// again. Any other error is fatal (the input is not in the format, or
// reading failed) and Next keeps returning it.
type Reader interface {
	Next() (Record, error)
}

// ErrFormat is wrapped by the fatal errors that say the input is not in the
// expected format: a missing header or required column, a JSON document
// that is not a FeatureCollection, a zip without an entry.
var ErrFormat = errors.New("not in the expected format")

// RowError is a bad row. The stream it came from goes on.
type RowError struct {
	File   string
	Line   int
	Field  string // empty when the row as a whole is bad
	Reason string
	Value  string // the offending value, as read
}

// maxValue bounds the value quoted in a message: notes fields run to
// kilobytes and would drown the reason.
const maxValue = 60

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(strconv.Quote(e.Field))
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	if e.Value != "" {
		b.WriteString(" (")
		b.WriteString(printable(e.Value))
		b.WriteByte(')')
	}
	return b.String()
}

// printable shortens v to maxValue runes and escapes what would break a
// one-line message.
func printable(v string) string {
	if utf8.RuneCountInString(v) > maxValue {
		n := 0
		for i := range v {
			if n == maxValue-3 {
				v = v[:i] + "..."
				break
			}
			n++
		}
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			q := strconv.Quote(v)
			return q[1 : len(q)-1]
		}
	}
	return v
}

// FormatError builds the fatal error for a format problem at a line of a file.
func FormatError(file string, line int, msg string) error {
	return &formatError{file: file, line: line, msg: msg}
}

type formatError struct {
	file string
	line int
	msg  string
}

func (e *formatError) Error() string {
	if e.line > 0 {
		return e.file + ":" + strconv.Itoa(e.line) + ": " + e.msg
	}
	return e.file + ": " + e.msg
}

func (e *formatError) Unwrap() error { return ErrFormat }
