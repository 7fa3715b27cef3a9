package ingest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRowErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    RowError
		want string
	}{
		{RowError{File: "a.csv", Line: 7, Field: "event_date", Reason: "not a date", Value: "2022-02-30"},
			`a.csv:7: field "event_date": not a date (2022-02-30)`},
		{RowError{File: "a.csv", Line: 7, Field: "id", Reason: "missing"}, `a.csv:7: field "id": missing`},
		{RowError{File: "a.csv", Line: 3, Reason: "has 2 fields, the header has 31"}, `a.csv:3: has 2 fields, the header has 31`},
		{RowError{File: "a.csv", Line: 1, Field: "notes", Reason: "bad", Value: strings.Repeat("é", 100)},
			`a.csv:1: field "notes": bad (` + strings.Repeat("é", 57) + `...)`},
		{RowError{File: "a.csv", Line: 1, Field: "x", Reason: "bad", Value: "two\nlines\xff"}, `a.csv:1: field "x": bad (two\nlines\xff)`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestFormatError(t *testing.T) {
	err := FormatError("f.csv", 1, "missing required column \"id\"")
	if !errors.Is(err, ErrFormat) || err.Error() != `f.csv:1: missing required column "id"` {
		t.Errorf("%v", err)
	}
	if got := FormatError("a.zip", 0, "archive has no file").Error(); got != "a.zip: archive has no file" {
		t.Errorf("%v", got)
	}
}

func TestRawBuilder(t *testing.T) {
	b := NewRawBuilder([]string{"b", "a", "b", "c"})
	raw, hash := b.Build([]string{"1", "x\"y\\z\n\t\x01é\xff", "", "3", "extra"})
	want := `{"a":"x\"y\\z\n\t\u0001é\ufffd","b":"1","c":"3","col_5":"extra"}`
	if string(raw) != want {
		t.Errorf("raw %s\nwant %s", raw, want)
	}
	if hash != Hash(raw) || len(hash) != 64 {
		t.Errorf("hash %s", hash)
	}
	// A repeated name gets a suffix rather than a duplicate key.
	raw, _ = b.Build([]string{"1", "", "2", ""})
	if string(raw) != `{"b":"1","b_2":"2"}` {
		t.Errorf("raw %s", raw)
	}
	if raw, _ := b.Build(nil); string(raw) != "{}" {
		t.Errorf("raw %s", raw)
	}
}

// FuzzRawJSON: whatever the fields, Raw is valid JSON that gives the fields
// back (invalid UTF-8 as U+FFFD, as encoding/json does).
func FuzzRawJSON(f *testing.F) {
	f.Add("name", "plain ascii value, long enough for two words", "")
	f.Add("a\"b", "x\"y\\z\n\t\x01é\xff\u2028", "\x7f")
	f.Fuzz(func(t *testing.T, k, v1, v2 string) {
		b := NewRawBuilder([]string{k, "second"})
		raw, _ := b.Build([]string{v1, v2})
		var got map[string]string
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("invalid JSON %q: %v", raw, err)
		}
		want := map[string]string{}
		if v1 != "" {
			want[viaJSON(k)] = viaJSON(v1)
		}
		if v2 != "" {
			want["second"] = viaJSON(v2)
		}
		if k == "second" && v1 != "" {
			return // the suffix rule renames the second column
		}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for key, w := range want {
			if got[key] != w {
				t.Fatalf("%q: got %q, want %q", key, got[key], w)
			}
		}
	})
}

// viaJSON is s after a round trip through encoding/json: each invalid byte
// becomes U+FFFD.
func viaJSON(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}

func TestDates(t *testing.T) {
	for _, tc := range []struct {
		in   string
		iso  bool
		want string
	}{
		{"2022-04-30", true, "2022-04-30"},
		{"2024-02-29", true, "2024-02-29"},
		{"2023-02-29", true, ""},
		{"2022-4-30", true, ""},
		{"16 May 2025", false, "2025-05-16"},
		{"6 jan 2025", false, "2025-01-06"},
		{"31 April 2025", false, ""},
		{"16 Mai 2025", false, ""},
		{"16  May 2025", false, ""},
	} {
		parse := ParseDayMonthYear
		if tc.iso {
			parse = ParseISODate
		}
		y, m, d, ok := parse(tc.in)
		got := ""
		if ok {
			got = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		t.Skip("no zone data")
	}
	// The day summer time starts in Kyiv has 23 hours.
	sp := DaySpan(2025, time.March, 30, kyiv)
	if sp.End.Sub(sp.Start) != 23*time.Hour || sp.Start != time.Date(2025, 3, 29, 22, 0, 0, 0, time.UTC) {
		t.Errorf("DST day %v", sp)
	}
	if sp := MonthSpan(2024, time.December, time.UTC); sp.End != time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("December %v", sp)
	}
}

func TestCountries(t *testing.T) {
	for _, tc := range []struct {
		f        func(string) string
		in, want string
	}{
		{CountryFromISONumeric, "804", "UA"}, {CountryFromISONumeric, "643", "RU"}, {CountryFromISONumeric, "4", "AF"},
		{CountryFromISONumeric, "032", "AR"}, {CountryFromISONumeric, "0", "XK"}, {CountryFromISONumeric, "999", ""},
		{CountryFromISONumeric, "", ""}, {CountryFromISONumeric, "12345", ""}, {CountryFromISONumeric, "UA", ""},
		{CountryFromFIPS, "UP", "UA"}, {CountryFromFIPS, "RS", "RU"}, {CountryFromFIPS, "GM", "DE"}, {CountryFromFIPS, "GA", "GM"}, {CountryFromFIPS, "GB", "GA"}, {CountryFromFIPS, "LO", "SK"},
		{CountryFromFIPS, "KV", "XK"}, {CountryFromFIPS, "UK", "GB"}, {CountryFromFIPS, "US", "US"}, {CountryFromFIPS, "OS", ""},
		{CountryFromGW, "369", "UA"}, {CountryFromGW, "365", "RU"}, {CountryFromGW, "482", "CF"}, {CountryFromGW, "490", "CD"},
		{CountryFromGW, "70", "MX"}, {CountryFromGW, "678", "YE"}, {CountryFromGW, "1", ""},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"Shot down a UAV", "uav", true}, {"MISSILE", "missile", true}, {"missil", "missile", false},
		{"", "x", false}, {"abc", "", true}, {"dronedrone", "drone", true}, {"Молнія", "uav", false},
	} {
		if got := ContainsFold(tc.s, tc.w); got != tc.want {
			t.Errorf("ContainsFold(%q, %q) = %v", tc.s, tc.w, got)
		}
	}
}

