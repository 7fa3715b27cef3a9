package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// testRecordSearch: the filters a reader narrows a records list with, and
// a scan resumed after a record, on events and claims alike.
func testRecordSearch(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1 := newEvent("acled", "E1", day0, "power station hit")
	e1.Targets = []event.Reason{{Term: "energy.electricity", Field: "notes", Match: "power station"}}
	e2 := newEvent("acled", "E2", day0.Add(time.Hour), "shelling of a school")
	e2.Kind = "strike.artillery"
	e2.Targets = []event.Reason{{Term: "civilian.education", Field: "notes", Match: "school"}}
	e3 := newEvent("acled", "E3", day0.Add(2*time.Hour), "clash near Belgorod")
	e3.Kind, e3.Place.Country, e3.Place.Admin1ID = "ground.clash", "RU", "RU-BEL"
	// A category whose name extends another's must not match it.
	e4 := newEvent("acled", "E4", day0.Add(3*time.Hour), "energetics")
	e4.Targets = []event.Reason{{Term: "energyx", Field: "notes", Match: "x"}}
	c1 := newClaim("mod", "C1", day0, "drone on a gas station in Sudzha")
	c1.Places = []event.Place{{Country: "RU", Admin1: "Kursk", Admin1ID: "RU-KRS"}}
	c1.Targets = []event.Reason{{Term: "energy.oil_gas", Field: "text", Match: "gas station"}}
	c2 := newClaim("mod", "C2", day0.Add(time.Hour), "100%_off")
	c2.Kind = "interception"
	importBatch(t, s, "acled", []*event.Event{e1, e2, e3, e4}, nil)
	importBatch(t, s, "mod", nil, []*event.Claim{c1, c2})

	events := func(f store.EventFilter) []string {
		t.Helper()
		var ids []string
		if err := s.ScanEvents(t.Context(), f, func(e *event.Event) error { ids = append(ids, e.SourceID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	claims := func(f store.EventFilter) []string {
		t.Helper()
		var ids []string
		if err := s.ScanClaims(t.Context(), f, func(c *event.Claim) error { ids = append(ids, c.SourceID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	for _, c := range []struct {
		name string
		got  []string
		want []string
	}{
		{"kind and narrower", events(store.EventFilter{Kind: "strike"}), []string{"E1", "E2", "E4"}},
		{"kind exactly", events(store.EventFilter{Kind: "strike.artillery"}), []string{"E2"}},
		{"kind no prefix of a word", events(store.EventFilter{Kind: "strike.dr"}), nil},
		{"category and narrower", events(store.EventFilter{Category: "energy"}), []string{"E1"}},
		{"category exactly", events(store.EventFilter{Category: "civilian.education"}), []string{"E2"}},
		{"country of an event", events(store.EventFilter{Country: "RU"}), []string{"E3"}},
		{"filters together", events(store.EventFilter{Kind: "strike", Country: "UA", Category: "civilian"}), []string{"E2"}},
		{"country of a claim's places", claims(store.EventFilter{Country: "RU"}), []string{"C1"}},
		{"admin-1 of an event", events(store.EventFilter{Admin1: "RU-BEL"}), []string{"E3"}},
		{"admin-1 of a claim's places", claims(store.EventFilter{Admin1: "RU-KRS"}), []string{"C1"}},
		{"admin-1 elsewhere", claims(store.EventFilter{Admin1: "RU-BEL"}), nil},
		{"admin-1 and country", events(store.EventFilter{Admin1: "RU-BEL", Country: "UA"}), nil},
		{"category of a claim", claims(store.EventFilter{Category: "energy.oil_gas"}), []string{"C1"}},
		{"wildcards are literal", claims(store.EventFilter{Kind: "%"}), nil},
		{"after the first event", events(store.EventFilter{After: &store.Cursor{RecordTime: day0, ID: first(t, s)}}), []string{"E2", "E3", "E4"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if n, err := s.CountEvents(t.Context(), store.EventFilter{Kind: "strike"}); err != nil || n != 3 {
		t.Errorf("count by kind: %d, %v", n, err)
	}
}

// first is the id of the first event in time order.
func first(t *testing.T, s store.Store) int64 {
	var id int64
	err := s.ScanEvents(t.Context(), store.EventFilter{}, func(e *event.Event) error {
		if id == 0 {
			id = e.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
