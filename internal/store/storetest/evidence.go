package storetest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
)

// day0 is the first day of the reference scenario's energy moratorium.
var day0 = time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)

// newEvent is an ACLED-like event; note goes into Text and Raw, so a
// different note is a different version.
func newEvent(source, id string, start time.Time, note string) *event.Event {
	raw := fmt.Sprintf(`{"event_id_cnty":%q,"notes":%q}`, id, note)
	lat, lon := 48.85, 37.6
	return &event.Event{
		Source:   source,
		SourceID: id,
		Time:     event.Span{Start: start, End: start.Add(24 * time.Hour), Precision: event.TimeDay},
		Place:    event.Place{Name: "Sloviansk", Country: "UA", Admin1: "Donetsk", Lat: &lat, Lon: &lon, Precision: event.GeoTown},
		Actors:   []event.Actor{{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "ru"}},
		Kind:     "strike.drone",
		Text:     note,
		Raw:      json.RawMessage(raw),
		Hash:     hashOf(raw),
	}
}

func newClaim(source, id string, start time.Time, text string) *event.Claim {
	raw := fmt.Sprintf(`{"id":%q,"text":%q}`, id, text)
	return &event.Claim{
		Source:    source,
		SourceID:  id,
		Type:      event.ClaimAllegation,
		Claimant:  "ru",
		Accused:   "ua",
		Published: start.Add(36 * time.Hour),
		Time:      event.Span{Start: start, End: start.Add(24 * time.Hour), Precision: event.TimeDay},
		Kind:      "strike.drone",
		Text:      text,
		Raw:       json.RawMessage(raw),
		Hash:      hashOf(raw),
	}
}