func TestTableHeader(t *testing.T) {
	tb, err := NewTable(strings.NewReader("\uFEFF A ,b\n1,2\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Col("a") != 0 || tb.Col("B") != 1 || tb.Col("c") != -1 {
		t.Errorf("columns %v", tb.Header())
	}
	if err := tb.Require("a", "c", "d"); err == nil || err.Error() != `t.csv:1: missing required column "c", "d"` {
		t.Errorf("require: %v", err)
	}
	if _, err := NewTable(strings.NewReader("\"a\n"), "t.csv"); !errors.Is(err, ErrFormat) {
		t.Errorf("broken header: %v", err)
	}
}

func BenchmarkRawBuilder(b *testing.B) {
	fields := []string{"UKR56925", "2022-04-30", "2022", "1", "Political violence", "Violence against civilians",
		"Abduction/forced disappearance", "Military Forces of Russia (2000-)", "", "8", "Civilians (Ukraine)",
		"Government of Ukraine (2019-)", "7", "78", "", "804", "Europe", "Ukraine", "Kherson", "Beryslavskyi",
		"Beryslavska", "Zmiivka", "46.8646", "33.5835", "1", "24 Channel", "National",
		"On 30 April 2022, Russian forces kidnapped the Head of Zmiivka village, Kherson.", "0", "", "1652217210"}
	rb := NewRawBuilder(make([]string, len(fields)))
	n := 0
	for _, f := range fields {
		n += len(f)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		rb.Build(fields)
	}
}

// BenchmarkRawMarshal is the alternative RawBuilder replaces: a map through
// encoding/json (which also sorts keys), then the hash.
func BenchmarkRawMarshal(b *testing.B) {
	fields := []string{"UKR56925", "2022-04-30", "2022", "1", "Political violence", "Violence against civilians",
		"Abduction/forced disappearance", "Military Forces of Russia (2000-)", "", "8", "Civilians (Ukraine)",
		"Government of Ukraine (2019-)", "7", "78", "", "804", "Europe", "Ukraine", "Kherson", "Beryslavskyi",
		"Beryslavska", "Zmiivka", "46.8646", "33.5835", "1", "24 Channel", "National",
		"On 30 April 2022, Russian forces kidnapped the Head of Zmiivka village, Kherson.", "0", "", "1652217210"}
	names := make([]string, len(fields))
	for i := range names {
		names[i] = "column_" + string(rune('a'+i))
	}
	b.ReportAllocs()
	for b.Loop() {
		m := make(map[string]string, len(fields))
		for i, f := range fields {
			if f != "" {
				m[names[i]] = f
			}
		}
		raw, _ := json.Marshal(m)
		_ = Hash(raw)
	}
}
