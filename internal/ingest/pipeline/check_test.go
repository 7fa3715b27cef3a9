package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
)

// checkRig is what `truce check` builds once: agreements, matcher, enricher.
type checkRig struct {
	enr *Enricher
	m   map[bool]*match.Matcher // by near misses
}

var testAgreements = []string{"testdata/check-2022.yaml", "../../../examples/agreements/energy-moratorium-2025.yaml"}

func newCheckRig(t testing.TB) *checkRig {
	t.Helper()
	var ags []*agreement.Agreement
	for _, p := range testAgreements {
		ag, err := agreement.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ags = append(ags, ag)
	}
	gaz := geo.Builtin()
	r := &checkRig{enr: NewEnricherBuilding(classify.New, gaz, NewParties(ags...)), m: map[bool]*match.Matcher{}}
	for _, nm := range []bool{false, true} {
		m, err := match.NewWith(match.Options{NoNearMisses: !nm, ResolveAdmin1: func(name string) (string, bool) {
			u, ok := gaz.Resolve(name)
			return u.ID, ok
		}}, ags...)
		if err != nil {
			t.Fatal(err)
		}
		r.m[nm] = m
	}
	return r
}

// outcome is everything a check run shows: each item as `truce check`
// prints it (the row error, or each finding as JSON), the record count and
// the error that ended the run.
type outcome struct {
	items   []string
	records int
	err     string
}

func (r *checkRig) run(t testing.TB, c Check, in io.Reader, name string) outcome {
	t.Helper()
	if c.Format.Name == "" {
		c.Format, _ = Lookup("acled")
	}
	c.Enricher = r.enr
	var o outcome
	n, err := c.Run(context.Background(), in, name, func(it *Item) error {
		if it.Bad != nil {
			if it.Line != it.Bad.Line || it.Event != nil || it.Claim != nil || len(it.Results) > 0 {
				t.Fatalf("bad row item %+v", it)
			}
			o.items = append(o.items, "bad: "+it.Bad.Error())
			return nil
		}
		if len(it.Results) == 0 {
			t.Fatalf("line %d: an item without results", it.Line)
		}
		f := report.Finding{File: name, Line: it.Line}
		if it.Event != nil {
			f.SetEvent(it.Event)
		} else {
			f.SetClaim(it.Claim)
		}
		for i := range it.Results {
			f.Result = it.Results[i]
			b, err := json.Marshal(&f)
			if err != nil {
				t.Fatal(err)
			}
			o.items = append(o.items, string(b))
		}
		return nil
	})
	o.records = n
	if err != nil {
		o.err = err.Error()
	}
	return o
}

