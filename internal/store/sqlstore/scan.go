package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// page is one query's worth of rows of a scan, or the error that ended it.
type page[R any] struct {
	rows []R
	err  error
}

// scanPage is how many records a scan reads per query.
const scanPage = 1000

// scanReaders is how many pages a scan in id order reads at once. Reading
// rows costs far more than decoding and matching them (`truce evaluate`
// over 200,000 stored ACLED events: 2.0 s of its 2.7 s of CPU), so a
// second reader is what uses the second core.
const scanReaders = 2

// smallChange is how many changed records a scan reads through the batch
// index, sorting each page's worth; beyond it reading the whole table in
// order costs less than the sorts.
const smallChange = 20 * scanPage

// scanPages reads the records f selects a page at a time and calls fn with
// each, in (time_start, id) order, or id order with f.ByID. No read
// transaction lasts longer than a page, and between pages no connection
// of the pool is held, so fn may use the store. fn's error is returned
// apart, as fn returned it.
//
// Goroutines read the next pages while this one decodes the rows of the
// last (their JSON columns) and calls fn, so a long scan keeps both cores
// busy: one reader, each page starting after the last record of the one
// before, or, for a scan in id order that reads the whole table anyway
// (wholeByID), scanReaders, each page a range of ids (see rangePages).
func scanPages[R, T any](ctx context.Context, s *Store, t *Table, f store.EventFilter, scan func(scanner) (R, error),
	key func(*R) (time.Time, int64), decode func(*R) (*T, error), fn func(*T) error) (fnErr, err error) {
	where, args := filterSQL(t, f, s.dialect.JSONMember)
	from := t.name
	if s.dialect.IndexedBy {
		index, err := scanIndex(ctx, s, t, f, where, args)
		if err != nil {
			return nil, err
		}
		from += index
	}
	query := "SELECT " + t.scanColumns(f.NoRaw) + " FROM " + from + " WHERE " + where

	ctx, cancel := context.WithCancel(ctx)
	var pages <-chan page[R]
	if wholeByID(s, f, from) {
		pages = rangePages(ctx, s, t, query, args, scan)
	} else {
		pages = seqPages(ctx, s, f, query, args, scan, key)
	}
	defer func() {
		cancel()
		for range pages { // wait for the readers to stop
		}
	}()
	for p := range pages {
		if p.err == nil {
			p.err = ctx.Err() // a page read before the cancellation
		}
		if p.err != nil {
			return nil, p.err
		}
		for i := range p.rows {
			v, err := decode(&p.rows[i])
			if err != nil {
				return nil, err
			}
			if err := fn(v); err != nil {
				return err, nil
			}
		}
	}
	return nil, ctx.Err()
}

// wholeByID says whether a scan in id order reads the whole table anyway,
// so that id ranges cost no more: not a list of ids, nor the few records
// changed since a batch that an index finds (SQLite's choice of index, see
// scanIndex; on PostgreSQL any scan of changes, the planner's).
func wholeByID(s *Store, f store.EventFilter, from string) bool {
	if !f.ByID || f.IDs != nil {
		return false
	}
	if s.dialect.IndexedBy {
		return !strings.Contains(from, " INDEXED BY ")
	}
	return f.ChangedSince <= 0
}

