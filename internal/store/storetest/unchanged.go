package storetest

import (
	"reflect"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// testImportUnchanged: Importer.Unchanged finds the records stored as they
// are (same hash, not deleted), counts them, and judges a key the batch
// has just added against that addition, not what was stored before.
func testImportUnchanged(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	a, bb, c, d := newEvent("acled", "U1", day0, "a"), newEvent("acled", "U2", day0, "b"),
		newEvent("acled", "U3", day0, "c"), newEvent("acled", "U4", day0, "d")
	cl := newClaim("acled", "C1", day0, "claimed")
	importBatch(t, s, "acled", []*event.Event{a, bb, c, d}, []*event.Claim{cl})
	if _, err := s.MarkDeleted(ctx, "acled", []string{"U4"}); err != nil {
		t.Fatal(err)
	}

	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	// U3 is added changed, then asked about with its stored hash: the
	// addition comes first, so it is not unchanged.
	c2 := newEvent("acled", "U3", day0, "c, revised")
	if err := im.AddEvent(ctx, c2); err != nil {
		t.Fatal(err)
	}
	edited := newEvent("acled", "U2", day0, "b, revised")
	got, err := im.Unchanged(ctx, []store.RecordKey{
		{SourceID: "U1", Hash: a.Hash},               // stored as it is
		{SourceID: "U2", Hash: edited.Hash},          // edited upstream
		{SourceID: "U3", Hash: c.Hash},               // changed by this batch just now
		{SourceID: "U4", Hash: d.Hash},               // deleted: to be brought back
		{SourceID: "U9", Hash: a.Hash},               // never stored
		{Claim: true, SourceID: "C1", Hash: cl.Hash}, // a claim, stored as it is
		{SourceID: "C1", Hash: cl.Hash},              // no event has that key
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, false, false, false, true, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unchanged = %v, want %v", got, want)
	}
	for _, e := range []*event.Event{edited, d, newEvent("acled", "U9", day0, "new")} {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// U1 and C1 unchanged (counted by Unchanged), U9 new, U2, U3 and U4
	// updated.
	checkCounts(t, counts, store.ImportCounts{New: 1, Updated: 3, Unchanged: 2})

	// A key given twice in one call is left to the writer, whichever
	// occurrence matches what is stored: the last one must win.
	im, err = s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	got, err = im.Unchanged(ctx, []store.RecordKey{{SourceID: "U1", Hash: edited.Hash}, {SourceID: "U1", Hash: a.Hash}})
	if err != nil || got[0] || got[1] {
		t.Errorf("Unchanged of a key given twice = %v, %v; want false, false", got, err)
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}

	// A source with nothing stored: nothing is unchanged.
	im, err = s.BeginImport(ctx, store.ImportMeta{Source: "other", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for range 2 { // the second call answers without asking the store
		got, err = im.Unchanged(ctx, []store.RecordKey{{SourceID: "U1", Hash: a.Hash}})
		if err != nil || got[0] {
			t.Errorf("Unchanged of a new source = %v, %v; want false", got, err)
		}
	}
}
