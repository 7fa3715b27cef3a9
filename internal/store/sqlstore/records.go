package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
)

// Table describes one kind of evidence record (events, claims) to the
// shared import and read code.
type Table struct {
	name     string // "events"
	versions string // "event_versions"
	versOf   string // the versions table's column naming the record: "event_id"
	byTime   string // the index in (time_start, id) order
	byBatch  string // the index on batch_id
	// content are the columns a version consists of, between the key and
	// the bookkeeping, in the order rows are encoded and scanned.
	content []string
}

// Name is the table of current versions.
func (t *Table) Name() string { return t.name }

// Columns are the columns an import writes, in the order of the values
// the encoders produce: the key, the content, then batch_id,
// first_seen_at and updated_at.
func (t *Table) Columns() []string {
	cols := append([]string{"source", "source_id"}, t.content...)
	return append(cols, "batch_id", "first_seen_at", "updated_at")
}

// OnConflict is the upsert clause shared by every backend's merge. A row
// whose hash is stored and not deleted is left alone (and not returned);
// any other conflicting row replaces the content in place, keeping id and
// first_seen_at, and the version trigger keeps the old row. RETURNING
// version tells inserts (1) from updates.
func (t *Table) OnConflict() string {
	var b strings.Builder
	b.WriteString("ON CONFLICT (source, source_id) DO UPDATE SET version = ")
	b.WriteString(t.name)
	b.WriteString(".version + 1, deleted = FALSE")
	for _, c := range slices.Concat(t.content, []string{"batch_id", "updated_at"}) {
		fmt.Fprintf(&b, ", %s = excluded.%s", c, c)
	}
	fmt.Fprintf(&b, " WHERE %s.hash <> excluded.hash OR %s.deleted = TRUE RETURNING version", t.name, t.name)
	return b.String()
}

// InsertSQL is the statement of verb ("INSERT", "INSERT OR ROLLBACK")
// that writes rows rows of Columns, followed by clause (" " +
// OnConflict(), or "").
func (t *Table) InsertSQL(verb string, rows int, clause string) string {
	return verb + " INTO " + t.name + " (" + strings.Join(t.Columns(), ", ") + ") VALUES " + valueRows(rows, len(t.Columns())) + clause
}

// StoredSQL is the query of ImportTx.Stored for ids keys of one source:
// their hash and deleted flag, each with its key.
func (t *Table) StoredSQL(ids int) string {
	return "SELECT source_id, hash, deleted FROM " + t.name + " WHERE source = ? AND source_id IN (" + placeholders(ids) + ")"
}

// hashColumn is where the hash is in a row of Columns.
func (t *Table) hashColumn() int {
	return slices.Index(t.Columns(), "hash")
}

// columns lists the record columns a read scans, each with prefix.
func (t *Table) columns(prefix string) string {
	cols := append([]string{"id", "source", "source_id", "version", "deleted"}, t.content...)
	return prefix + strings.Join(cols, ", "+prefix)
}

// scanColumns is columns("") for a scan, with NULL for raw if noRaw.
func (t *Table) scanColumns(noRaw bool) string {
	cols := append([]string{"id", "source", "source_id", "version", "deleted"}, t.content...)
	if noRaw {
		cols[slices.Index(cols, "raw")] = "NULL"
		cols[slices.Index(cols, "raw_packed")] = "NULL"
	}
	return strings.Join(cols, ", ")
}

// historyColumns lists the same for a row of the versions table v joined
// to its record r.
func (t *Table) historyColumns() string {
	return "v." + t.versOf + ", r.source, r.source_id, v.version, v.deleted, v." + strings.Join(t.content, ", v.")
}

var (
	eventsTable = &Table{
		name: "events", versions: "event_versions", versOf: "event_id", byTime: "events_time", byBatch: "events_batch",
		content: []string{"time_start", "time_end", "time_precision",
			"place_name", "country", "admin1", "admin1_id", "admin2", "admin3", "lat", "lon", "geo_precision",
			"kind", "kind_reason", "targets", "allegations", "actors", "fatalities", "text", "raw", "raw_packed", "hash"},
	}
	claimsTable = &Table{
		name: "claims", versions: "claim_versions", versOf: "claim_id", byTime: "claims_time", byBatch: "claims_batch",
		content: []string{"claim_type", "claimant", "accused", "published_at",
			"time_start", "time_end", "time_precision", "places", "kind", "targets", "allegations",
			"claimed_count", "answers", "text", "url", "raw", "raw_packed", "hash"},
	}
)