func hashOf(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// importBatch imports events and claims in one batch and commits it.
func importBatch(t *testing.T, s store.Store, source string, events []*event.Event, claims []*event.Claim) store.ImportCounts {
	t.Helper()
	ctx := t.Context()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: source, Format: "test", File: source + ".csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range events {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range claims {
		if err := im.AddClaim(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func checkCounts(t *testing.T, got store.ImportCounts, want store.ImportCounts) {
	t.Helper()
	got.Batch = 0
	if got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

func getEvent(t *testing.T, s store.Store, source, id string) event.Event {
	t.Helper()
	e, err := s.GetEvent(t.Context(), source, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func testImportCounts(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	a, bb, c := newEvent("acled", "UKR1", day0, "a"), newEvent("acled", "UKR2", day0, "b"), newEvent("acled", "UKR3", day0, "c")
	first := importBatch(t, s, "acled", []*event.Event{a, bb, c}, nil)
	checkCounts(t, first, store.ImportCounts{New: 3})
	before := getEvent(t, s, "acled", "UKR2")
	if before.Version != 1 || before.ID == 0 {
		t.Fatalf("new event has version %d, id %d", before.Version, before.ID)
	}

	edited := newEvent("acled", "UKR2", day0.Add(time.Hour), "b, fatalities revised")
	second := importBatch(t, s, "acled", []*event.Event{a, edited, newEvent("acled", "UKR4", day0, "d")}, nil)
	checkCounts(t, second, store.ImportCounts{New: 1, Updated: 1, Unchanged: 1})
	if second.Batch <= first.Batch {
		t.Errorf("batch ids %d then %d, want increasing", first.Batch, second.Batch)
	}

	after := getEvent(t, s, "acled", "UKR2")
	if after.Version != 2 || after.ID != before.ID || after.Text != edited.Text || after.Hash != edited.Hash {
		t.Errorf("after update: version %d id %d text %q; want 2, %d, %q", after.Version, after.ID, after.Text, before.ID, edited.Text)
	}
	hist, err := s.EventHistory(ctx, "acled", "UKR2")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || !reflect.DeepEqual(normEvent(hist[0]), normEvent(before)) {
		t.Errorf("history %+v, want the first version %+v", hist, before)
	}
	// Raw records are stored packed (the version keeps the packed form):
	// each reads back byte for byte.
	if len(hist) == 1 && string(hist[0].Raw) != string(bb.Raw) || string(after.Raw) != string(edited.Raw) {
		t.Errorf("raw records read back as %s (history) and %s, want %s and %s", hist[0].Raw, after.Raw, bb.Raw, edited.Raw)
	}
	if got := getEvent(t, s, "acled", "UKR1"); got.Version != 1 {
		t.Errorf("unchanged event has version %d", got.Version)
	}
	hist, err = s.EventHistory(ctx, "acled", "UKR1")
	if err != nil || len(hist) != 0 {
		t.Errorf("history of an unchanged event: %v, %v; want none", hist, err)
	}
	_, err = s.EventHistory(ctx, "acled", "nope")
	checkErr(t, err, store.ErrNotFound)
	_, err = s.GetEvent(ctx, "acled", "nope")
	checkErr(t, err, store.ErrNotFound)
	_, err = s.GetEvent(ctx, "ucdp", "UKR1")
	checkErr(t, err, store.ErrNotFound)

	// The same file again changes nothing.
	third := importBatch(t, s, "acled", []*event.Event{a, edited, c}, nil)
	checkCounts(t, third, store.ImportCounts{Unchanged: 3})
	if n, err := s.CountEvents(ctx, store.EventFilter{}); err != nil || n != 4 {
		t.Errorf("CountEvents = %d, %v; want 4", n, err)
	}
}

func testImportRecordsBatch(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "UKR1", day0, "a")}, nil)
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", Format: "acled-csv", File: "2025-04.csv", By: "carol"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range []*event.Event{newEvent("acled", "UKR1", day0, "a2"), newEvent("acled", "UKR2", day0, "b"), newEvent("acled", "UKR3", day0, "c")} {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.AddClaim(ctx, newClaim("acled", "C1", day0, "claimed")); err != nil {
		t.Fatal(err)
	}
	if n, err := im.MarkDeleted(ctx, []string{"UKR3"}); err != nil || n != 1 {
		t.Fatalf("MarkDeleted in batch = %d, %v; want 1", n, err)
	}
	im.NoteRejected(2) // two bad rows the parser turned away
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, counts, store.ImportCounts{New: 3, Updated: 1, Deleted: 1})

	var (
		source, format, file, by, status                      string
		read, inserted, updated, unchanged, deleted, rejected int
	)
	err = b.QueryRow(ctx, dsn, fmt.Sprintf(`SELECT source, format, file, imported_by, status, read_count, inserted_count,
		updated_count, unchanged_count, deleted_count, rejected_count FROM import_batches WHERE id = %d`, counts.Batch),
		&source, &format, &file, &by, &status, &read, &inserted, &updated, &unchanged, &deleted, &rejected)
	if err != nil {
		t.Fatal(err)
	}
	// Read counts the four records added and the two rows rejected.
	got := fmt.Sprint(source, format, file, by, status, read, inserted, updated, unchanged, deleted, rejected)
	if want := fmt.Sprint("acled", "acled-csv", "2025-04.csv", "carol", "done", 6, 3, 1, 0, 1, 2); got != want {
		t.Errorf("import_batches row %s, want %s", got, want)
	}
	// Every record the batch wrote names it.
	n, err := s.CountEvents(ctx, store.EventFilter{ChangedSince: counts.Batch - 1, IncludeDeleted: true})
	if err != nil || n != 3 {
		t.Errorf("events changed by the batch: %d, %v; want 3", n, err)
	}
}

// A key added twice in one batch is applied twice, in order.
func testImportRepeatedKey(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	v1, v2 := newEvent("acled", "UKR1", day0, "first"), newEvent("acled", "UKR1", day0, "second")
	counts := importBatch(t, s, "acled", []*event.Event{v1, v2, v2}, nil)
	checkCounts(t, counts, store.ImportCounts{New: 1, Updated: 1, Unchanged: 1})
	if got := getEvent(t, s, "acled", "UKR1"); got.Version != 2 || got.Text != "second" {
		t.Errorf("current version %d %q, want 2 %q", got.Version, got.Text, "second")
	}
	hist, err := s.EventHistory(ctx, "acled", "UKR1")
	if err != nil || len(hist) != 1 || hist[0].Text != "first" {
		t.Errorf("history %+v, %v; want the first version", hist, err)
	}
}

// normEvent puts the times of e in the form they read back in, so events
// compare with reflect.DeepEqual.
func normEvent(e event.Event) event.Event {
	e.Time.Start, e.Time.End = normTime(e.Time.Start), normTime(e.Time.End)
	return e
}

func normClaim(c event.Claim) event.Claim {
	c.Time.Start, c.Time.End, c.Published = normTime(c.Time.Start), normTime(c.Time.End), normTime(c.Published)
	return c
}

func normTime(t time.Time) time.Time {
	return time.UnixMicro(t.UnixMicro()).UTC()
}

func testEventRoundTrip(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	kyiv := time.FixedZone("EET", 2*3600)
	lat, lon := 0.1+0.2, -179.99999999999997
	zero := 0
	full := &event.Event{
		Source:   "acled",
		SourceID: "UKR214312",
		Time: event.Span{
			Start:     time.Date(2025, 3, 18, 21, 5, 6, 123456789, kyiv),
			End:       time.Date(2025, 3, 18, 23, 0, 0, 999999000, kyiv),
			Precision: event.TimeExact,
		},
		Place: event.Place{Name: "Слов'янськ", Country: "UA", Admin1: "Donetsk", Admin1ID: "UA-14", Admin2: "Kramatorskyi",
			Admin3: "Sloviansk", Lat: &lat, Lon: &lon, Precision: event.GeoExact},
		Actors: []event.Actor{
			{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "ru"},
			{Name: "Civilians (Ukraine)", Role: "actor2"},
		},
		Kind:       "strike.drone",
		KindReason: &event.Reason{Term: "strike.drone", Field: "sub_event_type", Match: "Air/drone strike", Rule: "acled-sub-event", Inferred: true},
		Targets: []event.Reason{
			{Term: "energy.power_line", Field: "notes", Match: "power line \"Л-110\"", Rule: "r2", Inferred: true},
			{Term: "energy.substation", Field: "notes", Match: "substation"},
		},
		Allegations: []event.Allegation{fullAllegation(&lat, &lon)},
		Fatalities:  &zero,
		Text:        "On 18 March 2025, Russian forces struck a substation\nin Sloviansk — \u2028 'quoted' <b>&amp;",
		// Spacing, key order and escapes as the source wrote them.
		Raw:  json.RawMessage("{ \"b\":1,\n\t\"a\" : \"\\u00e9\\n\", \"z\":[1.50, 2e3 ] }"),
		Hash: hashOf("full"),
	}
	bare := &event.Event{
		Source:   "acled",
		SourceID: "UKR2",
		Time:     event.Span{Start: day0, End: day0},
		Raw:      json.RawMessage(`{}`),
		Hash:     hashOf("bare"),
	}
	empty := newEvent("acled", "UKR3", day0, "no targets")
	empty.Targets, empty.Actors = []event.Reason{}, []event.Actor{}
	// The store sets these; every other field must be set here, so a field
	// added to event.Event that the store does not keep fails this test.
	full.ID, full.Version, full.Deleted = 1, 1, true
	allFieldsSet(t, reflect.ValueOf(*full), "Event")
	full.ID, full.Version, full.Deleted = 0, 0, false
	importBatch(t, s, "acled", []*event.Event{full, bare, empty}, nil)

	for _, in := range []*event.Event{full, bare, empty} {
		got := getEvent(t, s, in.Source, in.SourceID)
		if got.ID == 0 || got.Version != 1 || got.Deleted {
			t.Errorf("%s: id %d version %d deleted %v", in.SourceID, got.ID, got.Version, got.Deleted)
		}
		if got.Time.Start.Location() != time.UTC {
			t.Errorf("%s: time in %v, want UTC", in.SourceID, got.Time.Start.Location())
		}
		want := normEvent(*in)
		want.ID, want.Version = got.ID, 1
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\n got %s\nwant %s", in.SourceID, dump(got), dump(want))
		}
		if string(got.Raw) != string(in.Raw) {
			t.Errorf("%s: raw %q, want %q byte for byte", in.SourceID, got.Raw, in.Raw)
		}
	}
	// The scan reads the same as Get.
	var scanned []event.Event
	err := s.ScanEvents(ctx, store.EventFilter{}, func(e *event.Event) error {
		scanned = append(scanned, *e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scanned) != 3 || !reflect.DeepEqual(scanned[2], getEvent(t, s, "acled", "UKR214312")) {
		t.Errorf("scan read %d events, last %s", len(scanned), dump(scanned[len(scanned)-1]))
	}
}

// allFieldsSet fails t for each field of v, recursively through structs,
// pointers to structs and the first element of slices, that has its zero
// value.
func allFieldsSet(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			t.Errorf("%s is not set: set it, and check the store keeps it", path)
			return
		}
		if v.Elem().Kind() == reflect.Struct { // a pointer to 0 is set
			allFieldsSet(t, v.Elem(), path)
		}
	case reflect.Slice:
		if v.Len() == 0 {
			t.Errorf("%s is not set: set it, and check the store keeps it", path)
			return
		}
		allFieldsSet(t, v.Index(0), path+"[0]")
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if v.Interface().(time.Time).IsZero() {
				t.Errorf("%s is not set", path)
			}
			return
		}
		for i := range v.NumField() {
			allFieldsSet(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	default:
		if v.IsZero() {
			t.Errorf("%s is not set: set it, and check the store keeps it", path)
		}
	}
}

// dump shows a record with the pointers followed.
func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func testClaimRoundTrip(t *testing.T, b Backend) {
	s, _ := open(t, b)
	lat, lon := 51.25, 35.2
	fourteen := 14
	allegation := &event.Claim{
		Source:    "ru-mod",
		SourceID:  "2025-03-21/3",
		Type:      event.ClaimAllegation,
		Claimant:  "ru",
		Accused:   "ua",
		Published: time.Date(2025, 3, 21, 9, 30, 0, 250000, time.UTC),
		Time:      event.Span{Start: day0.Add(72 * time.Hour), End: day0.Add(96 * time.Hour), Precision: event.TimeDay},
		Places: []event.Place{
			{Name: "Sudzha gas metering station", Country: "RU", Admin1: "Kursk", Lat: &lat, Lon: &lon, Precision: event.GeoExact},
			{Country: "RU", Admin1: "Bryansk", Precision: event.GeoAdmin1},
		},
		Kind:    "strike",
		Targets: []event.Reason{{Term: "energy.gas", Field: "text", Match: "gas metering station", Rule: "gas-words", Inferred: true}},
		Allegations: []event.Allegation{
			fullAllegation(&lat, &lon),
			{Part: 2, Kind: "strike", Actor: "ua",
				KindReason:  &event.Reason{Term: "strike", Field: "text", Match: "struck", Rule: "en:struck"},
				ActorReason: &event.Reason{Term: "ua", Field: "text", Match: "Kyiv regime", Rule: "party word"},
				Targets:     []event.Reason{{Term: "energy.oil_gas.pumping", Field: "text", Match: "gas metering station"}},
				Places:      []event.Place{{Name: "Курской", Country: "RU", Admin1: "Kursk Oblast", Admin1ID: "RU-KRS", Lat: &lat, Lon: &lon, Precision: event.GeoAdmin1}}},
		},
		Text: "Kyiv regime forces struck the gas metering station at Sudzha.",
		URL:  "https://example.org/mod/2025-03-21",
		Raw:  json.RawMessage(`{"text": "…", "n": 3}`),
		Hash: hashOf("allegation"),
	}
	count := &event.Claim{
		Source:    "ru-mod",
		SourceID:  "2025-03-22/total",
		Type:      event.ClaimCount,
		Claimant:  "ru",
		Accused:   "ua",
		Published: day0.Add(100 * time.Hour),
		Time:      event.Span{Start: day0.Add(72 * time.Hour), End: day0.Add(96 * time.Hour), Precision: event.TimeDay},
		Count:     &fourteen,
		Text:      "14 attacks on energy facilities in 24 hours",
		Raw:       json.RawMessage(`{"count":"14"}`),
		Hash:      hashOf("count"),
	}
	denial := &event.Claim{
		Source:    "ru-mod",
		SourceID:  "2025-03-22/denial",
		Type:      event.ClaimDenial,
		Claimant:  "ru",
		Published: day0.Add(101 * time.Hour),
		Time:      event.Span{Start: day0, End: day0.Add(time.Hour), Precision: event.TimeHour},
		Answers:   "ua-gs/2025-03-19/1",
		Text:      "denied",
		Raw:       json.RawMessage(`{}`),
		Hash:      hashOf("denial"),
	}
	// Every field in one claim, as for events; no real claim is all three
	// types at once.
	every := *allegation
	every.SourceID, every.Count, every.Answers = "2025-03-21/every", &fourteen, "ua-gs/2025-03-19/1"
	every.Places = append([]event.Place{{Name: "Sudzha", Country: "RU", Admin1: "Kursk", Admin1ID: "RU-KRS",
		Admin2: "Sudzhansky", Admin3: "Sudzha", Lat: &lat, Lon: &lon, Precision: event.GeoTown}}, every.Places...)
	every.Places[0].Lat, every.Places[0].Lon = &lat, &lon
	every.ID, every.Version, every.Deleted = 1, 1, true
	allFieldsSet(t, reflect.ValueOf(every), "Claim")
	every.ID, every.Version, every.Deleted = 0, 0, false
	counts := importBatch(t, s, "ru-mod", nil, []*event.Claim{allegation, count, denial, &every})
	checkCounts(t, counts, store.ImportCounts{New: 4})
	for _, in := range []*event.Claim{allegation, count, denial, &every} {
		got, err := s.GetClaim(t.Context(), in.Source, in.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		want := normClaim(*in)
		want.ID, want.Version = got.ID, 1
		if got.ID == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s round trip:\n got %s\nwant %s", in.SourceID, dump(got), dump(want))
		}
	}
	_, err := s.GetClaim(t.Context(), "ru-mod", "nope")
	checkErr(t, err, store.ErrNotFound)
}

func testClaimVersions(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	c1, c2 := newClaim("ua-gs", "1", day0, "a"), newClaim("ua-gs", "2", day0, "b")
	checkCounts(t, importBatch(t, s, "ua-gs", nil, []*event.Claim{c1, c2}), store.ImportCounts{New: 2})
	first, err := s.GetClaim(ctx, "ua-gs", "2")
	if err != nil {
		t.Fatal(err)
	}
	edited := newClaim("ua-gs", "2", day0, "b, corrected")
	checkCounts(t, importBatch(t, s, "ua-gs", nil, []*event.Claim{c1, edited}), store.ImportCounts{Updated: 1, Unchanged: 1})
	got, err := s.GetClaim(ctx, "ua-gs", "2")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.ID != first.ID || got.Text != edited.Text {
		t.Errorf("updated claim: version %d id %d text %q", got.Version, got.ID, got.Text)
	}
	hist, err := s.ClaimHistory(ctx, "ua-gs", "2")
	if err != nil || len(hist) != 1 || !reflect.DeepEqual(hist[0], first) {
		t.Errorf("claim history %+v, %v; want %+v", hist, err, first)
	}
	_, err = s.ClaimHistory(ctx, "ua-gs", "nope")
	checkErr(t, err, store.ErrNotFound)

	// Deleting and bringing back works as for events.
	if n, err := s.MarkDeleted(ctx, "ua-gs", []string{"1"}); err != nil || n != 1 {
		t.Fatalf("MarkDeleted = %d, %v", n, err)
	}
	if n, err := s.CountClaims(ctx, store.EventFilter{}); err != nil || n != 1 {
		t.Errorf("CountClaims = %d, %v; want 1 once one is deleted", n, err)
	}
	checkCounts(t, importBatch(t, s, "ua-gs", nil, []*event.Claim{c1}), store.ImportCounts{Updated: 1})
	if got, err := s.GetClaim(ctx, "ua-gs", "1"); err != nil || got.Deleted || got.Version != 3 {
		t.Errorf("undeleted claim: %+v, %v", got, err)
	}
}

// snapshot is everything of the evidence a test can see, to compare before
// and after a batch that must leave no trace.
func snapshot(t *testing.T, b Backend, s store.Store, dsn string) string {
	t.Helper()
	ctx := t.Context()
	var out []string
	all := store.EventFilter{IncludeDeleted: true}
	err := s.ScanEvents(ctx, all, func(e *event.Event) error {
		hist, err := s.EventHistory(ctx, e.Source, e.SourceID)
		out = append(out, dump(e), dump(hist))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.ScanClaims(ctx, all, func(c *event.Claim) error {
		hist, err := s.ClaimHistory(ctx, c.Source, c.SourceID)
		out = append(out, dump(c), dump(hist))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"import_batches", "event_versions", "claim_versions"} {
		var n int
		if err := b.QueryRow(ctx, dsn, "SELECT count(*) FROM "+table, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s: %d", table, n))
	}
	return fmt.Sprint(out)
}

// seed stores a first batch for the tests that check a second leaves no
// trace.
func seed(t *testing.T, s store.Store) {
	t.Helper()
	importBatch(t, s, "acled",
		[]*event.Event{newEvent("acled", "UKR1", day0, "a"), newEvent("acled", "UKR2", day0, "b")},
		[]*event.Claim{newClaim("acled", "C1", day0, "c")})
}

func testImportRollback(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	seed(t, s)
	before := snapshot(t, b, s, dsn)

	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", File: "rolled-back.csv"})
	if err != nil {
		t.Fatal(err)
	}
	// Enough to fill several chunks, so some are written before the end.
	for i := range 5000 {
		if err := im.AddEvent(ctx, newEvent("acled", fmt.Sprint("UKR", i), day0, "changed")); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.AddClaim(ctx, newClaim("acled", "C1", day0, "changed")); err != nil {
		t.Fatal(err)
	}
	if _, err := im.MarkDeleted(ctx, []string{"UKR2"}); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("second Rollback: %v", err)
	}
	if err := im.AddEvent(ctx, newEvent("acled", "UKR9", day0, "late")); err == nil {
		t.Error("AddEvent after Rollback succeeded")
	}
	if _, err := im.Commit(ctx); err == nil {
		t.Error("Commit after Rollback succeeded")
	}
	if after := snapshot(t, b, s, dsn); after != before {
		t.Errorf("rollback left a trace:\nbefore %s\nafter  %s", before, after)
	}

	// Rollback after Commit does nothing.
	im, err = s.BeginImport(ctx, store.ImportMeta{Source: "acled"})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddEvent(ctx, newEvent("acled", "UKR9", day0, "kept")); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("Rollback after Commit: %v", err)
	}
	getEvent(t, s, "acled", "UKR9")
}

func testImportInvalid(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	if _, err := s.BeginImport(ctx, store.ImportMeta{File: "x.csv"}); err == nil {
		t.Error("BeginImport without a source succeeded")
	}
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	edit := func(f func(e *event.Event)) *event.Event {
		e := newEvent("acled", "UKR1", day0, "x")
		f(e)
		return e
	}
	for name, e := range map[string]*event.Event{
		"no source id":      edit(func(e *event.Event) { e.SourceID = "" }),
		"other source":      edit(func(e *event.Event) { e.Source = "ucdp" }),
		"no hash":           edit(func(e *event.Event) { e.Hash = "" }),
		"no raw":            edit(func(e *event.Event) { e.Raw = nil }),
		"ends before start": edit(func(e *event.Event) { e.Time.End = e.Time.Start.Add(-time.Microsecond) }),
	} {
		if err := im.AddEvent(ctx, e); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid", name, err)
		}
	}
	editClaim := func(f func(c *event.Claim)) *event.Claim {
		c := newClaim("acled", "C1", day0, "x")
		f(c)
		return c
	}
	for name, c := range map[string]*event.Claim{
		"no source id": editClaim(func(c *event.Claim) { c.SourceID = "" }),
		"unknown type": editClaim(func(c *event.Claim) { c.Type = "rumour" }),
		"no claimant":  editClaim(func(c *event.Claim) { c.Claimant = "" }),
	} {
		if err := im.AddClaim(ctx, c); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid", name, err)
		}
	}
	// A refused record costs the batch nothing else.
	if err := im.AddEvent(ctx, newEvent("acled", "UKR1", day0, "fine")); err != nil {
		t.Fatal(err)
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, counts, store.ImportCounts{New: 1})
}

// A batch that fails part way, here by its context being cancelled as a
// signal would, leaves nothing once rolled back.
func testImportFailsMidway(t *testing.T, b Backend) {
	s, dsn := open(t, b)
	seed(t, s)
	before := snapshot(t, b, s, dsn)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled", File: "half.csv"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		if err := im.AddEvent(ctx, newEvent("acled", fmt.Sprint("UKR", i), day0, "changed")); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.AddEvent(ctx, newEvent("acled", "", day0, "bad")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddEvent without a source id: %v", err)
	}
	cancel()
	var failed error
	for i := range 5000 {
		if failed = im.AddEvent(ctx, newEvent("acled", fmt.Sprint("UKR-late", i), day0, "x")); failed != nil {
			break
		}
	}
	if _, err := im.Commit(ctx); err == nil {
		t.Error("Commit with a cancelled context succeeded")
	}
	if err := im.Rollback(); err != nil {
		t.Errorf("Rollback after a failed Commit: %v", err)
	}
	if after := snapshot(t, b, s, dsn); after != before {
		t.Errorf("failed batch left a trace:\nbefore %s\nafter  %s", before, after)
	}
}