// same runs the sequential reference and the fast paths (several worker
// counts and chunk sizes, down to chunks of a few records) over one input,
// with near misses on and off, and wants the same outcome from each.
func (r *checkRig) same(t *testing.T, data []byte, name string, reader func([]byte) io.Reader) outcome {
	t.Helper()
	if reader == nil {
		reader = func(b []byte) io.Reader { return bytes.NewReader(b) }
	}
	var first outcome
	for _, nm := range []bool{false, true} {
		want := r.run(t, Check{Matcher: r.m[nm], Sequential: true}, reader(data), name)
		if !nm {
			first = want
		}
		for _, c := range []Check{
			{Matcher: r.m[nm]},
			{Matcher: r.m[nm], Workers: 1, ChunkSize: 4096},
			{Matcher: r.m[nm], Workers: 3, ChunkSize: 4096},
			{Matcher: r.m[nm], Workers: 2, ChunkSize: 64 << 10},
		} {
			got := r.run(t, c, reader(data), name)
			label := fmt.Sprintf("%s near misses %v, %d workers, chunks of %d", name, nm, c.Workers, c.ChunkSize)
			if got.records != want.records || got.err != want.err {
				t.Fatalf("%s: %d records, error %q; sequential: %d, %q", label, got.records, got.err, want.records, want.err)
			}
			if !slices.Equal(got.items, want.items) {
				for i := range min(len(got.items), len(want.items)) {
					if got.items[i] != want.items[i] {
						t.Fatalf("%s: item %d:\n got  %s\n want %s", label, i, got.items[i], want.items[i])
					}
				}
				t.Fatalf("%s: %d items, sequential %d", label, len(got.items), len(want.items))
			}
		}
	}
	return first
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(ingesttest.File(t, "acled-sample-acledR", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The real ACLED samples: the fast paths find what the sequential loop
// finds, item for item.
func TestCheckRealSamples(t *testing.T) {
	r := newCheckRig(t)
	for _, name := range []string{"acled_sample_9000_2022H1.csv", "acled_sample_ukraine_2022H1.csv", "acled_sample_argentina_326.csv"} {
		o := r.same(t, readSample(t, name), name, nil)
		t.Logf("%s: %d records, %d items", name, o.records, len(o.items))
		if name != "acled_sample_argentina_326.csv" && len(o.items) == 0 {
			t.Errorf("%s: no findings: the test agreement should have some", name)
		}
	}
}

// replay writes a file of rounds of the Ukraine sample with fresh ids, as
// bench/cmd/gen-acled does, with the rows returned by bad(round, i) in
// place of some.
func replay(t testing.TB, rounds int, bad func(round, i int, row string) string) []byte {
	t.Helper()
	return replayOf(t, "acled_sample_ukraine_2022H1.csv", rounds, bad)
}

func replayOf(t testing.TB, sample string, rounds int, bad func(round, i int, row string) string) []byte {
	t.Helper()
	data := string(readSample(t, sample))
	header, body, _ := strings.Cut(data, "\n")
	rows := strings.SplitAfter(body, "\n")
	if rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	var out strings.Builder
	out.WriteString(header + "\n")
	for round := range rounds {
		for i, row := range rows {
			id, rest, _ := strings.Cut(row, ",")
			row = fmt.Sprintf("%s-r%d,%s", id, round, rest)
			if bad != nil {
				row = bad(round, i, row)
			}
			out.WriteString(row)
		}
	}
	return []byte(out.String())
}

// Bad rows in the middle of chunks keep their lines and messages, and
// multi-line notes and CRLF line ends keep the lines of what follows.
func TestCheckReplayWithBadRows(t *testing.T) {
	r := newCheckRig(t)
	data := replay(t, 12, func(round, i int, row string) string {
		switch (round*690 + i) % 211 {
		case 5:
			return strings.Replace(row, ",2022-", ",2022-13-", 1) // a bad date
		case 17:
			f := strings.SplitN(row, ",", 3)
			return f[0] + "," + f[1] + "\n" // too few fields
		case 40:
			return strings.Replace(row, `,"`, `,"line one`+"\n"+`line two`+"\r\n"+`line three `, 1) // notes on three lines
		case 77:
			return strings.Replace(row, ",Europe,", ",Europe,,", 1) // one field too many
		case 101:
			return "\n" // an empty line
		case 150:
			return strings.Replace(row, "\n", "\r\n", 1)
		}
		return row
	})
	o := r.same(t, data, "replay.csv", nil)
	bad := 0
	for _, it := range o.items {
		if strings.HasPrefix(it, "bad: ") {
			bad++
		}
	}
	if o.records < 7000 || bad < 100 || len(o.items) < 200 {
		t.Fatalf("%d records, %d items, %d bad: the replay does not exercise enough", o.records, len(o.items), bad)
	}
	for _, want := range []string{`bad: replay.csv:7: field "event_date": not a date (want 2025-05-16, 16 May 2025, 9-May-20, 14/08/2020 or 8/14/2020, with or without a time) (2022-13-04-15)`,
		`bad: replay.csv:19: has 2 fields, the header has 31`} {
		if !slices.Contains(o.items, want) {
			t.Errorf("missing %s", want)
		}
	}
}

// A stray quote makes encoding/csv report a malformed row and read on in
// its own way: the fast path hands over to it from the chunk it is in, and
// everything comes out as from the sequential loop.
func TestCheckMalformedQuotes(t *testing.T) {
	r := newCheckRig(t)
	for _, tc := range []struct {
		name string
		bad  func(round, i int, row string) string
	}{
		{"bare quote", func(round, i int, row string) string {
			if round == 3 && i == 100 {
				return strings.Replace(row, ",Europe,", `,Eu"rope,`, 1)
			}
			return row
		}},
		{"extraneous quote", func(round, i int, row string) string {
			if round == 5 && i == 10 {
				return strings.Replace(row, `",`, `"x,`, 1)
			}
			return row
		}},
		{"unterminated quote", func(round, i int, row string) string {
			if round == 9 && i == 689 {
				return strings.Replace(row, `",`, `,`, 1)
			}
			return row
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := r.same(t, replay(t, 10, tc.bad), "replay.csv", nil)
			malformed := false
			for _, it := range o.items {
				malformed = malformed || strings.Contains(it, "malformed CSV")
			}
			if !malformed {
				t.Fatal("no malformed row reported")
			}
		})
	}
}

// The last record may end without a newline, or with a \r there.
func TestCheckEndOfInput(t *testing.T) {
	r := newCheckRig(t)
	data := replay(t, 2, nil)
	r.same(t, bytes.TrimSuffix(data, []byte("\n")), "no-newline.csv", nil)
	r.same(t, append(bytes.TrimSuffix(data, []byte("\n")), '\r'), "cr.csv", nil)
	r.same(t, []byte(string(data[:bytes.IndexByte(data, '\n')+1])), "header-only.csv", nil)
	r.same(t, nil, "empty.csv", nil)
	r.same(t, []byte("event_id_cnty,event_date\nA,2022-03-20\n"), "missing-columns.csv", nil)
}

// A read error mid-file: the records before it are checked, and the error
// ends the run as in the sequential loop.
func TestCheckReadError(t *testing.T) {
	r := newCheckRig(t)
	data := replay(t, 4, nil)
	boom := errors.New("disk on fire")
	for _, at := range []int{100, 1 << 12, len(data) / 3, len(data) - 10} {
		o := r.same(t, data, "broken.csv", func(b []byte) io.Reader {
			return io.MultiReader(iotest.HalfReader(bytes.NewReader(b[:at])), iotest.ErrReader(boom))
		})
		if o.err != "broken.csv: disk on fire" && (at > 1000 || o.err != "broken.csv: reading header: disk on fire") {
			t.Fatalf("at %d: error %q", at, o.err)
		}
	}
}

// Compressed input and standard input go through the same path.
func TestCheckGzipAndStdin(t *testing.T) {
	r := newCheckRig(t)
	data := replay(t, 3, nil)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	path := filepath.Join(t.TempDir(), "replay.csv.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _ := Lookup("acled")
	want := r.run(t, Check{Format: f, Matcher: r.m[false], Sequential: true}, bytes.NewReader(data), "-")
	for _, name := range []string{path, "-"} {
		in, err := openOne(name, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got := r.run(t, Check{Format: f, Matcher: r.m[false], ChunkSize: 8192}, in, "-")
		in.Close()
		if !slices.Equal(got.items, want.items) || got.records != want.records || got.err != "" {
			t.Fatalf("%s: %d items, %d records, %q; want %d, %d", name, len(got.items), got.records, got.err, len(want.items), want.records)
		}
	}
}

// Formats without a row converter take the reader loop, with the
// prefilter: the daily strike reports give what they gave before.
func TestCheckOtherFormats(t *testing.T) {
	r := newCheckRig(t)
	strikes := ingesttest.File(t, "missile-attacks-ukraine", "missile_attacks_daily.csv")
	data, err := os.ReadFile(strikes)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Lookup("strikes")
	for _, nm := range []bool{false, true} {
		want := r.run(t, Check{Format: f, Matcher: r.m[nm], Sequential: true}, bytes.NewReader(data), "s.csv")
		got := r.run(t, Check{Format: f, Matcher: r.m[nm]}, bytes.NewReader(data), "s.csv")
		if !slices.Equal(got.items, want.items) || got.records != want.records || got.err != want.err || len(want.items) == 0 {
			t.Fatalf("near misses %v: %d items, %d records; want %d, %d", nm, len(got.items), got.records, len(want.items), want.records)
		}
	}
}

// Cancelling stops the run with the context's error, and an error from
// emit stops it with that error; either way no goroutine is left behind
// (the race detector and -count catch a worker still writing).
func TestCheckStops(t *testing.T) {
	r := newCheckRig(t)
	data := replay(t, 6, nil)
	f, _ := Lookup("acled")
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	c := Check{Format: f, Matcher: r.m[true], Enricher: r.enr, ChunkSize: 4096}
	_, err := c.Run(ctx, bytes.NewReader(data), "x.csv", func(*Item) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	stop := errors.New("stop")
	n = 0
	_, err = c.Run(context.Background(), bytes.NewReader(data), "x.csv", func(*Item) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 5 {
		t.Fatalf("got %v after %d items, want stop after 5", err, n)
	}
}

// BenchmarkCheck is `truce check` on replayed ACLED files without the
// command line: the sequential loop of before, and the chunked path on
// every core and on one. "world" replays the 9,000-row sample as
// bench/run.sh does (a fortieth of its rows get past the prefilter),
// "ukraine" the Ukraine sample, where a quarter do.
func BenchmarkCheck(b *testing.B) {
	r := newCheckRig(b)
	inputs := []struct {
		name string
		data []byte
	}{
		{"world", replayOf(b, "acled_sample_9000_2022H1.csv", 4, nil)}, // 36,000 rows, 20 MB
		{"ukraine", replay(b, 40, nil)},                                // 27,600 rows, 16 MB
	}
	f, _ := Lookup("acled")
	for _, in := range inputs {
		for _, bc := range []struct {
			name string
			c    Check
		}{
			{"sequential", Check{Sequential: true}},
			{"chunked", Check{}},
			{"chunked-1-worker", Check{Workers: 1}},
		} {
			b.Run(in.name+"/"+bc.name, func(b *testing.B) {
				benchCheck(b, r, bc.c, f, in.data)
			})
		}
	}
}

func benchCheck(b *testing.B, r *checkRig, c Check, f Format, data []byte) {
	c.Format, c.Matcher, c.Enricher = f, r.m[false], r.enr
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		n, err := c.Run(context.Background(), bytes.NewReader(data), "bench.csv", func(*Item) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}
