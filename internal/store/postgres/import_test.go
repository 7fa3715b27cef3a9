package postgres_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/postgres"
)

var day = time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)

func acledEvent(id, note string, i int) *event.Event {
	raw := fmt.Sprintf(`{"event_id_cnty":%q,"notes":%q}`, id, note)
	start := day.Add(time.Duration(i%97) * time.Hour)
	return &event.Event{
		Source: "acled", SourceID: id,
		Time:  event.Span{Start: start, End: start.Add(24 * time.Hour), Precision: event.TimeDay},
		Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown},
		Kind:  "strike.drone", Text: note,
		Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw)),
	}
}

// importEvents runs one batch of events, committed or not.
func importEvents(t *testing.T, s store.Store, events []*event.Event, commit bool) store.ImportCounts {
	t.Helper()
	ctx := t.Context()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range events {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if !commit {
		return store.ImportCounts{}
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func openTest(t *testing.T) (*postgres.Store, *sql.DB) {
	t.Helper()
	dsn := newDatabase(t, serverDSN(t))
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// The first batch of a source looks up only keys it wrote itself (its
// source lock keeps other imports of the source out). Repeats far apart
// (in other chunks) and near (in one chunk) must still be found, whether
// changed or not, and a second batch of the source looks up all.
func TestImportFreshSourceRepeats(t *testing.T) {
	s, _ := openTest(t)
	const n = 12000 // more than one chunk
	var batch []*event.Event
	for i := range n {
		batch = append(batch, acledEvent(fmt.Sprintf("UKR%d", i), "first", i))
		if i == 10500 {
			// A repeat before the end: the first batch into the empty
			// table builds its key index again here, and goes on.
			batch = append(batch, acledEvent("UKR5", "mid", 5))
		}
	}
	batch = append(batch,
		acledEvent("UKR0", "changed", 0),         // far repeat, changed
		acledEvent("UKR1", "first", 1),           // far repeat, unchanged
		acledEvent("UKR11999", "changed", 11999), // near repeat, changed
	)
	got := importEvents(t, s, batch, true)
	if got.New != n || got.Updated != 3 || got.Unchanged != 1 {
		t.Errorf("first batch: %+v, want %d new, 3 updated, 1 unchanged", got, n)
	}
	for id, want := range map[string]string{"UKR0": "changed", "UKR1": "first", "UKR5": "mid", "UKR11999": "changed"} {
		e, err := s.GetEvent(t.Context(), "acled", id)
		if err != nil || e.Text != want {
			t.Errorf("%s: %q, %v; want %q", id, e.Text, err, want)
		}
	}
	// The source has records now: every key is looked up.
	got = importEvents(t, s, []*event.Event{acledEvent("UKR2", "first", 2), acledEvent("UKR3", "again", 3), acledEvent("UKR99999", "new", 4)}, true)
	if got.New != 1 || got.Updated != 1 || got.Unchanged != 1 {
		t.Errorf("second batch: %+v, want 1 new, 1 updated, 1 unchanged", got)
	}
}

// The first batch into an empty table builds its secondary indexes at the
// commit, after dropping them in its transaction: a batch that fails
// leaves them as they were, and one that commits leaves them built.
func TestImportEmptyTableIndexes(t *testing.T) {
	s, db := openTest(t)
	indexes := func() string {
		t.Helper()
		var list string
		err := db.QueryRowContext(t.Context(), `SELECT string_agg(def, '; ' ORDER BY def) FROM (
			SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'events'
			UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = 'events'::regclass) d`).Scan(&list)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	want := indexes()
	var batch []*event.Event
	for i := range 3000 {
		batch = append(batch, acledEvent(fmt.Sprintf("UKR%d", i), "", i))
	}
	importEvents(t, s, batch, false)
	if got := indexes(); got != want {
		t.Errorf("after a rolled back first batch: indexes %q, want %q", got, want)
	}
	importEvents(t, s, batch, true)
	if got := indexes(); got != want {
		t.Errorf("after a committed first batch: indexes %q, want %q", got, want)
	}
	var invalid int
	err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_index WHERE indrelid = 'events'::regclass AND NOT indisvalid`).Scan(&invalid)
	if err != nil || invalid != 0 {
		t.Errorf("invalid indexes of events: %d, %v", invalid, err)
	}
	n, err := s.CountEvents(t.Context(), store.EventFilter{From: day, To: day.Add(1000 * time.Hour)})
	if err != nil || n != 3000 {
		t.Errorf("events in time: %d, %v; want 3000", n, err)
	}
}