// seqPages reads the pages of query one after another, each after the last
// record of the one before.
func seqPages[R any](ctx context.Context, s *Store, f store.EventFilter, query string, args []any,
	scan func(scanner) (R, error), key func(*R) (time.Time, int64)) <-chan page[R] {
	order, next := " ORDER BY time_start, id LIMIT ", " AND (time_start, id) > (?, ?)"
	if f.ByID {
		order, next = " ORDER BY id LIMIT ", " AND id > ?"
	}
	order += strconv.Itoa(scanPage)
	first, firstArgs := query+order, args
	if f.After != nil && !f.ByID {
		first, firstArgs = query+next+order, append(slices.Clip(args), timeArg(f.After.RecordTime), f.After.ID)
	}
	pages := make(chan page[R], 1)
	go func() {
		defer close(pages)
		q, qargs := first, firstArgs
		for {
			rows, err := queryAll(ctx, s, scan, q, qargs...)
			select {
			case pages <- page[R]{rows, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(rows) < scanPage {
				return
			}
			start, id := key(&rows[len(rows)-1])
			last := []any{timeArg(start), id}
			if f.ByID {
				last = last[1:]
			}
			q, qargs = query+next+order, append(slices.Clip(args), last...)
		}
	}()
	return pages
}

// rangePages reads the pages of query in id order, scanReaders at a time:
// page k holds the ids from the lowest plus k*scanPage, so no page waits
// for the one before to find where it starts. Ids of a large import are
// dense, so most pages are full; gaps only make pages smaller. The pages
// come out in order, at most scanReaders+2 read ahead.
func rangePages[R any](ctx context.Context, s *Store, t *Table, query string, args []any,
	scan func(scanner) (R, error)) <-chan page[R] {
	out := make(chan page[R], 1)
	var lo, hi sql.NullInt64
	err := s.db.QueryRowContext(ctx, "SELECT min(id), max(id) FROM "+t.name).Scan(&lo, &hi)
	if err != nil || !lo.Valid {
		if err != nil {
			out <- page[R]{err: fmt.Errorf("id range: %w", err)}
		}
		close(out)
		return out
	}
	q := s.rebind(query + " AND id >= ? AND id < ? ORDER BY id")
	type job struct {
		start int64
		slot  chan page[R]
	}
	jobs := make(chan job)
	slots := make(chan chan page[R], scanReaders) // in id order
	var wg sync.WaitGroup
	for range scanReaders {
		wg.Go(func() {
			if s.dialect.WholeReader == nil {
				// Each page on any connection of the pool, none held
				// between pages.
				for j := range jobs {
					rows, err := queryAll(ctx, s, scan, q, append(slices.Clip(args), j.start, j.start+scanPage)...)
					j.slot <- page[R]{rows, err}
				}
				return
			}
			r, err := s.dialect.WholeReader(ctx)
			if err != nil {
				err = fmt.Errorf("scan: %w", err)
			} else {
				defer r.Close()
			}
			for j := range jobs {
				var rows []R
				if err == nil {
					rows, err = readAll(ctx, r, scan, q, append(slices.Clip(args), j.start, j.start+scanPage))
				}
				j.slot <- page[R]{rows, err}
			}
		})
	}
	wg.Go(func() {
		defer close(slots)
		defer close(jobs)
		for start := lo.Int64; start <= hi.Int64; start += scanPage {
			// A reader takes the job before its slot is queued: every
			// queued slot gets its page.
			slot := make(chan page[R], 1)
			select {
			case jobs <- job{start, slot}:
			case <-ctx.Done():
				return
			}
			select {
			case slots <- slot:
			case <-ctx.Done():
				return
			}
		}
	})
	go func() {
		defer close(out)
		defer wg.Wait()
		for slot := range slots {
			p := <-slot
			if p.err == nil && len(p.rows) == 0 {
				continue
			}
			select {
			case out <- p:
			case <-ctx.Done(): // drain the slots queued
			}
		}
	}()
	return out
}

// scanIndex says which index a scan on SQLite reads, as an INDEXED BY or
// NOT INDEXED clause: the time index, or the table itself in id order (no
// lookup from an index entry to its row), or for a scan of the few records
// changed since a batch (what `truce evaluate` reads once it has caught up)
// the batch index, which finds them without reading the whole table.
func scanIndex(ctx context.Context, s *Store, t *Table, f store.EventFilter, where string, args []any) (string, error) {
	whole := " INDEXED BY " + t.byTime
	if f.ByID {
		whole = " NOT INDEXED"
	}
	if f.ChangedSince <= 0 {
		return whole, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+t.name+" INDEXED BY "+t.byBatch+
		" WHERE "+where+" LIMIT "+strconv.Itoa(smallChange+1)+")", args...).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("count changed %s: %w", t.name, err)
	}
	if n > smallChange {
		return whole, nil
	}
	return " INDEXED BY " + t.byBatch, nil
}

// readAll runs query on r and scans every row with scan.
func readAll[T any](ctx context.Context, r RowReader, scan func(scanner) (T, error), query string, args []any) ([]T, error) {
	var out []T
	err := r.Query(ctx, query, args, func(row Scanner) error {
		v, err := scan(row)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
