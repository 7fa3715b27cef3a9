package ingest_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
)

// csvRecord is one record as encoding/csv reads it.
type csvRecord struct {
	line   int
	fields []string
}

// readCSV reads data with encoding/csv as Table does, up to the first error
// of any kind (nil at the end of the input).
func readCSV(data string) ([]csvRecord, error) {
	cr := csv.NewReader(strings.NewReader(data))
	cr.FieldsPerRecord = -1
	var out []csvRecord
	for {
		f, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		line, _ := cr.FieldPos(0)
		out = append(out, csvRecord{line, f})
	}
}

// checkRecords is the promise of Records: what it reads, encoding/csv
// reads the same, line for line; where it stops, encoding/csv fails on the
// same record (or the text ends with a \r, which it does not try to read).
func checkRecords(t *testing.T, data string) {
	t.Helper()
	want, csvErr := readCSV(data)
	rs := ingest.NewRecords(data)
	var got []csvRecord
	for {
		line, f, ok := rs.Next()
		if !ok {
			break
		}
		got = append(got, csvRecord{line, slices.Clone(f)})
	}
	for i := range got {
		if i >= len(want) {
			t.Fatalf("%q: record %d %q: encoding/csv stopped after %d records (%v)", data, i, got[i].fields, len(want), csvErr)
		}
		if got[i].line != want[i].line || !slices.Equal(got[i].fields, want[i].fields) {
			t.Fatalf("%q: record %d: got line %d %q, encoding/csv line %d %q", data, i, got[i].line, got[i].fields, want[i].line, want[i].fields)
		}
	}
	switch {
	case rs.Plain():
		if csvErr != nil || len(got) != len(want) {
			t.Fatalf("%q: read %d records as plain CSV; encoding/csv read %d, then %v", data, len(got), len(want), csvErr)
		}
		if rs.Lines() != strings.Count(data, "\n") {
			t.Fatalf("%q: %d lines, want %d", data, rs.Lines(), strings.Count(data, "\n"))
		}
	case csvErr == nil && !strings.HasSuffix(data, "\r"):
		t.Fatalf("%q: stopped after %d records; encoding/csv read %d without error", data, len(got), len(want))
	case csvErr != nil && len(got) != len(want):
		t.Fatalf("%q: stopped after %d records; encoding/csv failed after %d: %v", data, len(got), len(want), csvErr)
	}
}

var recordCases = []string{
	"",
	"a",
	"a,b,c\n",
	"a,b,c",
	"a,b,c\r\n1,2,3\r\n",
	",,\n,\n\n",
	"\n\n\na,b\n\n",
	"\r\n\r\na\r\n",
	"a\rb,c\n",
	"a,b\r",
	"a\r",
	"\r",
	`"a","b,c","d""e"` + "\n",
	`"",""""` + "\n" + `""` + "\n",
	"\"multi\nline\",x\n2,y\n",
	"\"crlf\r\ninside\",x\r\n",
	"\"a\r\"\"\r\nb\"\n",
	"\"quoted last\"",
	"\"quoted\"\r\n",
	"\"quoted\"\r",
	"a,\"b\"c\n",     // extraneous quote
	"a\"b,c\n",       // bare quote
	"a,b\"\nc,d\n",   // bare quote at the end of a line
	"\"unterminated", // the text ends in quotes
	"\"unterminated\n\n",
	"x,\"ok\",y\nz,bad\"quote\n",
	"é,ü\xff,\"\x00\"\n",
	"0123456789,0123456789abcdef,,0123456789abcdefg,\"01234567\",01234567\n",
}

func TestRecordsAsEncodingCSV(t *testing.T) {
	for _, c := range recordCases {
		checkRecords(t, c)
	}
	acled := string(ingesttest.Head(t, ingesttest.File(t, "acled-sample-acledR", "acled_sample_9000_2022H1.csv"), 400))
	checkRecords(t, acled)
	checkRecords(t, strings.ReplaceAll(acled, "\n", "\r\n"))
}

