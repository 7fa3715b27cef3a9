package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// Both stores behave alike on bytes a hostile file may hold: a record with
// text that is not UTF-8, or with a NUL, is refused on its own (ErrInvalid),
// never failing the batch (PostgreSQL) nor stored raw (SQLite); what is
// stored has raw, hash and text that agree, so an upstream edit is seen.
func testImportBytes(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", File: "bytes.csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	edit := func(f func(e *event.Event)) *event.Event {
		e := newEvent("acled", "B1", day0, "x")
		f(e)
		return e
	}
	for name, e := range map[string]*event.Event{
		"text not UTF-8":      edit(func(e *event.Event) { e.Text = "caf\xe9" }),
		"text with NUL":       edit(func(e *event.Event) { e.Text = "a\x00b" }),
		"actor not UTF-8":     edit(func(e *event.Event) { e.Actors[0].Name = "\xff" }),
		"place with NUL":      edit(func(e *event.Event) { e.Place.Name = "\x00" }),
		"raw not UTF-8":       edit(func(e *event.Event) { e.Raw = []byte(`{"notes":"caf` + "\xe9" + `"}`) }),
		"raw with NUL escape": edit(func(e *event.Event) { e.Raw = []byte(`{"notes":"a\u0000b"}`) }),
		"source id with NUL":  edit(func(e *event.Event) { e.SourceID = "B\x001" }),
	} {
		if err := im.AddEvent(ctx, e); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid", name, err)
		}
	}
	c := newClaim("acled", "C1", day0, "x")
	c.Claimant = "ru\xe9"
	if err := im.AddClaim(ctx, c); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("claimant not UTF-8: error %v, want one wrapping ErrInvalid", err)
	}
	// The batch goes on: a good record after the bad ones is stored.
	if err := im.AddEvent(ctx, newEvent("acled", "B2", day0, "café")); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatalf("commit after refused records: %v", err)
	}
	got, err := s.GetEvent(ctx, "acled", "B2")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "café" || !strings.Contains(string(got.Raw), "café") || got.Hash != hashOf(string(got.Raw)) {
		t.Errorf("stored text %q, raw %s, hash %s", got.Text, got.Raw, got.Hash)
	}
	// café → cafè upstream: a new version, not "unchanged".
	im, err = s.BeginImport(ctx, store.ImportMeta{Source: "acled", File: "bytes.csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.AddEvent(ctx, newEvent("acled", "B2", day0, "cafè")); err != nil {
		t.Fatal(err)
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, counts, store.ImportCounts{Updated: 1})
}

// Rejected rows are kept with their batch, their bytes made storable.
func testImportRejects(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "acled", File: "r.csv", By: "ada"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.AddEvent(ctx, newEvent("acled", "R1", day0, "x")); err != nil {
		t.Fatal(err)
	}
	// More than one chunk of rejects, one with hostile bytes.
	for i := range 250 {
		r := store.Reject{Line: i + 3, Field: "event_date", Reason: "not a date", Value: fmt.Sprint("v", i), Raw: `{"a":"b"}`}
		if i == 7 {
			r.Value, r.Raw = "caf\xe9\x00", "raw\x00\xff"
		}
		if err := im.AddReject(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	im.NoteRejected(250)
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := s.ListImports(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("ListImports: %v, %v", bs, err)
	}
	if g := bs[0]; g.ID != counts.Batch || g.File != "r.csv" || g.By != "ada" || g.Read != 251 || g.New != 1 || g.Rejected != 250 || g.StartedAt.IsZero() {
		t.Errorf("batch %+v", g)
	}
	var rs []store.Reject
	err = s.ImportRejects(ctx, counts.Batch, func(r store.Reject) error {
		rs = append(rs, r)
		return nil
	})
	if err != nil || len(rs) != 250 {
		t.Fatalf("%d rejects, %v", len(rs), err)
	}
	if rs[0].Line != 3 || rs[0].Field != "event_date" || rs[0].Reason != "not a date" || rs[0].Value != "v0" || rs[0].Raw != `{"a":"b"}` {
		t.Errorf("first reject %+v", rs[0])
	}
	if rs[7].Value != "caf\uFFFD\uFFFD" || rs[7].Raw != "raw\uFFFD\uFFFD" {
		t.Errorf("hostile reject stored as %q, %q", rs[7].Value, rs[7].Raw)
	}
	if err := s.ImportRejects(ctx, counts.Batch+1, func(store.Reject) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rejects of a batch that does not exist: %v", err)
	}
	// A batch rolled back keeps no rejects and is not listed.
	im, err = s.BeginImport(ctx, store.ImportMeta{Source: "acled"})
	if err != nil {
		t.Fatal(err)
	}
	im.AddReject(ctx, store.Reject{Line: 2, Reason: "x"})
	im.Rollback()
	if bs, _ := s.ListImports(ctx); len(bs) != 1 {
		t.Errorf("%d batches after a rollback", len(bs))
	}
}

// Two overlapping imports of one source both succeed: one waits for the
// other (or, on SQLite, for its write lock), never a raw constraint error.
func testOverlappingImports(t *testing.T, b Backend) {
	s, _ := open(t, b)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			ctx := t.Context()
			im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled"})
			if err != nil {
				errs[i] = err
				return
			}
			defer im.Rollback()
			for j := range 2000 {
				if err := im.AddEvent(ctx, newEvent("acled", fmt.Sprint(j), day0, "same")); err != nil {
					errs[i] = err
					return
				}
			}
			_, errs[i] = im.Commit(ctx)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("overlapping import: %v", err)
		}
	}
	if n, err := s.CountEvents(t.Context(), store.EventFilter{}); err != nil || n != 2000 {
		t.Errorf("CountEvents = %d, %v; want 2000", n, err)
	}
}
