package sqlite_test

import (
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

func aloneEvents(n int, note string) []*event.Event {
	day := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []*event.Event
	for i := range n {
		id := fmt.Sprintf("UKR%d", i)
		raw := fmt.Sprintf(`{"event_id_cnty":%q,"notes":%q}`, id, note)
		out = append(out, &event.Event{
			Source: "acled", SourceID: id,
			Time:  event.Span{Start: day, End: day.Add(24 * time.Hour), Precision: event.TimeDay},
			Place: event.Place{Name: "Sloviansk", Country: "UA", Precision: event.GeoTown},
			Kind:  "strike.drone", Text: note,
			Raw: json.RawMessage(raw), Hash: ingest.Hash([]byte(raw)),
		})
	}
	return out
}

// aloneBatch runs a batch of events, and says whether it held the file
// alone (a rollback journal beside the file while it ran) and whether
// read, run meanwhile, could read.
func aloneBatch(t *testing.T, s *sqlite.Store, path string, sole, commit bool, read func() error) (alone bool) {
	t.Helper()
	ctx := t.Context()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "test", Sole: sole})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range aloneEvents(3000, "x") {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	_, err = os.Stat(path + "-journal")
	alone = err == nil
	if read != nil {
		if err := read(); err != nil {
			t.Errorf("a reader during the batch: %v", err)
		}
	}
	if commit {
		if _, err := im.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	} else if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	return alone
}

// openFile opens a store in a new file, closed when t ends.
func openFile(t *testing.T) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "truce.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func journalMode(t *testing.T, s *sqlite.Store) string {
	t.Helper()
	var mode string
	if err := s.DB().QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	return mode
}

// A sole first batch into an empty file holds the file alone and leaves it
// in WAL mode, whether it commits or rolls back; a later batch, or one that
// does not say it is sole, goes through the log.
func TestImportAlone(t *testing.T) {
	ctx := t.Context()
	s, path := openFile(t)
	count := func() int {
		n, err := s.CountEvents(ctx, store.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if !aloneBatch(t, s, path, true, false, nil) {
		t.Error("a sole first batch into an empty file went through the log")
	}
	if n, mode := count(), journalMode(t, s); n != 0 || mode != "wal" {
		t.Errorf("after it rolled back: %d events, journal %q; want none, wal", n, mode)
	}
	if aloneBatch(t, s, path, false, false, nil) {
		t.Error("a batch that is not sole held the file alone")
	}
	if !aloneBatch(t, s, path, true, true, nil) {
		t.Error("a sole first batch into an empty file went through the log")
	}
	if n, mode := count(), journalMode(t, s); n != 3000 || mode != "wal" {
		t.Errorf("after it committed: %d events, journal %q; want 3000, wal", n, mode)
	}
	if _, err := os.Stat(path + "-journal"); err == nil {
		t.Error("a rollback journal is left beside the file")
	}
	if aloneBatch(t, s, path, true, true, nil) {
		t.Error("a sole batch into a file with events held it alone")
	}
}

// Another connection to the file, of another store (another process would
// do the same), keeps a sole first batch on the log, and reads meanwhile.
func TestImportAloneNotWhileOpen(t *testing.T) {
	ctx := t.Context()
	s, path := openFile(t)
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	read := func() error {
		n, err := other.CountEvents(ctx, store.EventFilter{})
		if err == nil && n != 0 {
			err = fmt.Errorf("%d events before the commit", n)
		}
		return err
	}
	if err := read(); err != nil { // leaves a connection open
		t.Fatal(err)
	}
	if aloneBatch(t, s, path, true, true, read) {
		t.Error("a batch held the file alone while another store had it open")
	}
	if n, err := other.CountEvents(ctx, store.EventFilter{}); err != nil || n != 3000 {
		t.Errorf("after the commit: %d events, %v", n, err)
	}
}

// A store opened on the file while a first batch holds it alone waits the
// busy timeout, then fails saying why, not with SQLite's bare "database is
// locked".
func TestOpenWhileImportAlone(t *testing.T) {
	s, path := openFile(t)
	read := func() error {
		other, err := sqlite.Open(t.Context(), path)
		if err == nil {
			other.Close()
			return fmt.Errorf("opened while the batch held the file alone")
		}
		if !strings.Contains(err.Error(), "a first import into a new file") {
			return fmt.Errorf("the error does not say why: %v", err)
		}
		return nil
	}
	if !aloneBatch(t, s, path, true, true, read) {
		t.Fatal("the batch did not hold the file alone")
	}
	other, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("after the batch: %v", err)
	}
	other.Close()
}
