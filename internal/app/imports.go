package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// ImportBatch is the view of one import batch: one file truce ingest
// imported, or one deletion list it applied.
type ImportBatch struct {
	ID         int64     `json:"id"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	By         string    `json:"by"`
	Source     string    `json:"source"`
	Format     string    `json:"format"`
	File       string    `json:"file"`
	Read       int       `json:"read"`
	New        int       `json:"new"`
	Updated    int       `json:"updated"`
	Unchanged  int       `json:"unchanged"`
	Deleted    int       `json:"deleted"`
	Rejected   int       `json:"rejected"`
}

func importBatch(b store.ImportBatch) ImportBatch {
	return ImportBatch{ID: b.ID, StartedAt: b.StartedAt, FinishedAt: b.FinishedAt, By: b.By, Source: b.Source, Format: b.Format,
		File: b.File, Read: b.Read, New: b.New, Updated: b.Updated, Unchanged: b.Unchanged, Deleted: b.Deleted, Rejected: b.Rejected}
}

// Imports lists the committed import batches, oldest first.
func (a *App) Imports(ctx context.Context) ([]ImportBatch, error) {
	bs, err := a.st.ListImports(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ImportBatch, len(bs))
	for i, b := range bs {
		out[i] = importBatch(b)
	}
	return out, nil
}

// ErrNoBatch: there is no import batch of the number asked for.
var ErrNoBatch = errors.New("no such import batch")

// ImportRejects calls fn with the rows import batch id rejected, in line
// order, each with its batch, and returns the batch. A batch keeps the
// first rows it rejected (load.KeptRejects): its Rejected may count
// more than fn was given.
func (a *App) ImportRejects(ctx context.Context, id int64, fn func(ImportBatch, store.Reject) error) (ImportBatch, error) {
	bs, err := a.st.ListImports(ctx)
	if err != nil {
		return ImportBatch{}, err
	}
	batch := ImportBatch{ID: id}
	for _, b := range bs {
		if b.ID == id {
			batch = importBatch(b)
		}
	}
	err = a.st.ImportRejects(ctx, id, func(r store.Reject) error { return fn(batch, r) })
	if errors.Is(err, store.ErrNotFound) {
		return batch, &Error{Kind: KindNotFound, Err: marked{fmt.Errorf("no import batch %d", id), ErrNoBatch}}
	}
	return batch, err
}

// RejectPage is one page of the rows an import batch rejected.
type RejectPage struct {
	// Batch is the batch, with its count of rejected rows (which may be
	// more than it kept).
	Batch   ImportBatch    `json:"batch"`
	Rejects []store.Reject `json:"rejects"`
	Next    string         `json:"next,omitempty"`
}

// ImportRejectsPage lists up to limit rows import batch id rejected, in
// line order, after the cursor after (a Next of the page before; "" for
// the first page). A batch keeps at most load.KeptRejects rows, so a page
// reads the batch's rows up to its own.
func (a *App) ImportRejectsPage(ctx context.Context, id int64, after string, limit int) (RejectPage, error) {
	if limit == 0 {
		limit = DefaultPage
	}
	if limit < 1 || limit > MaxPage {
		return RejectPage{}, errorf(KindInvalid, "a page holds 1 to %d rejected rows, not %d", MaxPage, limit)
	}
	var from rejectCursor
	if after != "" {
		var err error
		if from, err = parseRejectCursor(after); err != nil {
			return RejectPage{}, err
		}
	}
	page := RejectPage{Rejects: []store.Reject{}}
	var at rejectCursor // the row's place: its line, and its rank on it
	b, err := a.ImportRejects(ctx, id, func(_ ImportBatch, r store.Reject) error {
		if r.Line == at.line {
			at.nth++
		} else {
			at = rejectCursor{r.Line, 1}
		}
		if at.line < from.line || at.line == from.line && at.nth <= from.nth {
			return nil
		}
		if len(page.Rejects) == limit {
			return errPageFull
		}
		page.Rejects = append(page.Rejects, r)
		page.Next = at.String()
		return nil
	})
	page.Batch = b
	switch {
	case errors.Is(err, errPageFull):
	case err != nil:
		return RejectPage{}, err
	default:
		page.Next = "" // the last page
	}
	return page, nil
}

// rejectCursor is a rejected row's place in a batch's list: its line and
// its rank among the rows of that line (from 1). A client sees it as
// base64url of "LINE.NTH".
type rejectCursor struct{ line, nth int }

func (c rejectCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(c.line) + "." + strconv.Itoa(c.nth)))
}

func parseRejectCursor(s string) (rejectCursor, error) {
	bad := errorf(KindInvalid, "%q is not a cursor of this list: give back a next value as it came", s)
	if len(s) > 64 {
		return rejectCursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return rejectCursor{}, bad
	}
	ls, ns, ok := strings.Cut(string(b), ".")
	line, err1 := strconv.Atoi(ls)
	nth, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || line < 0 || nth < 1 {
		return rejectCursor{}, bad
	}
	return rejectCursor{line, nth}, nil
}
