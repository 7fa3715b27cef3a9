// Package load writes files into the store: the ingest path of `truce
// ingest` and the server's imports. Each file is read by its format's
// parser (internal/ingest/pipeline), enriched, and written as one import
// batch, streaming, with its bad rows kept and counted.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
)

// Evidence is the part of the store an import needs.
type Evidence interface {
	BeginImport(ctx context.Context, m store.ImportMeta) (store.Importer, error)
}

// Options tune an import.
type Options struct {
	Format  pipeline.Format
	Mapping *mapped.Mapping
	// Source overrides the source name records are stored under.
	Source string
	// Strict fails the whole file, writing nothing, at the first bad row.
	Strict bool
	// Rejects, when set, receives every bad row (truce ingest --rejects
	// FILE); the store keeps them with the batch in any case.
	Rejects *pipeline.RejectsFile
	// Bad, when set, is shown the first ShowBad bad rows of each file.
	Bad     io.Writer
	ShowBad int
	// Encoding is the files' encoding ("" is UTF-8); see ingest.Decode.
	Encoding string
	// DateOrder is the order of slashed dates (--date-layout), Undecided
	// to decide it per column from the values.
	DateOrder ingest.Order
	// Limits bound each file; zero fields take the defaults.
	Limits pipeline.Limits
	// Progress, when set, is told how far the file is every ProgressEvery,
	// and once more with Done set when it is finished: the command line
	// draws it as a line it redraws, a server may send it on.
	Progress      func(pipeline.Progress)
	ProgressEvery time.Duration
	// By is who imports, recorded with the batch.
	By string
	// Sole is store.ImportMeta.Sole: nothing else uses the store
	// meanwhile.
	Sole bool
}

// Summary is what importing one file did.
type Summary struct {
	File      string  `json:"file"`
	Format    string  `json:"format"`
	Read      int     `json:"read"`
	New       int     `json:"new"`
	Updated   int     `json:"updated"`
	Unchanged int     `json:"unchanged"`
	Rejected  int     `json:"rejected"`
	Seconds   float64 `json:"seconds"`
	// Notes say what was decided about the file: its encoding, its date
	// layouts.
	Notes []string `json:"notes,omitempty"`
}

// NoneImported reports whether the file had rows and every one was
// rejected.
func (s Summary) NoneImported() bool { return s.Read > 0 && s.Rejected == s.Read }

// ErrStrict wraps the bad row that failed a --strict import.
var ErrStrict = errors.New("strict: a bad row fails the whole file")

// batchSize is how many records travel between the parsing and the writing
// goroutine at once: large enough to amortise the channel, small enough to
// keep memory flat.
const batchSize = 1024

type item struct {
	line int
	ev   *event.Event
	cl   *event.Claim
	// bad is a rejected row, with its raw record, for the store to keep.
	bad *ingest.RowError
	raw []byte
}

