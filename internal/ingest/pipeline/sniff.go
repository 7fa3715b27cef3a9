package pipeline

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/truce-monitor/truce/internal/ingest"
)

// Auto is the --format value that picks the format from the file's first
// line.
const Auto = "auto"

// guess is what a file's first line says it is.
type guess struct {
	format string // a format name, or "" when no format reads it
	what   string // "an ACLED export (...)", for messages
}

// sniff reads what the first line of a file says it is: which columns its
// header names, or how many tab-separated fields it has. It never fails:
// an unknown shape is the zero guess.
func sniff(line []byte, file string) guess {
	line = bytes.TrimRight(line, "\r\n")
	if t := bytes.TrimLeft(line, " \t"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if isGeoJSON(file) {
			return guess{"ucdp", "a GeoJSON file (UCDP GED GeoJSON)"}
		}
		return guess{"", "a JSON document"}
	}
	if tabs := bytes.Count(line, []byte{'\t'}); tabs > 0 && tabs >= bytes.Count(line, []byte{','}) {
		switch n := tabs + 1; n {
		case 61:
			return guess{"gdelt", "a GDELT 2.0 events export (61 tab-separated fields)"}
		case 57, 58:
			return guess{"", fmt.Sprintf("a GDELT 1.0 events file (%d tab-separated fields)", n)}
		default:
			return guess{"", fmt.Sprintf("a tab-separated file of %d fields", n)}
		}
	}
	cr := csv.NewReader(bytes.NewReader(line))
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err != nil {
		return guess{}
	}
	cols := map[string]bool{}
	for _, c := range h {
		cols[strings.ToLower(strings.TrimSpace(c))] = true
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if !cols[n] {
				return false
			}
		}
		return true
	}
	switch {
	case has("event_id_cnty", "deleted_timestamp"):
		return guess{"", "an ACLED deletion list (event_id_cnty, deleted_timestamp; use --deletions)"}
	case has("event_id_cnty", "event_date", "sub_event_type"):
		return guess{"acled", "an ACLED export (event_id_cnty, event_date, sub_event_type)"}
	case has("event_id_cnty", "event_date", "event_type"):
		return guess{"acled", "an ACLED export of the older column set (event_id_cnty, event_date, event_type)"}
	case has("id", "date_start", "date_end", "type_of_violence") || has("id", "date_start", "date_end", "side_a"):
		return guess{"ucdp", "a UCDP GED file (id, date_start, date_end, side_a)"}
	case has("time_start", "model"):
		return guess{"strikes", "a daily strike report (time_start, model)"}
	}
	return guess{}
}

// checkFormat refuses a file whose first line says it is in another format
// than f, or that no format reads when f is Auto; for Auto it returns the
// format picked. The zero Format checks nothing. Mapped formats read any table, but not one a format of its
// own reads (an ACLED export through a claims mapping).
func checkFormat(first []byte, file string, f Format) (Format, string, error) {
	if f.Name == "" {
		return f, "", nil // a reader of its own (deletion lists)
	}
	g := sniff(first, file)
	if f.Name == Auto {
		if g.format == "" {
			what := g.what
			if what == "" {
				what = "no format truce knows"
			}
			return f, "", ingest.FormatError(file, 1, "--format auto: the first line is "+what+"; give --format")
		}
		return formats[g.format], "format " + g.format + ", chosen from the first line: " + g.what, nil
	}
	switch {
	case g.what == "" || g.format == f.Name:
		return f, "", nil
	case g.format != "":
		return f, "", ingest.FormatError(file, 1, fmt.Sprintf("this is %s, not %s input: use --format %s (or --format auto)", g.what, f.Name, g.format))
	case f.Name == "gdelt" || !strings.HasPrefix(g.what, "a tab-separated"):
		return f, "", ingest.FormatError(file, 1, fmt.Sprintf("this is %s, not %s input", g.what, f.Name))
	}
	return f, "", nil
}

// firstLine peeks at the first line of br. A line longer than the buffer
// is left to the parser (and the limits), unless it starts a JSON document:
// a GeoJSON file can be one line.
func firstLine(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	if t := bytes.TrimLeft(b, " \t\r"); len(b) < br.Size() || (len(t) > 0 && (t[0] == '{' || t[0] == '[')) {
		return b
	}
	return nil
}

// peekable returns r as a *bufio.Reader.
func peekable(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= 64<<10 {
		return br
	}
	return bufio.NewReaderSize(r, 64<<10)
}
