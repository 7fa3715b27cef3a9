package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// Importer is the store.Importer of every SQL backend. Rows are encoded on
// the caller's goroutine and written by a writer goroutine of its own, a
// chunk at a time, so parsing the next chunk overlaps writing the last one.
// At most three chunks exist at once, which bounds memory.
type Importer struct {
	tx   ImportTx
	opts ImportOptions
	meta store.ImportMeta
	enc  encoder

	cur      [2]*chunk // being filled: events, claims
	free     chan *chunk
	jobs     chan job
	done     chan struct{}  // closed when the writer has stopped
	added    int            // records given to the writer
	rejected int            // rows the caller turned away, as NoteRejected said
	rejects  []store.Reject // rejected rows not yet written
	ended    bool           // committed, rolled back or failed to commit

	mu      sync.Mutex // guards what the writer reports
	err     error      // the first write error: the batch is lost
	written store.ImportCounts

	// ownKeys holds the keys written so far to each table that had no
	// record of the source when the batch began (see ImportOptions.
	// ownsSource); nil for the others, whose keys are all looked up.
	ownKeys map[*Table]*keyFilter
	// prepared are the tables the writer has readied (see prepare).
	prepared map[*Table]bool

	// newSource are the tables that had no record of the source when the
	// batch began, as the caller learnt from the writer (see Unchanged).
	newSource map[*Table]bool

	// rebuild are the indexes dropped for the batch (see
	// ImportOptions.Indexes), built again before it commits, or before a
	// lookup needs a key index (see restoreKeys).
	rebuild []droppedIndex

	// The writer's, reused from chunk to chunk.
	ids, lookup  []string
	stored       map[string]storedKey
	fresh, edits []any
}

// storedKey is what is stored under a key.
type storedKey struct {
	hash    string
	deleted bool
}

// chunk is rows of one table on their way to Merge.
type chunk struct {
	t *Table
	rowVals
	n    int
	keys map[string]struct{} // source ids in vals: a repeat starts a new chunk
}

// job is work for the writer: merge a chunk or run fn. result, if set,
// gets fn's error.
type job struct {
	ctx    context.Context
	c      *chunk
	fn     func(ctx context.Context) error
	result chan error
}

const (
	eventsChunk = iota
	claimsChunk
)

var _ store.Importer = (*Importer)(nil)

// NewImporter records the batch in import_batches inside tx and returns
// the Importer that writes it. On error it rolls tx back.
func NewImporter(ctx context.Context, tx ImportTx, m store.ImportMeta, opts ImportOptions) (*Importer, error) {
	if m.Source == "" {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, errors.New("begin import: no source given")
	}
	if opts.Lock != "" {
		if _, err := tx.Exec(ctx, opts.Lock); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("begin import of %s: lock: %w", ImportName(m), err)
		}
	}
	if opts.SourceLock != "" {
		if _, err := tx.Exec(ctx, opts.SourceLock, m.Source); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("begin import of %s: waiting for another import of source %q: %w", ImportName(m), m.Source, err)
		}
	}
	start := time.Now().UTC().Truncate(time.Microsecond)
	var batch int64
	err := tx.QueryRow(ctx, "INSERT INTO import_batches (source, format, file, imported_by, started_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		m.Source, m.Format, m.File, m.By, opts.BindTime(start)).Scan(&batch)
	if err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("begin import of %s: record batch: %w", ImportName(m), err)
	}
	const chunks = 3 // two being filled, one being written
	im := &Importer{
		tx: tx, opts: opts, meta: m,
		enc:  encoder{bindTime: opts.BindTime, batch: batch, now: opts.BindTime(start), packedRaw: opts.PackedRaw},
		free: make(chan *chunk, chunks),
		jobs: make(chan job, 1),
		done: make(chan struct{}),

		stored:    make(map[string]storedKey),
		newSource: make(map[*Table]bool),
		ownKeys:   make(map[*Table]*keyFilter),
		prepared:  make(map[*Table]bool),
	}
	for range chunks {
		im.free <- &chunk{keys: make(map[string]struct{})}
	}
	go im.write()
	return im, nil
}

