package pipeline

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/store"
)

// Evidence is the part of the store an import needs.
type Evidence interface {
	BeginImport(ctx context.Context, m store.ImportMeta) (store.Importer, error)
}

// Options tune an import.
type Options struct {
	Format  Format
	Mapping *mapped.Mapping
	// Source overrides the source name records are stored under.
	Source string
	// Strict fails the whole file, writing nothing, at the first bad row.
	Strict bool
	// Rejects, when set, receives every bad row (truce ingest --rejects
	// FILE); the store keeps them with the batch in any case.
	Rejects *RejectsFile
	// Bad, when set, is shown the first ShowBad bad rows of each file.
	Bad     io.Writer
	ShowBad int
	// Encoding is the files' encoding ("" is UTF-8); see ingest.Decode.
	Encoding string
	// DateOrder is the order of slashed dates (--date-layout), Undecided
	// to decide it per column from the values.
	DateOrder ingest.Order
	// Limits bound each file; zero fields take the defaults.
	Limits Limits
	// Progress, when set, is told how far the file is every ProgressEvery,
	// and once more with Done set when it is finished: the command line
	// draws it as a line it redraws, a server may send it on.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// By is who imports, recorded with the batch.
	By string
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
// whole file (less its rejected rows) is stored, or nothing is. Parsing and
// enrichment run in one goroutine and writing in another, so the two cores
// both work on a large file.
func ImportFile(ctx context.Context, st Evidence, in *Input, enr *Enricher, opts Options) (sum Summary, err error) {
	start := time.Now()
	sum.File = in.Name
	opts.Format = opts.Format.WithMapping(opts.Mapping)
	text, format, notes, err := Prepare(in, in.Name, opts.Format, opts.Encoding, opts.DateOrder, opts.Limits)
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
	source := SourceName(opts.Format, opts.Mapping, opts.Source)
	imp, err := st.BeginImport(ctx, store.ImportMeta{Source: source, Format: opts.Format.Name, File: in.Name, By: opts.By})
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
	stopProgress := startProgress(opts, in, &read, start)
	defer stopProgress()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []item, 4)
	parseErr := make(chan error, 1)
	go func() {
		defer close(batches)
		parseErr <- produce(ctx, r, opts, source, enr, rej, &read, batches)
	}()
	var writeErr error
	kept := 0 // rejected rows handed to the store
	for batch := range batches {
		if writeErr != nil {
			continue // drain so the producer can finish
		}
		for _, it := range batch {
			switch {
			case it.bad != nil:
				if kept++; kept <= KeptRejects {
					writeErr = imp.AddReject(ctx, reject(it.bad, it.raw))
				}
			case it.ev != nil:
				writeErr = imp.AddEvent(ctx, it.ev)
			default:
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

// produce parses and enriches records into batches.
func produce(ctx context.Context, r ingest.Reader, opts Options, source string, enr *Enricher, rej *rejects, read *atomic.Int64, out chan<- []item) error {
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
			enr.Event(opts.Format, rec.Event)
			batch = append(batch, item{line: rec.Line, ev: rec.Event})
		} else {
			rec.Claim.Source = source
			enr.Claim(opts.Format, rec.Claim)
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
	file *RejectsFile
	show io.Writer
	max  int
	n    int
	err  error
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

// RejectsFile is the CSV file `truce ingest --rejects FILE` writes every bad
// row of every input to.
type RejectsFile struct {
	path string
	f    *os.File
	w    *csv.Writer
}

// CreateRejectsFile creates path for writing, refusing one that exists:
// O_EXCL never follows a symbolic link planted there, nor overwrites what
// the user has.
func CreateRejectsFile(path string) (*RejectsFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("rejects file: %w (it must not exist yet)", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "line", "field", "reason", "value", "raw"})
	return &RejectsFile{path: path, f: f, w: w}, nil
}

// Add writes one bad row.
func (r *RejectsFile) Add(re *ingest.RowError, raw []byte) error {
	r.w.Write([]string{re.File, strconv.Itoa(re.Line), re.Field, re.Reason, re.Value, string(raw)})
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("rejects file %s: %w", r.path, err)
	}
	return nil
}

// Close flushes and closes the file.
func (r *RejectsFile) Close() error {
	r.w.Flush()
	err := r.w.Error()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rejects file %s: %w", r.path, err)
	}
	return nil
}

// Path is the file's path.
func (r *RejectsFile) Path() string { return r.path }

// Progress is how far the import of one file is.
type Progress struct {
	File string
	// Bytes were read of the file's Size (0 when unknown, as for stdin):
	// compressed bytes for a compressed file.
	Bytes, Size int64
	Rows        int64
	Elapsed     time.Duration
	// Done: the file is finished (imported or not); the last report.
	Done bool
}

// String is the progress as one line: the file, how much of it is read,
// how fast.
func (p Progress) String() string {
	secs := max(p.Elapsed.Seconds(), 0.001)
	// The name may be a zip member's, chosen by whoever made the archive.
	s := fmt.Sprintf("%s: %s", strings.Trim(strconv.Quote(p.File), `"`), mb(p.Bytes))
	if p.Size > 0 {
		s += fmt.Sprintf(" of %s (%d%%)", mb(p.Size), min(100, p.Bytes*100/p.Size))
	}
	return s + fmt.Sprintf(", %s/s, %d rows, %.0f rows/s", mb(int64(float64(p.Bytes)/secs)), p.Rows, float64(p.Rows)/secs)
}

// startProgress reports progress until the returned stop is called.
func startProgress(opts Options, in *Input, read *atomic.Int64, start time.Time) (stop func()) {
	if opts.Progress == nil {
		return func() {}
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	now := func() Progress {
		return Progress{File: in.Name, Bytes: in.BytesRead(), Size: in.Size, Rows: read.Load(), Elapsed: time.Since(start)}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				p := now()
				p.Done = true
				opts.Progress(p)
				return
			case <-t.C:
				opts.Progress(now())
			}
		}
	}()
	return func() { close(done); <-finished }
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
