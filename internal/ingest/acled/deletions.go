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

// ReadDeletions reads a deletion list. Bad rows do not stop it: it returns
// every good deletion together with the row errors joined (errors.As finds
// each *ingest.RowError). A missing column or a read failure is fatal and
// returns no deletions.
func ReadDeletions(r io.Reader, file string) ([]Deletion, error) {
	t, err := ingest.NewTable(r, file)
	if err != nil {
		return nil, err
	}
	if err := t.Require("event_id_cnty", "deleted_timestamp"); err != nil {
		return nil, err
	}
	idCol, tsCol := t.Col("event_id_cnty"), t.Col("deleted_timestamp")
	var (
		out  []Deletion
		errs []error
	)
	for {
		row, err := t.Next()
		var re *ingest.RowError
		switch {
		case errors.Is(err, io.EOF):
			return out, errors.Join(errs...)
		case errors.As(err, &re):
			errs = append(errs, err)
			continue
		case err != nil:
			return nil, err
		}
		id := strings.TrimSpace(ingest.Get(row.Fields, idCol))
		ts := strings.TrimSpace(ingest.Get(row.Fields, tsCol))
		if id == "" {
			errs = append(errs, &ingest.RowError{File: file, Line: row.Line, Field: "event_id_cnty", Reason: "missing"})
			continue
		}
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || sec < 0 {
			errs = append(errs, &ingest.RowError{File: file, Line: row.Line, Field: "deleted_timestamp", Reason: "not Unix seconds", Value: ts})
			continue
		}
		out = append(out, Deletion{EventID: id, Deleted: time.Unix(sec, 0).UTC()})
	}
}