// prepare readies t for the batch when its first rows arrive, so that a
// batch locks and looks up only the tables it writes: a table with no
// record of the source gets a filter of the keys written (see
// ImportOptions.ownsSource), and an empty one loses its secondary indexes
// until the commit (see ImportOptions.Indexes).
func (im *Importer) prepare(ctx context.Context, t *Table) error {
	im.prepared[t] = true
	if !im.opts.ownsSource() && im.opts.Indexes == "" {
		return nil
	}
	if im.opts.Indexes != "" && im.opts.PrepareLock != "" {
		if _, err := im.tx.Exec(ctx, im.opts.PrepareLock); err != nil {
			return fmt.Errorf("wait for other first batches: %w", err)
		}
	}
	var table, source bool
	err := im.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+t.name+"), EXISTS (SELECT 1 FROM "+t.name+" WHERE source = ?)",
		im.meta.Source).Scan(&table, &source)
	if err != nil {
		return fmt.Errorf("look up records: %w", err)
	}
	if !source && im.opts.ownsSource() {
		im.ownKeys[t] = newKeyFilter()
	}
	if table || im.opts.Indexes == "" {
		return nil
	}
	var list []byte
	if err := im.tx.QueryRow(ctx, im.opts.Indexes, t.name).Scan(&list); err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	var indexes []droppedIndex
	if err := json.Unmarshal(list, &indexes); err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	for _, ix := range indexes {
		if ix.Name == t.byBatch || ix.Key && im.ownKeys[t] == nil {
			continue
		}
		drop := ix.Drop
		if drop == "" {
			drop = "DROP INDEX " + quoteIdent(ix.Name)
		}
		// Another batch may have filled the table before this DROP got
		// its lock: the build at the commit then covers its rows too.
		if _, err := im.tx.Exec(ctx, drop); err != nil {
			return fmt.Errorf("drop index %s: %w", ix.Name, err)
		}
		ix.table = t
		im.rebuild = append(im.rebuild, ix)
		if ix.Key {
			// Lookups by key would scan the table: only a key this
			// batch wrote can be stored, and the exact set says which.
			im.ownKeys[t].exact = make(map[uint64]struct{})
		}
	}
	return nil
}

// rebuildSetup runs ImportOptions.RebuildSetup, if any.
func (im *Importer) rebuildSetup(ctx context.Context) error {
	if im.opts.RebuildSetup == "" {
		return nil
	}
	if _, err := im.tx.Exec(ctx, im.opts.RebuildSetup); err != nil {
		return fmt.Errorf("before building indexes: %w", err)
	}
	return nil
}

// droppedIndex is an index dropped for the batch, as ImportOptions.Indexes
// lists it.
type droppedIndex struct {
	Name   string `json:"name"`
	Create string `json:"create"`
	Drop   string `json:"drop"` // "" is DROP INDEX
	Key    bool   `json:"key"`  // the unique index on the records' keys
	table  *Table
}

// restoreKeys builds t's key index again, when a key the batch wrote comes
// again (or too many came to keep exactly): its lookup, and the upsert of
// an edit, need it. From then on the Bloom filter goes on alone.
func (im *Importer) restoreKeys(ctx context.Context, t *Table) error {
	if err := im.rebuildSetup(ctx); err != nil {
		return err
	}
	kept := im.rebuild[:0]
	for _, ix := range im.rebuild {
		if ix.table != t || !ix.Key {
			kept = append(kept, ix)
			continue
		}
		if _, err := im.tx.Exec(ctx, ix.Create); err != nil {
			return fmt.Errorf("build index %s again: %w", ix.Name, err)
		}
	}
	im.rebuild = kept
	im.ownKeys[t].exact = nil
	return nil
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// write runs the jobs in order until jobs is closed. After a failure it
// only hands chunks back, so the caller never blocks.
func (im *Importer) write() {
	defer close(im.done)
	for j := range im.jobs {
		err := im.failed()
		if err == nil {
			if j.c != nil {
				err = im.merge(j.ctx, j.c)
			} else {
				err = j.fn(j.ctx)
			}
			if err != nil {
				im.mu.Lock()
				im.err = err
				im.mu.Unlock()
			}
		}
		if j.c != nil {
			j.c.reset()
			im.free <- j.c
		}
		if j.result != nil {
			j.result <- err
		}
	}
}

// merge writes a chunk: it looks its keys up, inserts the new rows, upserts
// the changed ones (another hash, or deleted) and skips the rest. Plain
// inserts are much cheaper than upserts on both backends (no statement
// journal on SQLite, no staging table on PostgreSQL), and most rows of a
// first import are new.
func (im *Importer) merge(ctx context.Context, c *chunk) error {
	t := c.t
	if !im.prepared[t] {
		if err := im.prepare(ctx, t); err != nil {
			return fmt.Errorf("prepare %s: %w", t.name, err)
		}
	}
	cols, hashAt := len(t.Columns()), t.hashColumn()
	rows := c.vals[:c.n*cols]
	im.ids = im.ids[:0]
	for row := range slices.Chunk(rows, cols) {
		im.ids = append(im.ids, valueString(row[1]))
	}
	clear(im.stored)
	lookup := im.ids
	if f := im.ownKeys[t]; f != nil {
		// Only keys this batch may have written can be stored: look up
		// those (and the filter's rare false positives) alone.
		im.lookup = im.lookup[:0]
		for _, id := range im.ids {
			if f.add(id) {
				im.lookup = append(im.lookup, id)
			}
		}
		if f.exact != nil && (len(im.lookup) > 0 || f.full()) {
			if err := im.restoreKeys(ctx, t); err != nil {
				return err
			}
		}
		lookup = im.lookup
	}
	if len(lookup) > 0 {
		err := im.tx.Stored(ctx, t, im.meta.Source, lookup, func(id, hash string, deleted bool) {
			im.stored[id] = storedKey{hash: hash, deleted: deleted}
		})
		if err != nil {
			return fmt.Errorf("look up %d %s: %w", len(lookup), t.name, err)
		}
	}
	im.fresh, im.edits = im.fresh[:0], im.edits[:0]
	defer func() { clear(im.fresh); clear(im.edits) }() // let the strings go
	for row := range slices.Chunk(rows, cols) {
		stored, ok := im.stored[valueString(row[1])]
		switch {
		case !ok:
			im.fresh = append(im.fresh, row...)
		case stored.deleted || stored.hash != valueString(row[hashAt]):
			im.edits = append(im.edits, row...)
		}
	}
	fresh, edits := len(im.fresh)/cols, len(im.edits)/cols
	if fresh > 0 {
		if err := im.tx.Insert(ctx, t, im.fresh, fresh); err != nil {
			return fmt.Errorf("insert %d new %s: %w", fresh, t.name, err)
		}
	}
	var (
		ins, upd int
		err      error
	)
	if edits > 0 {
		if ins, upd, err = im.tx.Upsert(ctx, t, im.edits, edits); err != nil {
			return fmt.Errorf("update %d %s: %w", edits, t.name, err)
		}
	}
	im.mu.Lock()
	im.written.New += fresh + ins
	im.written.Updated += upd
	im.mu.Unlock()
	return nil
}

func (c *chunk) reset() {
	c.rowVals.reset()
	c.n, c.t = 0, nil
	clear(c.keys)
}

// failed is the write error that lost the batch, if any.
func (im *Importer) failed() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.err
}

