package acled

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// isoDate and utcDay are ingest.ParseISODate and ingest.DaySpan in UTC,
// down to the time.Time values.
func checkDate(t *testing.T, s string) {
	t.Helper()
	y, m, d, ok := isoDate(s)
	wy, wm, wd, wok := ingest.ParseISODate(s)
	if y != wy || m != wm || d != wd || ok != wok {
		t.Fatalf("isoDate(%q) = %d %d %d %v, want %d %d %d %v", s, y, m, d, ok, wy, wm, wd, wok)
	}
	if !ok {
		return
	}
	if got, want := utcDay(y, m, d), ingest.DaySpan(y, m, d, time.UTC); got != want || !reflect.DeepEqual(got, want) {
		t.Fatalf("utcDay(%q) = %#v, want %#v", s, got, want)
	}
}

func TestISODateAsIngest(t *testing.T) {
	for _, y := range []int{0, 1, 2, 4, 99, 100, 400, 1582, 1600, 1899, 1900, 1969, 1970, 1999, 2000, 2022, 2024, 2025, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				checkDate(t, strings.Join([]string{pad(y, 4), pad(m, 2), pad(d, 2)}, "-"))
			}
		}
	}
	for _, s := range []string{"", "2022-3-01", "2022/03/01", "2022-03-1x", "+022-03-01", "2022-03-01 ", "２０２２-03-01"} {
		checkDate(t, s)
	}
}

func pad(n, w int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", w-len(s)) + s
}

func FuzzISODate(f *testing.F) {
	for _, s := range []string{"2022-03-01", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "1-2-3"} {
		f.Add(s)
	}
	f.Fuzz(checkDate)
}

// validDegrees accepts exactly what parseDegrees accepts.
func checkDegrees(t *testing.T, s string) {
	t.Helper()
	for _, limit := range []int{90, 180} {
		_, want := parseDegrees(s, float64(limit))
		if got := validDegrees(s, limit); got != want {
			t.Fatalf("validDegrees(%q, %d) = %v, want %v", s, limit, got, want)
		}
	}
}

func TestValidDegrees(t *testing.T) {
	for _, s := range []string{"0", "-0", "49.9808", "-17.4", "36.2527", "89.999", "90", "90.0", "-90.0000001", "91", "179.9", "180",
		"180.5", "-180", "999", "1000", "0001.5", "1.", ".5", "-", "", "1e2", "+5", "1_0", "NaN", "inf", "0x1p-2", "12a", "1.2.3",
		"89.99999999999999999999", "-179.999999999999999999999"} {
		checkDegrees(t, s)
	}
}

func FuzzDegrees(f *testing.F) {
	for _, s := range []string{"49.9808", "-17.4", "90", "-180.0", "1e1", "12.", "-.5"} {
		f.Add(s)
	}
	f.Fuzz(checkDegrees)
}

// drop keeps nothing: a converter with it still reports every bad row.
type drop struct{}

func (drop) RelevantTime(event.Span) bool     { return false }
func (drop) Relevant(string, event.Span) bool { return false }

// kindOnly keeps every time and only strikes.
type kindOnly struct{}

func (kindOnly) RelevantTime(event.Span) bool         { return true }
func (kindOnly) Relevant(k string, _ event.Span) bool { return strings.HasPrefix(k, "strike") }

// A Converter gives the Reader's events, Raw and Hash aside, and its bad
// rows whatever the filter; a filter only drops good rows.
func TestConverterAsReader(t *testing.T) {
	var in bytes.Buffer
	in.Write(sample(t, "acled_sample_9000_2022H1.csv"))
	// Bad rows of every kind after the real ones, and two good ones on the
	// slow paths of the date.
	for _, r := range []string{
		row("", "2022-03-01", "1"), row("B1", "2022-02-30", "1"), row("B2", "16 May 2025", "1"), row("B3", "2022-03-01", "2"),
		strings.Replace(row("B4", "2022-03-01", "1"), "49.9808", "north", 1),
		strings.Replace(row("B5", "2022-03-01", "1"), "36.2527", "-180.5", 1),
		strings.Replace(row("B6", "2022-03-01", "1"), ",0,,1650306043", ",-1,,1650306043", 1),
		strings.Replace(row("B7", "2022-03-01", "1"), "Strategic developments,Strategic developments,Disrupted weapons use", ",", 1),
	} {
		in.WriteString(r)
	}
	rd := NewReader(bytes.NewReader(in.Bytes()), "in.csv")
	tb, err := ingest.NewTable(bytes.NewReader(in.Bytes()), "in.csv")
	if err != nil {
		t.Fatal(err)
	}
	cv, err := NewConverter(tb)
	if err != nil {
		t.Fatal(err)
	}
	tb.SetNoRaw()
	records, bad, kept, counts := 0, 0, 0, 0
	for {
		rec, rerr := rd.Next()
		row, terr := tb.Next()
		if errors.Is(rerr, io.EOF) != errors.Is(terr, io.EOF) {
			t.Fatalf("reader %v, table %v", rerr, terr)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if terr != nil {
			if rerr == nil || rerr.Error() != terr.Error() {
				t.Fatalf("reader %v, table %v", rerr, terr)
			}
			counts++ // a field count: the table's own row error, as the reader's
			continue
		}
		ev, re := cv.Convert(row.Line, row.Fields, nil)
		dropped, dre := cv.Convert(row.Line, row.Fields, drop{})
		strikes, sre := cv.Convert(row.Line, row.Fields, kindOnly{})
		if rerr != nil {
			bad++
			for _, e := range []*ingest.RowError{re, dre, sre} {
				if e == nil || e.Error() != rerr.Error() {
					t.Fatalf("line %d: reader says %v, converter %v", row.Line, rerr, e)
				}
			}
			continue
		}
		records++
		if re != nil || dre != nil || sre != nil || dropped != nil {
			t.Fatalf("line %d: %v %v %v %v", row.Line, re, dre, sre, dropped)
		}
		want := *rec.Event
		want.Raw, want.Hash = nil, ""
		if !reflect.DeepEqual(ev, &want) {
			t.Fatalf("line %d: converter %+v, reader %+v", row.Line, ev, &want)
		}
		if strings.HasPrefix(ev.Kind, "strike") != (strikes != nil) || strikes != nil && !reflect.DeepEqual(strikes, &want) {
			t.Fatalf("line %d: kind %s, kept %v", row.Line, ev.Kind, strikes != nil)
		}
		if strikes != nil {
			kept++
		}
	}
	if records != 9002 || bad != 5 || counts != 1 || kept == 0 {
		t.Fatalf("%d records (%d strikes), %d bad rows, %d field counts", records, kept, bad, counts)
	}
}