func testMarkDeleted(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	a, other := newEvent("acled", "UKR1", day0, "a"), newEvent("ucdp", "UKR1", day0, "same id, other source")
	importBatch(t, s, "acled", []*event.Event{a, newEvent("acled", "UKR2", day0, "b")}, nil)
	importBatch(t, s, "ucdp", []*event.Event{other}, nil)
	v1 := getEvent(t, s, "acled", "UKR1")

	n, err := s.MarkDeleted(ctx, "acled", []string{"UKR1", "UKR404"})
	if err != nil || n != 1 {
		t.Fatalf("MarkDeleted = %d, %v; want 1 (unknown ids ignored)", n, err)
	}
	if n, err := s.MarkDeleted(ctx, "acled", []string{"UKR1"}); err != nil || n != 0 {
		t.Errorf("MarkDeleted again = %d, %v; want 0", n, err)
	}
	if n, err := s.MarkDeleted(ctx, "acled", nil); err != nil || n != 0 {
		t.Errorf("MarkDeleted of nothing = %d, %v", n, err)
	}
	deleted := getEvent(t, s, "acled", "UKR1")
	if !deleted.Deleted || deleted.Version != 2 || deleted.ID != v1.ID || deleted.Text != "a" {
		t.Errorf("deleted event: deleted %v version %d id %d text %q", deleted.Deleted, deleted.Version, deleted.ID, deleted.Text)
	}
	if got := getEvent(t, s, "ucdp", "UKR1"); got.Deleted {
		t.Error("MarkDeleted reached another source")
	}
	for _, tt := range []struct {
		f    store.EventFilter
		want int
	}{
		{store.EventFilter{}, 2},
		{store.EventFilter{Source: "acled"}, 1},
		{store.EventFilter{IncludeDeleted: true}, 3},
	} {
		if n, err := s.CountEvents(ctx, tt.f); err != nil || n != tt.want {
			t.Errorf("CountEvents(%+v) = %d, %v; want %d", tt.f, n, err, tt.want)
		}
	}

	// Published again upstream: undeleted, as an update.
	counts := importBatch(t, s, "acled", []*event.Event{a}, nil)
	checkCounts(t, counts, store.ImportCounts{Updated: 1})
	back := getEvent(t, s, "acled", "UKR1")
	if back.Deleted || back.Version != 3 || back.ID != v1.ID {
		t.Errorf("undeleted event: deleted %v version %d id %d", back.Deleted, back.Version, back.ID)
	}
	hist, err := s.EventHistory(ctx, "acled", "UKR1")
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, h := range hist {
		states = append(states, fmt.Sprintf("v%d deleted=%v", h.Version, h.Deleted))
	}
	if want := []string{"v1 deleted=false", "v2 deleted=true"}; !reflect.DeepEqual(states, want) {
		t.Errorf("history %v, want %v", states, want)
	}
}

