package acled

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/ingest"
)

// Deletion is one event ACLED removed after publishing it, as its deletions
// API lists them (CSV columns event_id_cnty, deleted_timestamp in Unix
// seconds).
type Deletion struct {
	EventID string
	Deleted time.Time // UTC
}

// ReadDeletions reads a whole deletion list. Bad rows do not stop it: it
// returns every good deletion together with the row errors joined
// (errors.As finds each *ingest.RowError). A missing column or a read
// failure is fatal and returns no deletions. For lists of any size, use
// DeletionReader, which holds one row at a time.
func ReadDeletions(r io.Reader, file string) ([]Deletion, error) {
	dr, err := NewDeletionReader(r, file)
	if err != nil {
		return nil, err
	}
	var (
		out  []Deletion
		errs []error
	)
	for {
		d, err := dr.Next()
		var re *ingest.RowError
		switch {
		case errors.Is(err, io.EOF):
			return out, errors.Join(errs...)
		case errors.As(err, &re):
			errs = append(errs, err)
		case err != nil:
			return nil, err
		default:
			out = append(out, d)
		}
	}
}

// DeletionReader streams a deletion list.
type DeletionReader struct {
	t            *ingest.Table
	file         string
	idCol, tsCol int
}

// NewDeletionReader reads the header of a deletion list; a missing column
// is fatal.
func NewDeletionReader(r io.Reader, file string) (*DeletionReader, error) {
	t, err := ingest.NewTable(r, file)
	if err != nil {
		return nil, err
	}
	if err := t.Require("event_id_cnty", "deleted_timestamp"); err != nil {
		return nil, err
	}
	t.SetNoRaw()
	return &DeletionReader{t: t, file: file, idCol: t.Col("event_id_cnty"), tsCol: t.Col("deleted_timestamp")}, nil
}

// Next returns the next deletion, a *ingest.RowError for a bad row (read
// on after it), io.EOF at the end, or a fatal error.
func (dr *DeletionReader) Next() (Deletion, error) {
	row, err := dr.t.Next()
	if err != nil {
		return Deletion{}, err
	}
	id := strings.TrimSpace(ingest.Get(row.Fields, dr.idCol))
	ts := strings.TrimSpace(ingest.Get(row.Fields, dr.tsCol))
	if id == "" {
		return Deletion{}, &ingest.RowError{File: dr.file, Line: row.Line, Field: "event_id_cnty", Reason: "missing"}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec < 0 {
		return Deletion{}, &ingest.RowError{File: dr.file, Line: row.Line, Field: "deleted_timestamp", Reason: "not Unix seconds", Value: ts}
	}
	return Deletion{EventID: id, Deleted: time.Unix(sec, 0).UTC()}, nil
}
