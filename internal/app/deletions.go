package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/acled"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
)

// DeletionSummary is the view of what applying one deletion list did.
type DeletionSummary struct {
	File   string `json:"file"`
	Listed int    `json:"listed"` // ids the list names
	Marked int    `json:"marked"` // events newly marked deleted
}

// deletionChunk is how many ids of a deletion list are marked at once: the
// list streams, one transaction per file.
const deletionChunk = 10000

// IngestDeletions applies ACLED deletion lists (event_id_cnty,
// deleted_timestamp): the events of req.Source (default: the format's
// name) they name are marked deleted, each list in one transaction and
// import batch. Of req it reads Format, Source, Encoding, Limits, Files
// and Stdin; of ev, BadRows, ShowBad and Refused. It returns a summary per
// list applied.
func (a *App) IngestDeletions(ctx context.Context, req IngestRequest, ev IngestEvents) ([]DeletionSummary, int, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return nil, 0, fmt.Errorf("ingest: %w", err)
	}
	source := req.Source
	if source == "" {
		source = req.Format.Name
	}
	var done []DeletionSummary
	refused := 0
	refuse := func(name string, err error) {
		refused++
		if ev.Refused != nil {
			ev.Refused(name, err)
		}
	}
	for _, name := range req.Files {
		ins, err := pipeline.Open(ctx, name, req.Stdin, req.Limits)
		if err != nil {
			refuse(name, err)
			continue
		}
		for _, in := range ins {
			listed, marked, err := a.markDeletions(ctx, source, who.Name, in, req, ev)
			in.Close()
			if err != nil {
				refuse(in.Name, err)
				continue
			}
			done = append(done, DeletionSummary{File: in.Name, Listed: listed, Marked: marked})
		}
	}
	return done, refused, nil
}

// markDeletions marks the events a deletion list names deleted, in one
// transaction, holding deletionChunk ids at a time.
func (a *App) markDeletions(ctx context.Context, source, by string, in *pipeline.Input, req IngestRequest, ev IngestEvents) (listed, marked int, err error) {
	text, _, _, err := pipeline.Prepare(in, in.Name, pipeline.Format{}, req.Encoding, ingest.Undecided, req.Limits)
	if err != nil {
		return 0, 0, err
	}
	dr, err := acled.NewDeletionReader(text, in.Name)
	if err != nil {
		return 0, 0, err
	}
	imp, err := a.st.BeginImport(ctx, store.ImportMeta{Source: source, Format: "deletions", File: in.Name, By: by})
	if err != nil {
		return 0, 0, err
	}
	defer imp.Rollback()
	ids := make([]string, 0, deletionChunk)
	flush := func() error {
		n, err := imp.MarkDeleted(ctx, ids)
		marked += n
		ids = ids[:0]
		return err
	}
	bad := 0
	for {
		d, err := dr.Next()
		var re *ingest.RowError
		switch {
		case errors.Is(err, io.EOF):
			if err := flush(); err != nil {
				return 0, 0, err
			}
			if n := bad - ev.ShowBad; n > 0 && ev.BadRows != nil {
				fmt.Fprintf(ev.BadRows, "%s: ... and %d more bad rows\n", in.Name, n)
			}
			imp.NoteRejected(bad)
			if _, err := imp.Commit(ctx); err != nil {
				return 0, 0, err
			}
			return listed, marked, nil
		case errors.As(err, &re):
			if bad++; bad <= ev.ShowBad && ev.BadRows != nil {
				fmt.Fprintln(ev.BadRows, re)
			}
			if err := imp.AddReject(ctx, store.Reject{Line: re.Line, Field: re.Field, Reason: re.Reason, Value: re.Value}); err != nil {
				return 0, 0, err
			}
			continue
		case err != nil:
			return 0, 0, err
		}
		listed++
		ids = append(ids, d.EventID)
		if len(ids) == deletionChunk {
			if err := flush(); err != nil {
				return 0, 0, err
			}
		}
	}
}
