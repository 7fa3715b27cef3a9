package ucdp

import (
	"io"

	"github.com/truce-monitor/truce/internal/ingest"
)

// Reader reads the GED CSV release by header name. It implements
// ingest.Reader. Required columns: id, date_start, date_end.
type Reader struct {
	src  io.Reader
	file string
	t    *ingest.Table
	cols [nCols]int
	err  error
}

// NewReader returns a reader of the GED CSV in r; file names it in messages.
func NewReader(r io.Reader, file string) *Reader {
	return &Reader{src: r, file: file}
}

func (r *Reader) start() error {
	t, err := ingest.NewTable(r.src, r.file)
	if err != nil {
		return err
	}
	if err := t.Require("id", "date_start", "date_end"); err != nil {
		return err
	}
	for i, n := range colNames {
		r.cols[i] = t.Col(n)
	}
	r.t = t
	return nil
}

// Next returns the next event; see ingest.Reader for the contract.
func (r *Reader) Next() (ingest.Record, error) {
	if r.t == nil && r.err == nil {
		r.err = r.start()
	}
	if r.err != nil {
		return ingest.Record{}, r.err
	}
	row, err := r.t.Next()
	rec := ingest.Record{Line: row.Line, Raw: row.Raw}
	if err != nil {
		return rec, err
	}
	var v values
	for i, c := range r.cols {
		v[i] = trim(ingest.Get(row.Fields, c))
	}
	ev, rerr := convert(r.file, row.Line, &v, "latitude", "longitude")
	if rerr != nil {
		return rec, rerr
	}
	ev.Raw, ev.Hash = row.Raw, row.Hash
	rec.Event = ev
	return rec, nil
}