func FuzzRecords(f *testing.F) {
	for _, c := range recordCases {
		f.Add(c)
	}
	f.Add(string(ingesttest.Head(f, ingesttest.File(f, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"), 6)))
	f.Fuzz(func(t *testing.T, data string) { checkRecords(t, data) })
}

// chunks drains a chunker.
func chunks(t *testing.T, c *ingest.Chunker) ([]string, error) {
	t.Helper()
	var (
		out []string
		buf []byte
	)
	for i := 0; ; i++ {
		b, err := c.Next(buf)
		if err != nil {
			if b != nil {
				t.Fatal("a chunk with an error")
			}
			return out, err
		}
		if len(b) == 0 {
			t.Fatal("an empty chunk")
		}
		out = append(out, string(b))
		buf = b // reused: the chunker must not keep it
		if i > 1e6 {
			t.Fatal("the chunker does not end")
		}
	}
}

// Chunks cover the text exactly, each but the last ends a line, and each
// starts a record: read chunk by chunk, the records are encoding/csv's.
func TestChunker(t *testing.T) {
	path := ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv")
	data := string(ingesttest.Head(t, path, 1000))
	data = data[strings.IndexByte(data, '\n')+1:]                                       // no header
	data += "\"a quoted\nrecord\",\"with \"\"quotes\"\"\"\n" + data + "last,\"record\"" // multi-line, and no final newline
	want, err := readCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 4096, 10000, 1 << 20} {
		for _, slow := range []bool{false, true} {
			var r io.Reader = strings.NewReader(data)
			if slow {
				r = iotest.HalfReader(iotest.OneByteReader(r))
			}
			cs, err := chunks(t, ingest.NewChunker(r, size))
			if !errors.Is(err, io.EOF) {
				t.Fatalf("size %d: %v", size, err)
			}
			if strings.Join(cs, "") != data {
				t.Fatalf("size %d: the chunks are not the text", size)
			}
			var got []csvRecord
			line := 1
			for i, c := range cs {
				if i < len(cs)-1 && !strings.HasSuffix(c, "\n") {
					t.Fatalf("size %d: chunk %d does not end a line", size, i)
				}
				rs := ingest.NewRecords(c)
				for {
					l, f, ok := rs.Next()
					if !ok {
						break
					}
					got = append(got, csvRecord{line + l - 1, slices.Clone(f)})
				}
				if !rs.Plain() {
					t.Fatalf("size %d: chunk %d is not plain", size, i)
				}
				line += rs.Lines()
			}
			if len(got) != len(want) {
				t.Fatalf("size %d: %d records, want %d", size, len(got), len(want))
			}
			for i := range got {
				if got[i].line != want[i].line || !slices.Equal(got[i].fields, want[i].fields) {
					t.Fatalf("size %d: record %d: %v, want %v", size, i, got[i], want[i])
				}
			}
			if size == 1<<20 && len(cs) != 1 || size == 4096 && len(cs) < 10 {
				t.Errorf("size %d: %d chunks", size, len(cs))
			}
		}
	}
}

// A stray quote leaves no even boundary: the chunks are cut at newlines
// all the same, within their size, and Records stops in the one with the
// quote. A line with no end in sight stops the chunker, and Rest has
// everything it did not return. A read error comes after the chunks before
// it, and Rest then ends with it.
func TestChunkerStops(t *testing.T) {
	line := strings.Repeat("x", 99) + "\n"
	data := strings.Repeat(line, 100) + "\"" + strings.Repeat(line, 10000)
	cs, err := chunks(t, ingest.NewChunker(strings.NewReader(data), 4096))
	if !errors.Is(err, io.EOF) || strings.Join(cs, "") != data {
		t.Fatalf("stray quote: %v, or the chunks are not the text", err)
	}
	for i, ch := range cs {
		if len(ch) > 4096*3/2 || !strings.HasSuffix(ch, "\n") {
			t.Fatalf("stray quote: chunk %d of %d bytes", i, len(ch))
		}
		rs := ingest.NewRecords(ch)
		for {
			if _, _, ok := rs.Next(); !ok {
				break
			}
		}
		if quoted := strings.Contains(ch, "\""); rs.Plain() == quoted {
			t.Fatalf("stray quote: chunk %d plain %v", i, rs.Plain())
		}
	}

	data = strings.Repeat(line, 100) + strings.Repeat("y", 1<<20) + "\n" + line
	c := ingest.NewChunker(strings.NewReader(data), 4096)
	cs, err = chunks(t, c)
	if !errors.Is(err, ingest.ErrNoBoundary) {
		t.Fatalf("got %v, want ErrNoBoundary", err)
	}
	rest, _ := io.ReadAll(c.Rest())
	if strings.Join(cs, "")+string(rest) != data {
		t.Fatal("chunks and rest are not the text")
	}
	if _, err := c.Next(nil); !errors.Is(err, ingest.ErrNoBoundary) {
		t.Fatalf("not sticky: %v", err)
	}

	boom := errors.New("boom")
	c = ingest.NewChunker(io.MultiReader(strings.NewReader(strings.Repeat(line, 100)+"partial"), iotest.ErrReader(boom)), 4096)
	cs, err = chunks(t, c)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the read error", err)
	}
	rest, err = io.ReadAll(c.Rest())
	if !errors.Is(err, boom) || strings.Join(cs, "")+string(rest) != strings.Repeat(line, 100)+"partial" {
		t.Fatalf("rest %q, %v", rest, err)
	}

	// Rest before the end: the read-ahead, then what was not read yet.
	c = ingest.NewChunker(strings.NewReader(strings.Repeat(line, 1000)), 4096)
	first, err := c.Next(nil)
	if err != nil {
		t.Fatal(err)
	}
	rest, _ = io.ReadAll(c.Rest())
	if string(first)+string(rest) != strings.Repeat(line, 1000) {
		t.Fatal("first chunk and rest are not the text")
	}
}

// Rest hands over the text after the header, with its line; ingest.ResumeTable
// goes on from any record boundary with the file's line numbers.
func TestTableRestAndResume(t *testing.T) {
	in := "\uFEFF\n\"id\",\"multi\nline\"\r\n1,a\n\n2,\"b\nc\"\n3\n"
	tb, err := ingest.NewTable(strings.NewReader(in), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	rest, line, ok := tb.Rest()
	text, _ := io.ReadAll(rest)
	if !ok || string(text) != "1,a\n\n2,\"b\nc\"\n3\n" || line != 4 {
		t.Fatalf("rest %q at line %d, %v", text, line, ok)
	}
	st := ingest.ResumeTable(bytes.NewReader(text[4:]), "f.csv", tb.Header(), line+1)
	st.SetNoRaw()
	var lines []int
	for {
		row, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *ingest.RowError
		if err != nil && !errors.As(err, &re) {
			t.Fatal(err)
		}
		if row.Raw != nil || row.Hash != "" {
			t.Fatal("Raw with SetNoRaw")
		}
		if re != nil {
			lines = append(lines, -re.Line)
			if re.Error() != "f.csv:8: has 1 fields, the header has 2" {
				t.Errorf("row error %q", re)
			}
			continue
		}
		lines = append(lines, row.Line)
	}
	if !slices.Equal(lines, []int{6, -8}) {
		t.Fatalf("lines %v, want [6 -8]", lines)
	}
	// Rest mid-table: after a row, at the next record; not after
	// malformed CSV, until a good row.
	const text2 = "a,b\n\"x\ny\",z\nbad\"quote\nc,\"d\ne\"\nf,g\n"
	st = ingest.ResumeTable(strings.NewReader(text2), "f.csv", tb.Header(), 10)
	for i, want := range []struct {
		line int
		ok   bool
		rest string
	}{{11, true, text2[4:]}, {13, true, text2[12:]}, {0, false, ""}, {16, true, "f,g\n"}} {
		st.Next()
		_, line, ok := st.Rest()
		if line != want.line || ok != want.ok {
			t.Fatalf("row %d: Rest at line %d, %v; want %d, %v", i, line, ok, want.line, want.ok)
		}
		if ok && int(st.Offset()) != len(text2)-len(want.rest) {
			t.Fatalf("row %d: offset %d", i, st.Offset())
		}
	}
	r, _, _ := st.Rest()
	if b, _ := io.ReadAll(r); string(b) != "f,g\n" {
		t.Fatalf("rest %q", b)
	}

	// A malformed row after a resume keeps its line too.
	st = ingest.ResumeTable(strings.NewReader("x,\"y\"z\n"), "f.csv", tb.Header(), 41)
	if _, err := st.Next(); err == nil || err.Error() != `f.csv:41: malformed CSV: extraneous or missing " in quoted-field, at the end of the file (cut off?)` {
		t.Fatalf("got %v", err)
	}
}

func BenchmarkRecords(b *testing.B) {
	data := ingesttest.Head(b, ingesttest.File(b, "acled-sample-acledR", "acled_sample_9000_2022H1.csv"), 9001)
	text := string(data)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		rs := ingest.NewRecords(text)
		for {
			if _, _, ok := rs.Next(); !ok {
				break
			}
		}
	}
}

func BenchmarkEncodingCSV(b *testing.B) {
	data := ingesttest.Head(b, ingesttest.File(b, "acled-sample-acledR", "acled_sample_9000_2022H1.csv"), 9001)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.ReuseRecord = true
		for {
			if _, err := cr.Read(); err != nil {
				break
			}
		}
	}
}