// usable says why the batch takes no more records, if it does not.
func (im *Importer) usable() error {
	if im.ended {
		return fmt.Errorf("import of %s: batch already ended", im.name())
	}
	if err := im.failed(); err != nil {
		return fmt.Errorf("import of %s failed, roll it back: %w", im.name(), err)
	}
	return nil
}

// name is the batch for messages.
func (im *Importer) name() string { return ImportName(im.meta) }

// ImportName names a batch in messages: its file, or its source.
func ImportName(m store.ImportMeta) string {
	if m.File != "" {
		return m.File
	}
	return m.Source
}

// AddEvent adds e to the batch.
func (im *Importer) AddEvent(ctx context.Context, e *event.Event) error {
	if err := im.usable(); err != nil {
		return err
	}
	if why := checkEvent(e, im.meta.Source); why != "" {
		return fmt.Errorf("add event %s %q: %w: %s", e.Source, e.SourceID, store.ErrInvalid, why)
	}
	return im.add(ctx, eventsChunk, eventsTable, e.SourceID, func(r *rowVals) error {
		im.enc.event(r, e)
		return nil
	})
}

// AddClaim adds c to the batch.
func (im *Importer) AddClaim(ctx context.Context, c *event.Claim) error {
	if err := im.usable(); err != nil {
		return err
	}
	if why := checkClaim(c, im.meta.Source); why != "" {
		return fmt.Errorf("add claim %s %q: %w: %s", c.Source, c.SourceID, store.ErrInvalid, why)
	}
	return im.add(ctx, claimsChunk, claimsTable, c.SourceID, func(r *rowVals) error {
		return im.enc.claim(r, c)
	})
}

// add appends one record to the chunk being filled for t and hands the
// chunk to the writer when it is full. A key already in the chunk sends
// the chunk first, so that one Merge never sees a key twice and a repeat
// is applied after what it repeats.
func (im *Importer) add(ctx context.Context, slot int, t *Table, sourceID string, encode func(*rowVals) error) error {
	c := im.cur[slot]
	if c != nil {
		if _, dup := c.keys[sourceID]; dup {
			im.send(ctx, slot)
			c = nil
		}
	}
	if c == nil {
		select {
		case c = <-im.free:
		case <-ctx.Done():
			return fmt.Errorf("add to import of %s: %w", im.name(), ctx.Err())
		}
		c.t = t
		im.cur[slot] = c
	}
	if err := encode(&c.rowVals); err != nil {
		c.vals = c.vals[:c.n*len(t.Columns())]
		return fmt.Errorf("add %s %q: %w: %w", t.name, sourceID, store.ErrInvalid, err)
	}
	c.n++
	c.keys[sourceID] = struct{}{}
	im.added++
	if c.n >= im.opts.ChunkRows {
		im.send(ctx, slot)
	}
	return nil
}

