package postgres

import (
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/jackc/pgx/v5"
)

// Values copied in the binary format read back as they went in, at the
// edges of each type, NULLs included.
func TestCopyBinaryRoundTrip(t *testing.T) {
	dsn := os.Getenv("TRUCE_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("TRUCE_REQUIRE_POSTGRES") == "1" {
			t.Fatal("TRUCE_REQUIRE_POSTGRES=1 but TRUCE_TEST_POSTGRES is not set")
		}
		t.Skip("TRUCE_TEST_POSTGRES is not set")
	}
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE copied (t TEXT, j JSONB, s SMALLINT, i INTEGER,
		b BIGINT, f DOUBLE PRECISION, ok BOOLEAN, at TIMESTAMPTZ, raw BYTEA)`); err != nil {
		t.Fatal(err)
	}
	cols := []string{"t", "j", "s", "i", "b", "f", "ok", "at", "raw"}
	types, err := columnTypes(ctx, tx, "copied", cols)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Харків, \"quoted\"", `{"a":[1,"é"]}`, int64(math.MinInt16), int64(math.MaxInt32), int64(math.MinInt64),
			-1.5e-300, true, time.Date(1899, 12, 31, 23, 59, 59, 999999000, time.UTC), []byte{0, 1, 0xff}},
		{"", `null`, 7, int64(math.MinInt32), int64(math.MaxInt64), math.MaxFloat64, false,
			time.Date(2262, 4, 12, 0, 0, 0, 1000, time.UTC), []byte{}},
		{nil, nil, nil, nil, nil, nil, nil, nil, nil},
	}
	var vals []any
	for _, r := range rows {
		vals = append(vals, r...)
	}
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, copyStream("copied", types, vals, len(rows)), copyQuery("copied", cols)); err != nil {
		t.Fatal(err)
	}
	got, err := tx.Query(ctx, "SELECT t, j::text, s, i, b, f, ok, at, raw FROM copied ORDER BY t NULLS LAST")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for got.Next() {
		v, err := got.Values()
		if err != nil {
			t.Fatal(err)
		}
		want := rows[[]int{1, 0, 2}[n]] // ordered by t: "", "Харків...", NULL
		for i := range want {
			if !sameValue(v[i], want[i]) {
				t.Errorf("row %d, %s: read %#v, copied %#v", n, cols[i], v[i], want[i])
			}
		}
		n++
	}
	if err := got.Err(); err != nil || n != len(rows) {
		t.Fatalf("read %d rows, %v", n, err)
	}
}

func sameValue(read, copied any) bool {
	switch c := copied.(type) {
	case nil:
		return read == nil
	case string:
		if strings.HasPrefix(c, "{") {
			return read == `{"a": [1, "é"]}` // jsonb's own spacing
		}
		return read == c
	case int64:
		switch r := read.(type) {
		case int16:
			return int64(r) == c
		case int32:
			return int64(r) == c
		case int64:
			return r == c
		}
	case int:
		r, ok := read.(int16)
		return ok && int(r) == c
	case time.Time:
		r, ok := read.(time.Time)
		return ok && r.Equal(c)
	case []byte:
		r, ok := read.([]byte)
		return ok && string(r) == string(c)
	default:
		return read == copied
	}
	return false
}

// A value that its column cannot hold fails the encoding, naming where.
func TestCopyBinaryRefuses(t *testing.T) {
	for _, c := range []struct {
		typ colType
		v   any
	}{
		{colInt2, int64(math.MaxInt16 + 1)},
		{colInt4, int64(math.MinInt32 - 1)},
		{colInt8, "1"},
		{colText, 1.5},
		{colBool, 1},
		{colTimestamptz, "2022-01-01"},
		{colFloat8, int64(1)},
	} {
		_, err := io.ReadAll(copyStream("t", []colType{colText, c.typ}, []any{"x", c.v}, 1))
		if err == nil || !strings.Contains(err.Error(), "row 1, column 2 of t") {
			t.Errorf("%v into %d: %v", c.v, c.typ, err)
		}
	}
}

// A *string, as sqlstore's rows hold their strings, is copied as the
// string it points to.
func TestCopyBinaryStringPointers(t *testing.T) {
	types := []colType{colText, colJSONB, colText}
	a, j, e := "Харків", `{"a":1}`, ""
	byValue, err := io.ReadAll(copyStream("t", types, []any{a, j, e}, 1))
	if err != nil {
		t.Fatal(err)
	}
	byAddress, err := io.ReadAll(copyStream("t", types, []any{&a, &j, &e}, 1))
	if err != nil {
		t.Fatal(err)
	}
	if string(byAddress) != string(byValue) {
		t.Fatalf("by address %q, by value %q", byAddress, byValue)
	}
}

// The stream read a byte at a time, with rows longer than any read, is the
// stream read at once: the header, each row's field count and fields, the
// trailer, then io.EOF.
func TestCopyBinaryStream(t *testing.T) {
	types := []colType{colText, colInt8, colBool}
	long := strings.Repeat("é", 40000) // 80,000 bytes, beyond a 64 KB read
	vals := []any{long, int64(1), true, "b", nil, false, "", int64(-1), nil}
	whole, err := io.ReadAll(copyStream("t", types, vals, 3))
	if err != nil {
		t.Fatal(err)
	}
	bytewise, err := io.ReadAll(iotest.OneByteReader(copyStream("t", types, vals, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if string(bytewise) != string(whole) {
		t.Fatal("read a byte at a time, the stream differs")
	}
	want := "PGCOPY\n\xff\r\n\x00" + strings.Repeat("\x00", 8) + // header
		"\x00\x03" + "\x00\x01\x38\x80" + long + "\x00\x00\x00\x08" + "\x00\x00\x00\x00\x00\x00\x00\x01" + "\x00\x00\x00\x01\x01" +
		"\x00\x03" + "\x00\x00\x00\x01b" + "\xff\xff\xff\xff" + "\x00\x00\x00\x01\x00" +
		"\x00\x03" + "\x00\x00\x00\x00" + "\x00\x00\x00\x08" + strings.Repeat("\xff", 8) + "\xff\xff\xff\xff" +
		"\xff\xff" // trailer
	if string(whole) != want {
		t.Fatalf("stream\n%q\nwant\n%q", whole, want)
	}
}

// Once closed, the stream reads none of the values: pgx's reading
// goroutine can outlive a failed COPY while the importer reuses them.
func TestCopyBinaryClosed(t *testing.T) {
	vals := []any{"a", int64(1)}
	r := copyStream("t", []colType{colText, colInt8}, vals, 1)
	r.close()
	vals[0] = nil // as the importer reuses them
	if n, err := r.Read(make([]byte, 64)); n != 0 || !errors.Is(err, errCopyClosed) {
		t.Fatalf("read after close: %d bytes, %v", n, err)
	}
}
