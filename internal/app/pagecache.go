package app

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxCachedPages bounds the findings pages an App keeps: a hundred
// findings a page is a few hundred kilobytes.
const maxCachedPages = 64

// pageCache keeps findings pages by their query and the store's change
// stamp when they were read. A page is given again only while the stamp
// is the same, that is while nothing at all was committed to the database
// since it was read, by any server: a dashboard or a client polling the
// same list asks the store once per change, not once per request. Shared
// by the copies of an App.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]cachedPage
	order   []string // keys, oldest first, for eviction
}

type cachedPage struct {
	stamp string
	page  FindingPage
}

// stamper is a store that can say whether anything was committed between
// two reads (sqlstore's ChangeStamp).
type stamper interface {
	ChangeStamp(ctx context.Context) (string, error)
}

// changeStamp is the store's change stamp, "" when it has none or cannot
// read it now: then nothing is cached or given from the cache.
func (a *App) changeStamp(ctx context.Context) string {
	st, ok := a.st.(stamper)
	if !ok {
		return ""
	}
	v, err := st.ChangeStamp(ctx)
	if err != nil {
		return ""
	}
	return v
}

// get returns a copy of the page kept under key if it was read at stamp.
func (c *pageCache) get(key, stamp string) (FindingPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.stamp != stamp {
		return FindingPage{}, false
	}
	// The caller may change its page: the findings are copied, their
	// pointed-to parts (never changed by a reader) shared.
	p := e.page
	p.Findings = append([]Finding(nil), p.Findings...)
	return p, true
}

// put keeps page under key, read at stamp, dropping the oldest entry
// when full.
func (c *pageCache) put(key, stamp string, page FindingPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cachedPage{}
	}
	if _, ok := c.entries[key]; !ok {
		for len(c.order) >= maxCachedPages {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, key)
	}
	page.Findings = append([]Finding(nil), page.Findings...)
	c.entries[key] = cachedPage{stamp: stamp, page: page}
}

// pageKey is what a findings page depends on besides the data: the query,
// the cursor, the size, and whether the caller sees unpublished findings.
func pageKey(q FindingQuery, after string, limit int, unpublished bool) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte(' ')
	}
	for _, s := range []string{q.Agreement, q.Reading, q.Accused, q.Source, q.Kind, q.Category, q.Country, q.Admin1, q.Text, after} {
		field(s)
	}
	for _, list := range [][]string{q.Verdicts, q.Statuses} {
		field(strings.Join(list, "\x00"))
	}
	for _, t := range []time.Time{q.From, q.To} {
		field(strconv.FormatInt(t.UnixNano(), 10) + strconv.FormatBool(t.IsZero()))
	}
	for _, n := range []int{q.Version, limit} {
		field(strconv.Itoa(n))
	}
	for _, v := range []bool{q.NeedsReview, q.Withdrawn, unpublished} {
		field(strconv.FormatBool(v))
	}
	return b.String()
}
