package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlite"
)

// The first batch of a source looks up only keys it wrote itself. Repeats
// far apart (in other chunks) and near (in one chunk) must still be found,
// whether changed or not, and a second batch of the source looks up all.
func TestImportFreshSourceRepeats(t *testing.T) {
	ctx := t.Context()
	s, _ := openFile(t)
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	ev := func(id, note string) *event.Event {
		raw := fmt.Sprintf(`{"event_id_cnty":%q,"notes":%q}`, id, note)
		return &event.Event{
			Source: "acled", SourceID: id,
			Time:  event.Span{Start: day, End: day.Add(24 * time.Hour), Precision: event.TimeDay},
			Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown},
			Kind:  "strike.drone", Text: note,
			Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw)),
		}
	}
	const n = 5000 // more than one chunk
	var batch []*event.Event
	for i := range n {
		batch = append(batch, ev(fmt.Sprintf("UKR%d", i), "first"))
	}
	batch = append(batch,
		ev("UKR0", "changed"),    // far repeat, changed
		ev("UKR1", "first"),      // far repeat, unchanged
		ev("UKR4999", "changed"), // near repeat, changed
	)
	run := func(events []*event.Event) store.ImportCounts {
		t.Helper()
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
		counts, err := im.Commit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return counts
	}
	got := run(batch)
	if got.New != n || got.Updated != 2 || got.Unchanged != 1 {
		t.Errorf("first batch: %+v, want %d new, 2 updated, 1 unchanged", got, n)
	}
	for id, want := range map[string]string{"UKR0": "changed", "UKR1": "first", "UKR4999": "changed"} {
		e, err := s.GetEvent(ctx, "acled", id)
		if err != nil || e.Text != want {
			t.Errorf("%s: %q, %v; want %q", id, e.Text, err, want)
		}
	}
	// The source has records now: every key is looked up.
	got = run([]*event.Event{ev("UKR2", "first"), ev("UKR3", "again"), ev("UKR9999", "new")})
	if got.New != 1 || got.Updated != 1 || got.Unchanged != 1 {
		t.Errorf("second batch: %+v, want 1 new, 1 updated, 1 unchanged", got)
	}
}

// The first batch into an empty table builds its secondary indexes at the
// commit, after dropping them in its transaction: a batch that fails
// leaves them as they were, and one that commits leaves them built.
func TestImportEmptyTableIndexes(t *testing.T) {
	ctx := t.Context()
	s, path := openFile(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	indexes := func() string {
		t.Helper()
		var list string
		err := db.QueryRowContext(ctx, `SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema
			WHERE type = 'index' AND tbl_name = 'events' ORDER BY name)`).Scan(&list)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	want := indexes()
	if !strings.Contains(want, "events_time") {
		t.Fatalf("indexes of events: %q, want events_time among them", want)
	}
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	batch := func(commit bool) {
		t.Helper()
		im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		for i := range 3000 {
			id := fmt.Sprintf("UKR%d", i)
			raw := fmt.Sprintf(`{"event_id_cnty":%q}`, id)
			start := day.Add(time.Duration(i%97) * time.Hour)
			err := im.AddEvent(ctx, &event.Event{
				Source: "acled", SourceID: id,
				Time:  event.Span{Start: start, End: start, Precision: event.TimeDay},
				Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown},
				Kind:  "strike.drone", Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw)),
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			if _, err := im.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	batch(false)
	if got := indexes(); got != want {
		t.Errorf("after a rolled back first batch: indexes %q, want %q", got, want)
	}
	batch(true)
	if got := indexes(); got != want {
		t.Errorf("after a committed first batch: indexes %q, want %q", got, want)
	}
	var check string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity check: %q, %v", check, err)
	}
	// The index serves a time scan with every row.
	n, err := s.CountEvents(ctx, store.EventFilter{From: day, To: day.Add(1000 * time.Hour)})
	if err != nil || n != 3000 {
		t.Errorf("events in time: %d, %v; want 3000", n, err)
	}
}

// A committed import leaves an empty write-ahead log, so that a process
// which exits right after it (before its connection is closed) leaves the
// next one no log to read through.
func TestImportTruncatesLog(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "truce.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		id := fmt.Sprintf("UKR%d", i)
		raw := fmt.Sprintf(`{"event_id_cnty":%q,"notes":%q}`, id, strings.Repeat("x", 500))
		err := im.AddEvent(ctx, &event.Event{
			Source: "acled", SourceID: id,
			Time:  event.Span{Start: day, End: day, Precision: event.TimeDay},
			Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown},
			Kind:  "strike.drone", Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw)),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path + "-wal")
	if err != nil || fi.Size() != 0 {
		t.Errorf("write-ahead log after the import: %v, %v; want it empty", fi.Size(), err)
	}
	if n, err := s.CountEvents(ctx, store.EventFilter{}); err != nil || n != 3000 {
		t.Errorf("events: %d, %v; want 3000", n, err)
	}
}

// A scan of the whole table in id order (evaluate's full scan) reads
// without the memory map, so a command reading every event does not hold
// the file in its memory, and gives its connections back as they were:
// mapped, for the reads that follow (a server's).
func TestWholeScanMapsNothingAndRestores(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "truce.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for i := range n {
		raw := fmt.Sprintf(`{"event_id_cnty":"UKR%d"}`, i)
		err := im.AddEvent(ctx, &event.Event{Source: "acled", SourceID: fmt.Sprintf("UKR%d", i),
			Time:  event.Span{Start: day, End: day.Add(24 * time.Hour), Precision: event.TimeDay},
			Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown}, Kind: "strike",
			Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw))})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	mapped := func() []int64 {
		t.Helper()
		// Hold several connections at once, so that every pooled one is asked.
		var sizes []int64
		var conns []*sql.Conn
		for range 4 {
			c, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			var v int64
			if err := c.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&v); err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, v)
		}
		for _, c := range conns {
			c.Close()
		}
		return sizes
	}
	seen, inScan := 0, int64(-1)
	err = s.ScanEvents(ctx, store.EventFilter{ByID: true}, func(*event.Event) error {
		if seen++; seen == n/2 {
			// Mid-scan, the scan's readers hold their own connections: a
			// connection of the pool is still mapped.
			inScan = mapped()[0]
		}
		return nil
	})
	if err != nil || seen != n {
		t.Fatalf("scan: %d of %d, %v", seen, n, err)
	}
	if inScan <= 0 {
		t.Errorf("a pooled connection during the scan maps %d bytes", inScan)
	}
	for _, v := range mapped() {
		if v <= 0 {
			t.Errorf("after the scan a pooled connection maps %d bytes, want the store's mapping back", v)
		}
	}
}

// An in-memory database has one connection: a whole-table scan holds none
// of it between pages, so its callback may use the store (evaluate writes
// findings as it scans) without waiting for ever.
func TestWholeScanInMemoryLetsTheCallbackIn(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	const n = 1500
	for i := range n {
		raw := fmt.Sprintf(`{"event_id_cnty":"UKR%d"}`, i)
		if err := im.AddEvent(ctx, &event.Event{Source: "acled", SourceID: fmt.Sprintf("UKR%d", i),
			Time:  event.Span{Start: day, End: day.Add(24 * time.Hour), Precision: event.TimeDay},
			Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown}, Kind: "strike",
			Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err = s.ScanEvents(ctx, store.EventFilter{ByID: true}, func(*event.Event) error {
		seen++
		_, err := s.CountUsers(ctx)
		return err
	})
	if err != nil || seen != n {
		t.Fatalf("scan with the store used from its callback: %d of %d, %v", seen, n, err)
	}
}
