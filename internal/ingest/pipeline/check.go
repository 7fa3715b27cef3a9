package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/match"
)

// Check runs the records of one input through an Enricher and a Matcher,
// the engine of `truce check`, and hands back the bad rows and the records
// with results in input order.
//
// Records the matcher cannot use (match.Matcher.RelevantTime and Relevant:
// a time far from every window, a kind prohibited nowhere) are counted and
// dropped before enrichment. Formats that convert rows independently
// (ACLED) are split into chunks of whole records that workers parse,
// convert and match at once, with Raw and Hash never built; the others go
// through the format's reader one record at a time. Either way the items,
// their order and their line numbers are those of the one-record-at-a-time
// loop (Sequential).
type Check struct {
	Format   Format
	Mapping  *mapped.Mapping
	Enricher *Enricher
	Matcher  *match.Matcher
	// Workers is the number of goroutines that convert and match chunks;
	// zero means GOMAXPROCS.
	Workers int
	// ChunkSize is the size of a chunk in bytes; zero means DefaultChunkSize.
	ChunkSize int
	// Sequential reads with the format's reader, enriches and matches every
	// record, one at a time: the reference the fast paths are tested against.
	Sequential bool
	// Encoding, DateOrder and Limits are as in Options.
	Encoding  string
	DateOrder ingest.Order
	Limits    Limits
}

// DefaultChunkSize is the default Check.ChunkSize: big enough that a chunk
// costs far more to convert than to hand over, small enough that the
// chunks in flight stay a few megabytes.
const DefaultChunkSize = 1 << 20

// Item is a bad row, or a record with at least one result. An item and
// everything it holds may be kept after emit returns.
type Item struct {
	// Line is where the record or bad row starts.
	Line int
	// Bad is set for a bad row, and nothing else is.
	Bad *ingest.RowError
	// Event or Claim is the record, enriched.
	Event   *event.Event
	Claim   *event.Claim
	Results []match.Result
}

// rowConverter converts the data rows of a table format one at a time,
// keeping nothing between rows (acled.Converter).
type rowConverter interface {
	Convert(line int, fields []string, keep ingest.Filter) (*event.Event, *ingest.RowError)
}

// Run reads r, named name in messages, and calls emit for each item in
// input order. It returns the number of records read (bad rows aside) and
// the error that ended the input early: a fatal error of the format, a read
// error, ctx's error or emit's.
func (c *Check) Run(ctx context.Context, r io.Reader, name string, emit func(*Item) error) (int, error) {
	r, format, _, err := Prepare(r, name, c.Format, c.Encoding, c.DateOrder, c.Limits)
	if err != nil {
		return 0, err
	}
	if format.Name != c.Format.Name {
		cc := *c // --format auto: this file's format, not the next one's
		cc.Format = format
		c = &cc
	}
	if c.Sequential || c.Format.rows == nil {
		rd, err := c.Format.Open(r, name, c.Mapping)
		if err != nil {
			return 0, err
		}
		return c.runReader(ctx, rd, !c.Sequential, emit)
	}
	t, err := ingest.NewTable(r, name)
	if err != nil {
		return 0, err
	}
	conv, err := c.Format.rows(t)
	if err != nil {
		return 0, err
	}
	return c.runChunks(ctx, t, conv, emit)
}

// runReader is the one-record-at-a-time loop over a format's reader; with
// filter, records the matcher cannot use skip enrichment.
func (c *Check) runReader(ctx context.Context, r ingest.Reader, filter bool, emit func(*Item) error) (int, error) {
	records := 0
	source := SourceName(c.Format, c.Mapping, "")
	var results []match.Result
	for {
		if err := ctx.Err(); err != nil {
			return records, err
		}
		rec, err := r.Next()
		var re *ingest.RowError
		switch {
		case err == nil:
		case errors.As(err, &re):
			if err := emit(&Item{Line: re.Line, Bad: re}); err != nil {
				return records, err
			}
			continue
		case errors.Is(err, io.EOF):
			return records, nil
		default:
			return records, err
		}
		records++
		it := Item{Line: rec.Line}
		if ev := rec.Event; ev != nil {
			if filter && !c.relevant(ev.Kind, ev.Time) {
				continue
			}
			ev.Source = source
			c.Enricher.Event(c.Format, ev)
			results = c.Matcher.Event(ev, results[:0])
			it.Event = ev
		} else {
			cl := rec.Claim
			if filter && !c.claimRelevant(cl) {
				continue
			}
			cl.Source = source
			c.Enricher.Claim(c.Format, cl)
			results = c.Matcher.Claim(cl, results[:0])
			it.Claim = cl
		}
		if len(results) > 0 {
			it.Results = append([]match.Result(nil), results...)
			if err := emit(&it); err != nil {
				return records, err
			}
		}
	}
}

