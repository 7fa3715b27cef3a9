package app

import (
	"context"
	"errors"
	"fmt"
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
