package load

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
)

// Small files written here, one per hostile or odd case of issues 10 and
// 18; each runs through the whole import path into SQLite.

const acledHeader = "event_id_cnty,event_date,event_type,sub_event_type,actor1,admin1,location,notes\n"

func acledRow(id, date, actor, notes string) string {
	return id + "," + date + ",Explosions/Remote violence,Air/drone strike," + actor + ",Kharkiv,Kharkiv," + notes + "\n"
}

// importText writes text to a file named name and imports it as format.
func (r *rig) importText(t *testing.T, name, format, text string, opts Options) (Summary, error) {
	t.Helper()
	path := filepath.Join(r.dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return r.importPath(t, path, format, opts)
}

func (r *rig) importPath(t *testing.T, path, format string, opts Options) (Summary, error) {
	t.Helper()
	f, err := pipeline.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	opts.Format = f
	ins, err := pipeline.Open(r.ctx, path, nil, opts.Limits)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	for _, in := range ins {
		sum, err = ImportFile(r.ctx, r.st, in, r.enr, opts)
		in.Close()
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func (r *rig) events(t *testing.T) []*event.Event {
	t.Helper()
	var out []*event.Event
	err := r.st.ScanEvents(r.ctx, store.EventFilter{ByID: true}, func(e *event.Event) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMissingValueTokensAreEmpty(t *testing.T) {
	r := newRig(t)
	text := acledHeader + acledRow("X1", "2022-03-01", "NA", "N/A") + acledRow("X2", "2022-03-01", "NULL", "None") +
		acledRow("X3", "2022-03-01", " na ", "Nations Army")
	if _, err := r.importText(t, "na.csv", "acled", text, Options{}); err != nil {
		t.Fatal(err)
	}
	evs := r.events(t)
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	for _, e := range evs[:2] {
		if len(e.Actors) != 0 || e.Text != "" || strings.Contains(string(e.Raw), "NA") || strings.Contains(string(e.Raw), "None") {
			t.Errorf("%s: a missing-value token kept: actors %v, text %q, raw %s", e.SourceID, e.Actors, e.Text, e.Raw)
		}
	}
	if evs[2].Text != "Nations Army" {
		t.Errorf("a value that starts like a token was changed: %q", evs[2].Text)
	}
	// The GeoJSON variant too.
	geo := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":` +
		`{"id":9,"date_start":"2015-01-01","date_end":"2015-01-01","side_a":"NA","source_headline":"None"}}]}`
	if _, err := r.importText(t, "ged.geojson", "ucdp", geo, Options{}); err != nil {
		t.Fatal(err)
	}
	if e := r.events(t)[3]; e.SourceID != "9" || len(e.Actors) != 0 || e.Text != "" {
		t.Errorf("GeoJSON kept a missing-value token: %+v", e)
	}
}

func TestDuplicateHeaderRefused(t *testing.T) {
	r := newRig(t)
	claims, err := mapped.Load("../../../examples/mappings/scenario-claims.yaml")
	if err != nil {
		t.Fatal(err)
	}
	events, err := mapped.Load("../../../examples/mappings/scenario-events.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format, header string
		m              *mapped.Mapping
	}{
		{"acled", "event_id_cnty,event_date,event_type,sub_event_type,actor1,Actor1", nil},
		{"ucdp", "id,date_start,date_end,side_a,side_a", nil},
		{"strikes", "time_start,model,target,target ", nil},
		{"claims", "id,date,text,text", claims},
		{"csv", "id,date,end_date,id", events},
	} {
		_, err := r.importText(t, tc.format+".csv", tc.format, tc.header+"\n", Options{Mapping: tc.m})
		if err == nil || !strings.Contains(err.Error(), "appears twice in the header") {
			t.Errorf("%s: %v", tc.format, err)
		}
	}
	if n, _ := r.st.CountEvents(r.ctx, store.EventFilter{}); n != 0 {
		t.Errorf("%d events stored", n)
	}
}

func TestTruncatedRecordsRejected(t *testing.T) {
	r := newRig(t)
	for _, tc := range []struct{ name, text, reason string }{
		{"quote.csv", acledHeader + acledRow("X1", "2022-03-01", "A", "ok") + "X2,2022-03-01,Battles,Armed clash,A,Kharkiv,Kharkiv,\"cut off mid-fie",
			"at the end of the file"},
		{"short.csv", acledHeader + acledRow("X1", "2022-03-01", "A", "ok") + "X2,2022-03-01,Battles", "has 3 fields"},
	} {
		var bad bytes.Buffer
		sum, err := r.importText(t, tc.name, "acled", tc.text, Options{Bad: &bad, ShowBad: 10})
		if err != nil {
			t.Fatal(err)
		}
		if sum.New+sum.Unchanged != 1 || sum.Rejected != 1 || !strings.Contains(bad.String(), tc.name+":3: ") || !strings.Contains(bad.String(), tc.reason) {
			t.Errorf("%s: %+v, stderr %q", tc.name, sum, bad.String())
		}
	}
	for _, e := range r.events(t) {
		if e.SourceID != "X1" {
			t.Errorf("a truncated record was stored: %s", e.SourceID)
		}
	}
}

func TestEncodings(t *testing.T) {
	r := newRig(t)
	cp1252 := acledHeader + acledRow("X1", "2022-03-01", "A", "caf\xe9") + acledRow("X2", "2022-03-01", "A", "na\xefve") +
		acledRow("X3", "2022-03-01", "A", "r\xe9sum\xe9")
	// Not UTF-8, no --encoding: refused, naming the line and the flag.
	_, err := r.importText(t, "cp.csv", "acled", cp1252, Options{})
	if err == nil || !strings.Contains(err.Error(), "cp.csv:2: not UTF-8") || !strings.Contains(err.Error(), "--encoding") {
		t.Fatalf("cp1252 without --encoding: %v", err)
	}
	sum, err := r.importText(t, "cp.csv", "acled", cp1252, Options{Encoding: "windows-1252"})
	if err != nil || sum.New != 3 || len(sum.Notes) == 0 || !strings.Contains(sum.Notes[0], "windows-1252") {
		t.Fatalf("cp1252 with --encoding: %+v %v", sum, err)
	}
	if e := r.events(t)[0]; e.Text != "café" || !strings.Contains(string(e.Raw), "café") || e.Hash != ingest.Hash(e.Raw) {
		t.Errorf("decoded text %q raw %s", e.Text, e.Raw)
	}
	// An upstream edit café → cafè is seen.
	edited := strings.Replace(cp1252, "caf\xe9", "caf\xe8", 1)
	sum, err = r.importText(t, "cp.csv", "acled", edited, Options{Encoding: "windows-1252"})
	if err != nil || sum.Updated != 1 || sum.Unchanged != 2 {
		t.Fatalf("edited cp1252: %+v %v", sum, err)
	}

	// A UTF-8 byte order mark is dropped; UTF-16 is detected from its own.
	utf8 := acledHeader + acledRow("U1", "2022-03-01", "A", "Харків")
	if sum, err := r.importText(t, "bom.csv", "acled", "\uFEFF"+utf8, Options{}); err != nil || sum.New != 1 {
		t.Fatalf("UTF-8 BOM: %+v %v", sum, err)
	}
	var u16 bytes.Buffer
	u16.Write([]byte{0xFF, 0xFE})
	for _, c := range strings.Replace(utf8, "U1", "U2", 1) {
		u16.WriteByte(byte(c))
		u16.WriteByte(byte(c >> 8))
	}
	sum, err = r.importText(t, "u16.csv", "acled", u16.String(), Options{})
	if err != nil || sum.New != 1 || len(sum.Notes) == 0 || !strings.Contains(sum.Notes[0], "UTF-16LE") {
		t.Fatalf("UTF-16: %+v %v", sum, err)
	}

	// One bad byte and one NUL far into a UTF-8 file: those rows are
	// rejected with line and field, the rest stored.
	var b strings.Builder
	b.WriteString(acledHeader)
	for i := 0; b.Len() < 1100<<10; i++ {
		b.WriteString(acledRow("G"+itoa(i), "2022-03-02", "A", "a long enough note to fill a megabyte of rows quickly "+itoa(i)))
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString(acledRow("BAD1", "2022-03-02", "A", "caf\xe9"))
	b.WriteString(acledRow("BAD2", "2022-03-02", "A\x00B", "nul"))
	var bad bytes.Buffer
	sum, err = r.importText(t, "late.csv", "acled", b.String(), Options{Bad: &bad, ShowBad: 10})
	if err != nil || sum.Rejected != 2 || sum.New != lines-1 {
		t.Fatalf("late bad bytes: %+v %v", sum, err)
	}
	if !strings.Contains(bad.String(), "late.csv:"+itoa(lines+1)+`: field "notes": not UTF-8`) ||
		!strings.Contains(bad.String(), "late.csv:"+itoa(lines+2)+`: field "actor1": holds a NUL byte`) {
		t.Errorf("stderr: %s", bad.String())
	}
	for _, e := range r.events(t) {
		if strings.HasPrefix(e.SourceID, "BAD") {
			t.Errorf("%s stored", e.SourceID)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestLimits(t *testing.T) {
	r := newRig(t)
	lim := pipeline.Limits{}
	lim.MaxField, lim.MaxLine = 1000, 3000
	long := acledHeader + acledRow("X1", "2022-03-01", "A", "ok") + acledRow("X2", "2022-03-01", "A", strings.Repeat("x", 1500))
	_, err := r.importText(t, "field.csv", "acled", long, Options{Limits: lim})
	var le *ingest.LimitError
	if !errors.As(err, &le) || le.Line != 3 || !strings.Contains(err.Error(), "field.csv:3: a field exceeds the limit of 1000 bytes (raise it with --max-field)") {
		t.Fatalf("long field: %v", err)
	}
	lines := acledHeader + acledRow("X1", "2022-03-01", "A", "\""+strings.Repeat("x\n", 2000)+"\"") + acledRow("X2", "2022-03-01", "A", "ok")
	lim.MaxField = 10000
	if _, err = r.importText(t, "lines.csv", "acled", lines, Options{Limits: lim}); !errors.As(err, &le) || le.Line != 2 || le.Flag != "--max-line" {
		t.Fatalf("long record: %v", err)
	}
	// A GeoJSON feature of many short strings, on one line: the record
	// limit counts the feature, not the line.
	feature := `{"type":"Feature","geometry":null,"properties":{"id":1,"date_start":"2015-01-01","date_end":"2015-01-01"}}`
	huge := `{"type":"Feature","geometry":null,"properties":{` + strings.Repeat(`"k":"v",`, 500) + `"id":2}}`
	geo := `{"type":"FeatureCollection","features":[` + strings.Repeat(feature+",", 100) + huge + "]}"
	if _, err = r.importText(t, "big.geojson", "ucdp", geo, Options{Limits: lim}); !errors.As(err, &le) || le.Flag != "--max-line" {
		t.Fatalf("big GeoJSON feature: %v", err)
	}
	if n, _ := r.st.CountEvents(r.ctx, store.EventFilter{}); n != 0 {
		t.Fatalf("a file over a limit stored %d events", n)
	}

	// A gzip bomb: refused, with the limit named.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(acledHeader))
	zero := make([]byte, 1<<20)
	for i := 0; i < 80; i++ {
		zw.Write(zero)
	}
	zw.Close()
	bomb := filepath.Join(r.dir, "bomb.csv.gz")
	os.WriteFile(bomb, gz.Bytes(), 0o644)
	big := pipeline.Limits{}
	big.MaxField, big.MaxLine = 1<<30, 1<<30
	if _, err = r.importPath(t, bomb, "acled", Options{Limits: big}); !errors.As(err, &le) || le.Flag != "--max-ratio" {
		t.Fatalf("gzip bomb: %v", err)
	}
	big.MaxSize = 10 << 20
	if _, err = r.importPath(t, bomb, "acled", Options{Limits: big}); !errors.As(err, &le) || le.Flag != "--max-size" {
		t.Fatalf("gzip bomb under --max-size: %v", err)
	}
}

func TestZipMembers(t *testing.T) {
	r := newRig(t)
	path := filepath.Join(r.dir, "two.zip")
	f, _ := os.Create(path)
	w := zip.NewWriter(f)
	for i, name := range []string{"a.csv", "b.csv", "c.csv"} {
		e, _ := w.Create(name)
		e.Write([]byte(acledHeader + acledRow("Z"+itoa(i), "2022-03-01", "A", "x")))
	}
	w.Close()
	f.Close()
	ins, err := pipeline.Open(context.Background(), path, nil, pipeline.Limits{})
	if err != nil || len(ins) != 3 || ins[1].Name != path+":b.csv" {
		t.Fatalf("%d inputs, %v", len(ins), err)
	}
	closeInputs(ins)
	if _, err := r.importPath(t, path, "acled", Options{}); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.st.CountEvents(r.ctx, store.EventFilter{}); n != 3 {
		t.Errorf("%d events from 3 members", n)
	}
	if _, err := pipeline.Open(context.Background(), path, nil, pipeline.Limits{MaxMembers: 2}); err == nil || !strings.Contains(err.Error(), "--max-members") {
		t.Errorf("over --max-members: %v", err)
	}
}

func closeInputs(ins []*pipeline.Input) {
	for _, in := range ins {
		in.Close()
	}
}

func TestGDELTRefusesOtherFiles(t *testing.T) {
	r := newRig(t)
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*7919 + i/13)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"random.bin", string(random), "not UTF-8"},
		{"binary.bin", "\x01\x02\x03\x00\x00\x7f\n", "binary, not text"},
		{"v1.csv", strings.Repeat("x\t", 56) + "x\n", "GDELT 1.0"},
		{"acled.csv", acledHeader + acledRow("X1", "2022-03-01", "A", "x"), "this is an ACLED export (event_id_cnty, event_date, sub_event_type), not gdelt input: use --format acled"},
	} {
		_, err := r.importText(t, tc.name, "gdelt", tc.text, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if bs, err := r.st.ListImports(r.ctx); err != nil || len(bs) != 0 {
		t.Errorf("refused files recorded %d batches (%v)", len(bs), err)
	}
}

// A file of many bad rows: all are counted, the first KeptRejects kept.
func TestRejectsKeptWithTheirBatch(t *testing.T) {
	r := newRig(t)
	var b strings.Builder
	b.WriteString(acledHeader + acledRow("K1", "2022-03-01", "A", "x"))
	for i := range KeptRejects + 5 {
		b.WriteString(acledRow("K"+itoa(i+2), "2022-02-30", "A", "x"))
	}
	sum, err := r.importText(t, "many.csv", "acled", b.String(), Options{})
	if err != nil || sum.New != 1 || sum.Rejected != KeptRejects+5 {
		t.Fatalf("%+v %v", sum, err)
	}
	bs, err := r.st.ListImports(r.ctx)
	if err != nil || len(bs) != 1 || bs[0].Rejected != KeptRejects+5 || bs[0].Read != KeptRejects+6 {
		t.Fatalf("batches %+v %v", bs, err)
	}
	n, first := 0, store.Reject{}
	err = r.st.ImportRejects(r.ctx, bs[0].ID, func(rj store.Reject) error {
		if n++; n == 1 {
			first = rj
		}
		return nil
	})
	if err != nil || n != KeptRejects {
		t.Fatalf("%d rejects kept, %v", n, err)
	}
	if first.Line != 3 || first.Field != "event_date" || first.Value != "2022-02-30" || !strings.Contains(first.Raw, `"event_id_cnty":"K2"`) {
		t.Errorf("first reject %+v", first)
	}
}