func (c *Check) relevant(kind string, t event.Span) bool {
	return c.Matcher.RelevantTime(t) && c.Matcher.Relevant(kind, t)
}

// claimRelevant is relevant for a claim; one whose acts are read from its
// text has no kind yet, so only its time can rule it out.
func (c *Check) claimRelevant(cl *event.Claim) bool {
	if c.Enricher.ReadsClaims() {
		return c.Matcher.RelevantTime(cl.Time)
	}
	return c.relevant(cl.Kind, cl.Time)
}

// rows converts, enriches and matches the rows of one run of text, for
// runChunks and for its sequential way on.
type rows struct {
	c      *Check
	source string // what the records are named under (SourceName)
	conv   rowConverter
	file   string
	header []string
	// borrowed is set when fields are views of a chunk buffer that is
	// reused: whatever outlives the row is copied out of it first.
	borrowed bool
	results  []match.Result
	clone    []string
}

// row handles one data row: it returns the item, if any, and whether the
// row was a good record.
func (w *rows) row(line int, fields []string) (Item, bool, bool) {
	if re := ingest.CleanFields(w.file, line, w.header, fields); re != nil {
		if w.borrowed {
			re.Value = strings.Clone(re.Value)
		}
		return Item{Line: line, Bad: re}, true, false
	}
	if len(fields) != len(w.header) {
		return Item{Line: line, Bad: ingest.FieldCountError(w.file, line, len(fields), len(w.header))}, true, false
	}
	ev, re := w.conv.Convert(line, fields, w.c.Matcher)
	switch {
	case re != nil:
		if w.borrowed {
			re.Value = strings.Clone(re.Value)
		}
		return Item{Line: line, Bad: re}, true, false
	case ev == nil:
		return Item{}, false, true
	}
	if w.borrowed {
		// The event's strings are views of the chunk: build it again
		// from a copy of the fields. Few rows get here.
		w.clone = cloneFields(fields, w.clone)
		ev, _ = w.conv.Convert(line, w.clone, nil)
	}
	ev.Source = w.source
	w.c.Enricher.Event(w.c.Format, ev)
	w.results = w.c.Matcher.Event(ev, w.results[:0])
	if len(w.results) == 0 {
		return Item{}, false, true
	}
	return Item{Line: line, Event: ev, Results: append([]match.Result(nil), w.results...)}, true, true
}