// ImportFile reads one input into the store in one transaction: either the
// whole file (less its rejected rows) is stored, or nothing is. Parsing
// runs in one goroutine, enrichment and encoding in another (only of the
// records not stored as they are), and the store writes in a third, so the
// two cores both work on a large file.
func ImportFile(ctx context.Context, st Evidence, in *pipeline.Input, enr *pipeline.Enricher, opts Options) (sum Summary, err error) {
	start := time.Now()
	sum.File = in.Name
	opts.Format = opts.Format.WithMapping(opts.Mapping)
	text, format, notes, err := pipeline.Prepare(in, in.Name, opts.Format, opts.Encoding, opts.DateOrder, opts.Limits)
	if err != nil {
		return sum, err
	}
	opts.Format = format
	sum.Format = format.Name
	sum.Notes = append(sum.Notes, notes...)
	r, err := opts.Format.Open(text, in.Name, opts.Mapping)
	if err != nil {
		return sum, err
	}
	source := pipeline.SourceName(opts.Format, opts.Mapping, opts.Source)
	imp, err := st.BeginImport(ctx, store.ImportMeta{Source: source, Format: opts.Format.Name, File: in.Name, By: opts.By, Sole: opts.Sole})
	if err != nil {
		return sum, err
	}
	defer func() {
		if err != nil {
			imp.Rollback()
		}
	}()

	rej := &rejects{file: opts.Rejects, show: opts.Bad, max: opts.ShowBad}

	var read atomic.Int64
	stopProgress := pipeline.StartProgress(opts.Progress, opts.ProgressEvery, in, &read, rej.count, start)
	defer stopProgress()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []item, 4)
	parseErr := make(chan error, 1)
	go func() {
		defer close(batches)
		parseErr <- produce(ctx, r, opts, source, rej, &read, batches)
	}()
	var writeErr error
	kept := 0 // rejected rows handed to the store
	var keys []store.RecordKey
	for batch := range batches {
		if writeErr != nil {
			continue // drain so the producer can finish
		}
		// Records stored as they are need no enrichment: the store would
		// skip them anyway. A re-import of an unchanged file is all such.
		keys = keys[:0]
		for _, it := range batch {
			switch {
			case it.ev != nil:
				keys = append(keys, store.RecordKey{SourceID: it.ev.SourceID, Hash: it.ev.Hash})
			case it.cl != nil:
				keys = append(keys, store.RecordKey{Claim: true, SourceID: it.cl.SourceID, Hash: it.cl.Hash})
			}
		}
		same, err := imp.Unchanged(ctx, keys)
		if err != nil {
			writeErr = err
			cancel()
			continue
		}
		k := 0
		for _, it := range batch {
			if it.bad == nil {
				k++
				if same[k-1] {
					continue
				}
			}
			switch {
			case it.bad != nil:
				if kept++; kept <= KeptRejects {
					writeErr = imp.AddReject(ctx, reject(it.bad, it.raw))
				}
			case it.ev != nil:
				enr.Event(opts.Format, it.ev)
				writeErr = imp.AddEvent(ctx, it.ev)
			default:
				enr.Claim(opts.Format, it.cl)
				writeErr = imp.AddClaim(ctx, it.cl)
			}
			if errors.Is(writeErr, store.ErrInvalid) && !opts.Strict {
				// The store refused this record alone: a bad row like any other.
				re := &ingest.RowError{File: in.Name, Line: it.line, Reason: writeErr.Error()}
				rej.add(re, nil)
				if kept++; kept <= KeptRejects {
					writeErr = imp.AddReject(ctx, reject(re, nil))
				}
			}
			if writeErr != nil {
				cancel()
				break
			}
		}
	}
	if perr := <-parseErr; perr != nil && writeErr == nil {
		return sum, perr
	}
	if writeErr != nil {
		return sum, writeErr
	}
	if err := rej.err; err != nil {
		return sum, err
	}
	imp.NoteRejected(rej.n)
	counts, err := imp.Commit(ctx)
	if err != nil {
		return sum, err
	}
	sum.Read = int(read.Load())
	sum.New, sum.Updated, sum.Unchanged = counts.New, counts.Updated, counts.Unchanged
	sum.Rejected = rej.n
	if n := rej.n - rej.max; rej.show != nil && n > 0 {
		fmt.Fprintf(rej.show, "%s: ... and %d more bad rows\n", in.Name, n)
	}
	if lr, ok := r.(interface{ Notes() []string }); ok {
		sum.Notes = append(sum.Notes, lr.Notes()...)
	}
	sum.Seconds = time.Since(start).Seconds()
	return sum, nil
}

// produce parses records into batches.
func produce(ctx context.Context, r ingest.Reader, opts Options, source string, rej *rejects, read *atomic.Int64, out chan<- []item) error {
	batch := make([]item, 0, batchSize)
	for {
		rec, err := r.Next()
		var re *ingest.RowError
		switch {
		case err == nil:
		case errors.As(err, &re):
			read.Add(1)
			if opts.Strict {
				return fmt.Errorf("%w: %v", ErrStrict, re)
			}
			rej.add(re, rec.Raw)
			batch = append(batch, item{line: re.Line, bad: re, raw: rec.Raw})
			if len(batch) == batchSize {
				select {
				case out <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
				batch = make([]item, 0, batchSize)
			}
			continue
		case errors.Is(err, io.EOF):
			if len(batch) > 0 {
				select {
				case out <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		default:
			return err
		}
		read.Add(1)
		if rec.Event != nil {
			rec.Event.Source = source
			batch = append(batch, item{line: rec.Line, ev: rec.Event})
		} else {
			rec.Claim.Source = source
			batch = append(batch, item{line: rec.Line, cl: rec.Claim})
		}
		if len(batch) == batchSize {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]item, 0, batchSize)
		}
	}
}

// KeptRejects is how many rejected rows of one file the store keeps (all
// are counted): a file of millions of bad rows must not fill the database.
const KeptRejects = 10000

// reject is a bad row as the store keeps it.
func reject(re *ingest.RowError, raw []byte) store.Reject {
	return store.Reject{Line: re.Line, Field: re.Field, Reason: re.Reason, Value: re.Value, Raw: string(raw)}
}

// rejects counts a file's bad rows, shows the first ones and hands each to
// the rejects file, if any. The parsing and the writing goroutine both add
// to it.
type rejects struct {
	mu   sync.Mutex
	file *pipeline.RejectsFile
	show io.Writer
	max  int
	n    int
	err  error
}

// count is how many rows are rejected so far.
func (r *rejects) count() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(r.n)
}

func (r *rejects) add(re *ingest.RowError, raw []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	if r.show != nil && r.n <= r.max {
		fmt.Fprintln(r.show, re)
	}
	if r.file != nil && r.err == nil {
		r.err = r.file.Add(re, raw)
	}
}
