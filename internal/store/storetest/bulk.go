package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// testImportBulkRoundTrip: a batch large enough for every bulk path of a
// backend (multi-row statements, several chunks, and the rows left over)
// reads back field for field, raw records byte for byte, in a whole-table
// scan.
func testImportBulkRoundTrip(t *testing.T, b Backend) {
	s, _ := open(t, b)
	const n = 2345
	in := make([]*event.Event, n)
	for i := range in {
		e := newEvent("acled", fmt.Sprint("B", i), day0.Add(time.Duration(i)*time.Minute), fmt.Sprintf("note %d \"quoted\" é", i))
		if i%3 == 0 {
			e.Fatalities = &i
		}
		in[i] = e
	}
	checkCounts(t, importBatch(t, s, "acled", in, nil), store.ImportCounts{New: n})
	i := 0
	err := s.ScanEvents(t.Context(), store.EventFilter{ByID: true}, func(got *event.Event) error {
		if i >= n {
			return fmt.Errorf("more than %d events", n)
		}
		want := *in[i]
		want.ID, want.Version = got.ID, 1
		if g, w := normEvent(*got), normEvent(want); !reflect.DeepEqual(g, w) {
			t.Errorf("event %d read back as\n%+v\nwant\n%+v", i, g, w)
		}
		if string(got.Raw) != string(want.Raw) {
			t.Errorf("event %d: raw %s, want %s", i, got.Raw, want.Raw)
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Errorf("scan read %d events, want %d", i, n)
	}
}