// cloneFields copies fields into one new string and returns them as
// slices of it, in dst.
func cloneFields(fields, dst []string) []string {
	n := 0
	for _, f := range fields {
		n += len(f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.WriteString(f)
	}
	all := b.String()
	dst = dst[:0]
	for _, f := range fields {
		dst = append(dst, all[:len(f)])
		all = all[len(f):]
	}
	return dst
}

// chunk is one chunk of text on its way through the workers.
type chunk struct {
	// buf holds the text, which is a view of it, not a copy: buf goes back
	// to the chunker once the chunk's items are out, and nothing made
	// from the text may outlive that (see rows.borrowed).
	buf  []byte
	text string
	done chan struct{}
	// Set by the worker: the items with lines counted from 1 at the start
	// of the chunk, the good records, the newlines, and whether the text
	// was plain CSV all through (if not, the rest goes the sequential way).
	items   []Item
	records int
	lines   int
	plain   bool
}

// runChunks splits the text after the header into chunks, has workers
// convert and match them, and emits their items in order. Where a chunk is
// not plain CSV (a stray quote), or the chunker stops (a read error, a line
// with no end), it goes on with encoding/csv, one row at a time, which says
// what is wrong exactly as the sequential reader does; once that has read
// past the chunk, at a record boundary, chunks start again.
func (c *Check) runChunks(ctx context.Context, t *ingest.Table, conv rowConverter, emit func(*Item) error) (int, error) {
	src, line, _ := t.Rest()
	records := 0
	for {
		h, err := c.chunked(ctx, src, line, t, conv, emit, &records)
		if err != nil || h.rest == nil {
			return records, err
		}
		st := ingest.ResumeTable(h.rest, t.File(), t.Header(), h.line)
		st.SetNoRaw()
		var more bool
		src, line, more, err = c.sequential(ctx, st, conv, h.pass, emit, &records)
		if err != nil || !more {
			return records, err
		}
	}
}

// handover is where chunks stopped, when they stopped before the end: the
// text from there on, its first line, and how far encoding/csv must read
// before chunks can start again (-1: to the end).
type handover struct {
	rest io.Reader
	line int
	pass int64
}

// chunked runs the chunks of src, whose text starts at a record boundary
// on line line, until the end of the input or a handover.
func (c *Check) chunked(ctx context.Context, src io.Reader, line int, t *ingest.Table, conv rowConverter,
	emit func(*Item) error, records *int) (handover, error) {
	workers := c.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := c.ChunkSize
	if size <= 0 {
		size = DefaultChunkSize
	}
	ck := ingest.NewChunker(src, size)
	inFlight := 2*workers + 2
	var (
		order = make(chan *chunk, inFlight) // in input order, to the collector
		work  = make(chan *chunk, inFlight) // to the workers
		free  = make(chan []byte, inFlight+workers+2)
		stop  = make(chan struct{})
		quit  atomic.Bool // workers skip what is left
		wg    sync.WaitGroup
		ckErr error // why the chunker stopped; read once order is closed
	)
	go func() {
		defer close(work)
		defer close(order)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var buf []byte
			select {
			case buf = <-free:
			default:
			}
			b, err := ck.Next(buf)
			if err != nil {
				ckErr = err
				return
			}
			ch := &chunk{buf: b, text: unsafe.String(unsafe.SliceData(b), len(b)), done: make(chan struct{})}
			order <- ch
			work <- ch
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := rows{c: c, source: SourceName(c.Format, c.Mapping, ""), conv: conv, file: t.File(), header: t.Header(), borrowed: true}
			for ch := range work {
				if !quit.Load() {
					w.chunk(ch)
				}
				close(ch.done)
			}
		}()
	}
	// halt stops the chunker and the workers and returns the text of the
	// chunks not yet emitted, from the one at hand on, and what follows.
	// The chunker is gone: their buffers are never reused.
	halt := func(from *chunk) io.Reader {
		quit.Store(true)
		close(stop)
		var texts []io.Reader
		if from != nil {
			texts = append(texts, strings.NewReader(from.text))
		}
		for ch := range order {
			texts = append(texts, strings.NewReader(ch.text))
		}
		wg.Wait()
		return io.MultiReader(append(texts, ck.Rest())...)
	}

	for ch := range order {
		<-ch.done
		if err := ctx.Err(); err != nil {
			halt(nil)
			return handover{}, err
		}
		if !ch.plain {
			return handover{rest: halt(ch), line: line, pass: int64(len(ch.text))}, nil
		}
		for i := range ch.items {
			it := &ch.items[i]
			it.Line += line - 1
			if it.Bad != nil {
				it.Bad.Line = it.Line
			}
			if err := emit(it); err != nil {
				halt(nil)
				return handover{}, err
			}
		}
		*records += ch.records
		line += ch.lines
		select {
		case free <- ch.buf[:0]:
		default:
		}
	}
	wg.Wait()
	if errors.Is(ckErr, io.EOF) {
		return handover{}, nil
	}
	return handover{rest: ck.Rest(), line: line, pass: -1}, nil
}

// chunk converts and matches the records of one chunk.
func (w *rows) chunk(ch *chunk) {
	rs := ingest.NewRecords(ch.text)
	for {
		line, fields, ok := rs.Next()
		if !ok {
			break
		}
		it, keep, good := w.row(line, fields)
		if good {
			ch.records++
		}
		if keep {
			ch.items = append(ch.items, it)
		}
	}
	ch.lines, ch.plain = rs.Lines(), rs.Plain()
}

// sequential reads rows of st one at a time, to the end or, when pass is
// not negative, until st has read pass bytes and stands at a record
// boundary: then it returns the text from there on and its line.
func (c *Check) sequential(ctx context.Context, st *ingest.Table, conv rowConverter, pass int64,
	emit func(*Item) error, records *int) (io.Reader, int, bool, error) {
	w := rows{c: c, source: SourceName(c.Format, c.Mapping, ""), conv: conv, file: st.File(), header: st.Header()}
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, false, err
		}
		row, err := st.Next()
		var re *ingest.RowError
		switch {
		case err == nil:
			it, keep, good := w.row(row.Line, row.Fields)
			if good {
				*records++
			}
			if keep {
				if err := emit(&it); err != nil {
					return nil, 0, false, err
				}
			}
		case errors.As(err, &re):
			if err := emit(&Item{Line: re.Line, Bad: re}); err != nil {
				return nil, 0, false, err
			}
		case errors.Is(err, io.EOF):
			return nil, 0, false, nil
		default:
			return nil, 0, false, err
		}
		if pass >= 0 && st.Offset() >= pass {
			if r, line, ok := st.Rest(); ok {
				return r, line, true, nil
			}
		}
	}
}
