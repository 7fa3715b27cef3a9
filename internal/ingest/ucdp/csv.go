package ucdp

import (
	"io"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Reader reads the GED CSV release by header name. It implements
// ingest.Reader. Required columns: id, date_start, date_end.
type Reader struct {
	*ingest.TableReader
	file  string
	cols  [nCols]int
	dates []*ingest.DateColumn
}

// NewReader returns a reader of the GED CSV in r; file names it in messages.
func NewReader(r io.Reader, file string) *Reader {
	rd := &Reader{file: file}
	rd.TableReader = ingest.NewTableReader(r, file, rd.setup, rd.convert)
	return rd
}

func (r *Reader) setup(t *ingest.Table) error {
	if err := t.Require("id", "date_start", "date_end"); err != nil {
		return err
	}
	for i, n := range colNames {
		r.cols[i] = t.Col(n)
	}
	var err error
	r.dates, err = t.Dates("date_start", "date_end")
	return err
}

func (r *Reader) convert(row ingest.Row) (*event.Event, *ingest.RowError) {
	var v values
	for i, c := range r.cols {
		v[i] = trim(ingest.Get(row.Fields, c))
	}
	return convert(r.file, row.Line, &v, r.dates, "latitude", "longitude")
}