// send hands the chunk in slot to the writer.
func (im *Importer) send(ctx context.Context, slot int) {
	if c := im.cur[slot]; c != nil && c.n > 0 {
		im.jobs <- job{ctx: ctx, c: c}
		im.cur[slot] = nil
	}
}

// run sends what is pending, then fn, and waits for fn's result.
func (im *Importer) run(ctx context.Context, fn func(ctx context.Context) error) error {
	im.send(ctx, eventsChunk)
	im.send(ctx, claimsChunk)
	result := make(chan error, 1)
	im.jobs <- job{ctx: ctx, fn: fn, result: result}
	return <-result
}

// MarkDeleted marks the batch source's events and claims deleted.
func (im *Importer) MarkDeleted(ctx context.Context, sourceIDs []string) (int, error) {
	if err := im.usable(); err != nil {
		return 0, err
	}
	var n int
	err := im.run(ctx, func(ctx context.Context) error {
		for _, t := range []*Table{eventsTable, claimsTable} {
			if f := im.ownKeys[t]; f != nil && f.exact != nil {
				if err := im.restoreKeys(ctx, t); err != nil {
					return err
				}
			}
			for ids := range slices.Chunk(sourceIDs, 500) {
				k, err := im.tx.Exec(ctx, "UPDATE "+t.name+
					" SET version = version + 1, deleted = TRUE, batch_id = ?, updated_at = ?"+
					" WHERE source = ? AND deleted = FALSE AND source_id IN ("+placeholders(len(ids))+")",
					append([]any{im.enc.batch, im.enc.now, im.meta.Source}, anySlice(ids)...)...)
				if err != nil {
					return fmt.Errorf("mark %s deleted: %w", t.name, err)
				}
				n += int(k)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import of %s: %w", im.name(), err)
	}
	im.mu.Lock()
	im.written.Deleted += n
	im.mu.Unlock()
	return n, nil
}

// NoteRejected records rows the caller turned away, for the batch's record.
func (im *Importer) NoteRejected(n int) { im.rejected += n }

// Commit writes what is pending, records the batch's counts and commits.
func (im *Importer) Commit(ctx context.Context) (store.ImportCounts, error) {
	if im.ended {
		return store.ImportCounts{}, fmt.Errorf("commit import of %s: batch already ended", im.name())
	}
	var counts store.ImportCounts
	err := im.flushRejects(ctx)
	if err != nil {
		im.stop()
		_ = im.tx.Rollback(context.WithoutCancel(ctx))
		return store.ImportCounts{}, fmt.Errorf("commit import of %s: %w", im.name(), err)
	}
	err = im.run(ctx, func(ctx context.Context) error {
		im.mu.Lock()
		counts = im.written
		im.mu.Unlock()
		counts.Batch = im.enc.batch
		counts.Unchanged = im.added - counts.New - counts.Updated
		if len(im.rebuild) > 0 {
			if err := im.rebuildSetup(ctx); err != nil {
				return err
			}
		}
		for _, ix := range im.rebuild {
			if _, err := im.tx.Exec(ctx, ix.Create); err != nil {
				return fmt.Errorf("build index again: %s: %w", ix.Create, err)
			}
		}
		_, err := im.tx.Exec(ctx, `UPDATE import_batches SET status = 'done', finished_at = ?, read_count = ?,
			inserted_count = ?, updated_count = ?, unchanged_count = ?, deleted_count = ?, rejected_count = ? WHERE id = ?`,
			im.opts.BindTime(time.Now()), im.added+im.rejected, counts.New, counts.Updated, counts.Unchanged, counts.Deleted, im.rejected, im.enc.batch)
		if err != nil {
			return fmt.Errorf("record batch: %w", err)
		}
		return nil
	})
	im.stop()
	if err == nil {
		err = im.tx.Commit(ctx)
	}
	if err != nil {
		_ = im.tx.Rollback(context.WithoutCancel(ctx)) // the batch is lost either way
		return store.ImportCounts{}, fmt.Errorf("commit import of %s: %w", im.name(), err)
	}
	return counts, nil
}

// Rollback drops the batch, unless it has ended already.
func (im *Importer) Rollback() error {
	if im.ended {
		return nil
	}
	im.stop()
	// Rollback has no context of its own, and must run even when the
	// caller's was cancelled: that is often why it is called.
	if err := im.tx.Rollback(context.Background()); err != nil {
		return fmt.Errorf("roll back import of %s: %w", im.name(), err)
	}
	return nil
}

// stop ends the writer and the batch.
func (im *Importer) stop() {
	im.ended = true
	close(im.jobs)
	<-im.done
}

// placeholders is "?, ?, ..." n times.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func anySlice[T ~string](ss []T) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