// encoder turns records into row values, in Table.Columns order. Every
// value is copied or immutable, so the caller may reuse a record at once.
type encoder struct {
	bindTime func(time.Time) any
	batch    int64
	now      any    // the batch's time, bound
	buf      []byte // scratch for JSON
	// packedRaw is what the raw column holds when the record is packed
	// into raw_packed (see ImportOptions.PackedRaw).
	packedRaw any
	packer    rawPacker
	// lastTimes are the last two times bound and their values: records
	// of one file mostly share their days, and formatting a time for
	// SQLite was a tenth of encoding a row.
	lastTimes [2]struct {
		t time.Time
		v any
	}
}

// time binds t, reusing the value of one of the last two times bound (a
// bound time depends on the instant alone, not its location).
func (en *encoder) time(t time.Time) any {
	for i := range en.lastTimes {
		if l := &en.lastTimes[i]; l.v != nil && l.t.Equal(t) {
			return l.v
		}
	}
	en.lastTimes[1] = en.lastTimes[0]
	en.lastTimes[0].t, en.lastTimes[0].v = t, en.bindTime(t)
	return en.lastTimes[0].v
}

// raw returns the values of the raw and raw_packed columns for a record:
// packed if it packs (rawpack.go), else as it is.
func (en *encoder) raw(r *rowVals, raw []byte, text string) (any, any) {
	packed, ok := en.packer.pack(make([]byte, 0, len(raw)/2), raw, text)
	if !ok {
		return r.str(string(raw)), nil
	}
	return en.packedRaw, packed
}

// json returns what appendTo appends to an empty buffer, as a string.
func (en *encoder) json(appendTo func([]byte) []byte) string {
	en.buf = appendTo(en.buf[:0])
	return string(en.buf)
}

func (en *encoder) event(r *rowVals, e *event.Event) {
	var kindReason any
	if e.KindReason != nil {
		kindReason = r.str(en.json(func(b []byte) []byte { return appendReason(b, e.KindReason) }))
	}
	p := &e.Place
	// Few events allege more than their codes: encoding/json for those.
	allegations := "null"
	if e.Allegations != nil {
		b, err := json.Marshal(e.Allegations)
		if err == nil {
			allegations = string(b)
		}
	}
	raw, packed := en.raw(r, e.Raw, e.Text)
	r.vals = append(r.vals,
		r.str(e.Source), r.str(e.SourceID),
		en.time(e.Time.Start), en.time(e.Time.End), r.str(string(e.Time.Precision)),
		r.str(p.Name), r.str(p.Country), r.str(p.Admin1), r.str(p.Admin1ID), r.str(p.Admin2), r.str(p.Admin3),
		floatArg(p.Lat), floatArg(p.Lon), r.str(string(p.Precision)),
		r.str(e.Kind), kindReason,
		r.str(en.json(func(b []byte) []byte { return appendReasons(b, e.Targets) })),
		r.str(allegations),
		r.str(en.json(func(b []byte) []byte { return appendActors(b, e.Actors) })),
		intArg(e.Fatalities), r.str(e.Text), raw, packed, r.str(e.Hash),
		en.batch, en.now, en.now,
	)
}

func (en *encoder) claim(r *rowVals, c *event.Claim) error {
	// Claims are few: their places go through encoding/json.
	places, err := json.Marshal(c.Places)
	if err != nil {
		return fmt.Errorf("places: %w", err)
	}
	allegations, err := json.Marshal(c.Allegations)
	if err != nil {
		return fmt.Errorf("allegations: %w", err)
	}
	raw, packed := en.raw(r, c.Raw, c.Text)
	r.vals = append(r.vals,
		r.str(c.Source), r.str(c.SourceID),
		r.str(string(c.Type)), r.str(c.Claimant), r.str(c.Accused), en.time(c.Published),
		en.time(c.Time.Start), en.time(c.Time.End), r.str(string(c.Time.Precision)),
		r.str(string(places)), r.str(c.Kind), r.str(en.json(func(b []byte) []byte { return appendReasons(b, c.Targets) })),
		r.str(string(allegations)),
		intArg(c.Count), r.str(c.Answers), r.str(c.Text), r.str(c.URL), raw, packed, r.str(c.Hash),
		en.batch, en.now, en.now,
	)
	return nil
}