func testScanEvents(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	// More than a page, with many equal start times, so pages break
	// inside runs of ties; added out of time order.
	const n = 2345
	var events []*event.Event
	for i := range n {
		start := day0.Add(time.Duration((n-i)%7) * time.Hour)
		events = append(events, newEvent("acled", fmt.Sprint("A", i), start, "x"))
	}
	first := importBatch(t, s, "acled", events, nil)
	importBatch(t, s, "ucdp", []*event.Event{newEvent("ucdp", "U1", day0.Add(90*time.Minute), "u")}, nil)
	second := importBatch(t, s, "acled", []*event.Event{newEvent("acled", "A5", day0, "edited"), newEvent("acled", "B1", day0.Add(-time.Hour), "new")}, nil)
	if _, err := s.MarkDeleted(ctx, "acled", []string{"A7", "A8"}); err != nil {
		t.Fatal(err)
	}

	scanAll := func(f store.EventFilter) []event.Event {
		var got []event.Event
		err := s.ScanEvents(ctx, f, func(e *event.Event) error {
			got = append(got, *e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	type scanCase struct {
		name string
		f    store.EventFilter
		want func(e event.Event) bool
	}
	tests := []scanCase{
		{"all current", store.EventFilter{}, func(e event.Event) bool { return !e.Deleted }},
		{"with deleted", store.EventFilter{IncludeDeleted: true}, func(e event.Event) bool { return true }},
		{"one source", store.EventFilter{Source: "ucdp"}, func(e event.Event) bool { return e.Source == "ucdp" }},
		{"time window", store.EventFilter{From: day0.Add(time.Hour), To: day0.Add(3 * time.Hour)}, func(e event.Event) bool {
			return !e.Deleted && !e.Time.Start.Before(day0.Add(time.Hour)) && e.Time.Start.Before(day0.Add(3*time.Hour))
		}},
		{"window in another zone", store.EventFilter{From: day0.Add(time.Hour).In(time.FixedZone("EET", 7200)), To: day0.Add(3 * time.Hour)}, func(e event.Event) bool {
			return !e.Deleted && !e.Time.Start.Before(day0.Add(time.Hour)) && e.Time.Start.Before(day0.Add(3*time.Hour))
		}},
		{"changed since first", store.EventFilter{ChangedSince: first.Batch}, func(e event.Event) bool {
			return !e.Deleted && (e.Source == "ucdp" || e.SourceID == "A5" || e.SourceID == "B1")
		}},
		{"changed since second, with deleted", store.EventFilter{ChangedSince: second.Batch, IncludeDeleted: true}, func(e event.Event) bool {
			return e.Deleted
		}},
		{"by id", store.EventFilter{ByID: true}, func(e event.Event) bool { return !e.Deleted }},
		{"by id, changed since first", store.EventFilter{ByID: true, ChangedSince: first.Batch}, func(e event.Event) bool {
			return !e.Deleted && (e.Source == "ucdp" || e.SourceID == "A5" || e.SourceID == "B1")
		}},
		{"by id, without raw, one source", store.EventFilter{ByID: true, NoRaw: true, Source: "ucdp"}, func(e event.Event) bool { return e.Source == "ucdp" }},
	}
	everything := scanAll(store.EventFilter{IncludeDeleted: true})
	if len(everything) != n+2 {
		t.Fatalf("scan read %d events, want %d", len(everything), n+2)
	}
	// A few by id, a deleted one among them; an empty list selects none.
	picked := map[int64]bool{everything[3].ID: true, everything[100].ID: true, everything[2000].ID: true}
	for _, e := range everything {
		if e.SourceID == "A7" {
			picked[e.ID] = true
		}
	}
	ids := slices.Collect(maps.Keys(picked))
	tests = append(tests,
		scanCase{"by id, some ids", store.EventFilter{ByID: true, IDs: ids}, func(e event.Event) bool { return picked[e.ID] && !e.Deleted }},
		scanCase{"some ids, with deleted", store.EventFilter{IDs: ids, IncludeDeleted: true}, func(e event.Event) bool { return picked[e.ID] }},
		scanCase{"no ids", store.EventFilter{IDs: []int64{}}, func(e event.Event) bool { return false }},
	)
	for i := 1; i < len(everything); i++ {
		p, e := everything[i-1], everything[i]
		if e.Time.Start.Before(p.Time.Start) || e.Time.Start.Equal(p.Time.Start) && e.ID <= p.ID {
			t.Fatalf("event %d (%s, %d) comes after (%s, %d)", i, e.Time.Start, e.ID, p.Time.Start, p.ID)
		}
	}
	byID := slices.SortedFunc(slices.Values(everything), func(a, b event.Event) int { return cmp.Compare(a.ID, b.ID) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			in := everything
			if tt.f.ByID {
				in = byID
			}
			for _, e := range in {
				if tt.want(e) {
					want = append(want, e.Source+"/"+e.SourceID)
				}
			}
			var got []string
			for _, e := range scanAll(tt.f) {
				got = append(got, e.Source+"/"+e.SourceID)
				if (e.Raw == nil) != tt.f.NoRaw || e.Actors == nil {
					t.Fatalf("scan with NoRaw %v read raw %q, actors %v", tt.f.NoRaw, e.Raw, e.Actors)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("scanned %d events %.200v, want %d %.200v", len(got), got, len(want), want)
			}
			if n, err := s.CountEvents(ctx, tt.f); err != nil || n != len(want) {
				t.Errorf("CountEvents = %d, %v; want %d", n, err, len(want))
			}
		})
	}
}

func testScanClaims(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	var claims []*event.Claim
	for i := range 30 {
		claims = append(claims, newClaim("ru-mod", fmt.Sprint(i), day0.Add(time.Duration(30-i)*time.Hour), "x"))
	}
	importBatch(t, s, "ru-mod", nil, claims)
	importBatch(t, s, "ua-gs", nil, []*event.Claim{newClaim("ua-gs", "1", day0.Add(2*time.Hour), "y")})
	var got []string
	err := s.ScanClaims(ctx, store.EventFilter{Source: "ru-mod", From: day0.Add(5 * time.Hour), To: day0.Add(8 * time.Hour)},
		func(c *event.Claim) error {
			got = append(got, c.SourceID)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"25", "24", "23"}; !slices.Equal(got, want) {
		t.Errorf("scanned %v, want %v", got, want)
	}
	if n, err := s.CountClaims(ctx, store.EventFilter{}); err != nil || n != 31 {
		t.Errorf("CountClaims = %d, %v; want 31", n, err)
	}
}

func testScanStops(t *testing.T, b Backend) {
	s, _ := open(t, b)
	var events []*event.Event
	for i := range 10 {
		events = append(events, newEvent("acled", fmt.Sprint(i), day0, "x"))
	}
	importBatch(t, s, "acled", events, nil)
	stop := errors.New("enough")
	calls := 0
	err := s.ScanEvents(t.Context(), store.EventFilter{}, func(e *event.Event) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("scan returned %v after %d calls, want %v after 3", err, calls, stop)
	}
	// fn may use the store while the scan runs.
	err = s.ScanEvents(t.Context(), store.EventFilter{}, func(e *event.Event) error {
		_, err := s.GetEvent(t.Context(), e.Source, e.SourceID)
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

// Cancelling the context stops a scan of several pages with the
// context's error, and the page read ahead is dropped.
func testScanCancel(t *testing.T, b Backend) {
	s, _ := open(t, b)
	var events []*event.Event
	for i := range 2500 {
		events = append(events, newEvent("acled", fmt.Sprint(i), day0.Add(time.Duration(i)*time.Minute), "x"))
	}
	importBatch(t, s, "acled", events, nil)
	for _, byID := range []bool{false, true} {
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		err := s.ScanEvents(ctx, store.EventFilter{ByID: byID}, func(e *event.Event) error {
			if calls++; calls == 1500 {
				cancel()
			}
			return nil
		})
		cancel()
		if !errors.Is(err, context.Canceled) || calls < 1500 || calls == 2500 {
			t.Errorf("ByID %v: cancelled scan returned %v after %d calls", byID, err, calls)
		}
	}
}

// Two importers at once, on different sources: on SQLite the second waits
// for the first's write lock, on PostgreSQL they run side by side.
func testConcurrentImports(t *testing.T, b Backend) {
	s, _ := open(t, b)
	sources := []string{"acled", "ucdp"}
	var wg sync.WaitGroup
	results := make([]store.ImportCounts, len(sources))
	errs := make([]error, len(sources))
	for i, source := range sources {
		wg.Go(func() {
			ctx := t.Context()
			im, err := s.BeginImport(ctx, store.ImportMeta{Source: source})
			if err != nil {
				errs[i] = err
				return
			}
			defer im.Rollback()
			for j := range 3000 {
				if err := im.AddEvent(ctx, newEvent(source, fmt.Sprint(j), day0, source)); err != nil {
					errs[i] = err
					return
				}
			}
			results[i], errs[i] = im.Commit(ctx)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("import of %s: %v", sources[i], err)
		}
		checkCounts(t, results[i], store.ImportCounts{New: 3000})
	}
	if n, err := s.CountEvents(t.Context(), store.EventFilter{}); err != nil || n != 6000 {
		t.Errorf("CountEvents = %d, %v; want 6000", n, err)
	}
}

// fullAllegation has every field set, so a round trip shows each one kept.
func fullAllegation(lat, lon *float64) event.Allegation {
	n := 46
	return event.Allegation{Part: 1, Kind: "interception", Tally: true, Attempt: true, Actor: "ua", Count: &n,
		KindReason:  &event.Reason{Term: "interception", Field: "text", Match: "сбиты", Rule: "ru:сбит", Inferred: true},
		ActorReason: &event.Reason{Term: "ua", Field: "text", Match: "украинских", Rule: "party word", Inferred: true},
		CountReason: &event.Reason{Term: "count", Field: "text", Match: "46 беспилотников", Rule: "number before the weapon", Inferred: true},
		Targets:     []event.Reason{{Term: "energy.electricity", Field: "text", Match: "без света", Rule: "ru:без света (consequence)", Inferred: true}},
		Places: []event.Place{{Name: "Брянской", Country: "RU", Admin1: "Bryansk Oblast", Admin1ID: "RU-BRY",
			Admin2: "Klintsovsky", Admin3: "Klintsy", Lat: lat, Lon: lon, Precision: event.GeoAdmin1}},
	}
}