func floatArg(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func intArg(n *int) any {
	if n == nil {
		return nil
	}
	return int64(*n)
}

// eventRow is an event as read from a row, its JSON columns not yet
// decoded: a scan reads rows on one goroutine and decodes on another.
type eventRow struct {
	e                                        event.Event
	kindReason, targets, allegations, actors []byte
}

// scanEvent reads the columns of eventsTable.columns or historyColumns.
func scanEvent(row scanner) (event.Event, error) {
	r, err := scanEventRow(row)
	if err != nil {
		return r.e, err
	}
	e, err := r.decode()
	return *e, err
}

func scanEventRow(row scanner) (eventRow, error) {
	var (
		r                 eventRow
		timePrec, geoPrec string
		lat, lon          sql.NullFloat64
		fatalities        sql.NullInt64
		raw, packed       []byte
	)
	e := &r.e
	p := &e.Place
	err := row.Scan(&e.ID, &e.Source, &e.SourceID, &e.Version, &e.Deleted,
		timeDest{&e.Time.Start}, timeDest{&e.Time.End}, &timePrec,
		&p.Name, &p.Country, &p.Admin1, &p.Admin1ID, &p.Admin2, &p.Admin3, &lat, &lon, &geoPrec,
		&e.Kind, &r.kindReason, &r.targets, &r.allegations, &r.actors, &fatalities, &e.Text, &raw, &packed, &e.Hash)
	if err != nil {
		return r, err
	}
	e.Time.Precision, p.Precision = event.TimePrecision(timePrec), event.GeoPrecision(geoPrec)
	p.Lat, p.Lon, e.Fatalities = floatPtr(lat), floatPtr(lon), intPtr(fatalities)
	if e.Raw, err = readRaw(raw, packed, e.Text); err != nil {
		return r, fmt.Errorf("event %d: raw: %w", e.ID, err)
	}
	return r, nil
}

func (r *eventRow) decode() (*event.Event, error) {
	e := &r.e
	var err error
	if r.kindReason != nil {
		e.KindReason = new(event.Reason)
		if err := decodeReason(r.kindReason, e.KindReason); err != nil {
			return e, fmt.Errorf("event %d: kind reason: %w", e.ID, err)
		}
	}
	if e.Targets, err = decodeReasons(r.targets); err != nil {
		return e, fmt.Errorf("event %d: targets: %w", e.ID, err)
	}
	if e.Actors, err = decodeActors(r.actors); err != nil {
		return e, fmt.Errorf("event %d: actors: %w", e.ID, err)
	}
	if e.Allegations, err = decodeAllegations(r.allegations); err != nil {
		return e, fmt.Errorf("event %d: allegations: %w", e.ID, err)
	}
	return e, nil
}

// claimRow is a claim as read from a row, its JSON columns not yet decoded.
type claimRow struct {
	c                            event.Claim
	places, targets, allegations []byte
}

// scanClaim reads the columns of claimsTable.columns or historyColumns.
func scanClaim(row scanner) (event.Claim, error) {
	r, err := scanClaimRow(row)
	if err != nil {
		return r.c, err
	}
	c, err := r.decode()
	return *c, err
}

func scanClaimRow(row scanner) (claimRow, error) {
	var (
		r                   claimRow
		claimType, timePrec string
		count               sql.NullInt64
		raw, packed         []byte
	)
	c := &r.c
	err := row.Scan(&c.ID, &c.Source, &c.SourceID, &c.Version, &c.Deleted,
		&claimType, &c.Claimant, &c.Accused, timeDest{&c.Published},
		timeDest{&c.Time.Start}, timeDest{&c.Time.End}, &timePrec,
		&r.places, &c.Kind, &r.targets, &r.allegations, &count, &c.Answers, &c.Text, &c.URL, &raw, &packed, &c.Hash)
	if err != nil {
		return r, err
	}
	c.Type, c.Time.Precision = event.ClaimType(claimType), event.TimePrecision(timePrec)
	c.Count = intPtr(count)
	if c.Raw, err = readRaw(raw, packed, c.Text); err != nil {
		return r, fmt.Errorf("claim %d: raw: %w", c.ID, err)
	}
	return r, nil
}

func (r *claimRow) decode() (*event.Claim, error) {
	c := &r.c
	if err := json.Unmarshal(r.places, &c.Places); err != nil {
		return c, fmt.Errorf("claim %d: places: %w", c.ID, err)
	}
	var err error
	if c.Targets, err = decodeReasons(r.targets); err != nil {
		return c, fmt.Errorf("claim %d: targets: %w", c.ID, err)
	}
	if c.Allegations, err = decodeAllegations(r.allegations); err != nil {
		return c, fmt.Errorf("claim %d: allegations: %w", c.ID, err)
	}
	return c, nil
}

// readRaw is the raw record of a row: unpacked from raw_packed if it
// holds it, else the raw column (nil when a scan left both out).
func readRaw(raw, packed []byte, text string) (json.RawMessage, error) {
	if packed == nil {
		return raw, nil
	}
	return unpackRaw(make([]byte, 0, 2*len(packed)+len(text)), packed, text)
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}
