package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Rows go into a table by COPY in PostgreSQL's binary format, encoded here
// (copyStream): pgx's CopyFrom looked up an encoding plan for each of a
// million rows' thirty values (1.6 s of the client's CPU), where the types
// of an import's values are few and known.
//
// The values are those sqlstore's encoder makes: nil, string, *string,
// []byte, int, int64, bool, float64 and time.Time. Each column is encoded
// as its type in the table wants: the binary input of text and json is the
// text, of jsonb the text after a version byte.

// colType is how a column's values are encoded.
type colType uint8

const (
	colText colType = iota // text, json, bytea: the bytes
	colJSONB
	colInt2
	colInt4
	colInt8
	colFloat8
	colBool
	colTimestamptz
)

// columnTypes reads the types of table's columns cols and knows how to
// encode each.
func columnTypes(ctx context.Context, tx pgx.Tx, table string, cols []string) ([]colType, error) {
	rows, err := tx.Query(ctx, `SELECT attname, format_type(atttypid, NULL) FROM pg_attribute
		WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped`, table)
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	var name, typ string
	if _, err := pgx.ForEachRow(rows, []any{&name, &typ}, func() error {
		byName[name] = typ
		return nil
	}); err != nil {
		return nil, err
	}
	types := make([]colType, len(cols))
	for i, c := range cols {
		t, ok := byName[c]
		if !ok {
			return nil, fmt.Errorf("table %s has no column %s", table, c)
		}
		switch t {
		case "text", "json", "bytea", "character varying":
			types[i] = colText
		case "jsonb":
			types[i] = colJSONB
		case "smallint":
			types[i] = colInt2
		case "integer":
			types[i] = colInt4
		case "bigint":
			types[i] = colInt8
		case "double precision":
			types[i] = colFloat8
		case "boolean":
			types[i] = colBool
		case "timestamp with time zone":
			types[i] = colTimestamptz
		default:
			return nil, fmt.Errorf("column %s.%s: cannot copy a value of type %s", table, c, t)
		}
	}
	return types, nil
}

// pgEpoch is where PostgreSQL's binary timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// copyStream returns the COPY binary stream of n rows of values. Close it
// when the COPY returns.
func copyStream(table string, types []colType, vals []any, n int) *copyRows {
	r := &copyRows{table: table, types: types, vals: vals, n: n}
	r.buf.WriteString("PGCOPY\n\xff\r\n\x00")
	r.buf.Write([]byte{0, 0, 0, 0, 0, 0, 0, 0}) // flags, header extension length
	return r
}

// copyRows is a COPY binary stream encoded a row at a time as the
// connection reads it: the server gets the first rows while the last are
// encoded, and the stream stays in the processor's caches instead of
// being written whole into a buffer (some 11 MB for a chunk of ACLED
// rows) and read back out of it.
//
// pgx reads it on a goroutine of its own, which a failed COPY can leave
// running after CopyFrom returns; the values are the importer's, reused
// from then on. So Read holds mu while it encodes, and once close has
// taken mu no Read touches the values again.
type copyRows struct {
	mu     sync.Mutex
	closed bool
	table  string
	types  []colType
	vals   []any
	n      int
	row    int          // the next row to encode
	buf    bytes.Buffer // encoded, not yet read
	end    bool         // the trailer is in buf
}

var errCopyClosed = errors.New("copy stream read after its COPY returned")

// close ends the stream: a Read under way finishes first, later ones fail.
func (r *copyRows) close() {
	r.mu.Lock()
	r.closed = true
	r.vals = nil
	r.mu.Unlock()
}

// Read reads the stream; a value its column cannot take fails it, naming
// the row and the column.
func (r *copyRows) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, errCopyClosed
	}
	n := 0
	for n < len(p) {
		if r.buf.Len() == 0 {
			if err := r.next(); err != nil {
				return n, err
			}
		}
		m, _ := r.buf.Read(p[n:])
		n += m
	}
	return n, nil
}

// next encodes the next row, or the trailer after the last, into r.buf.
func (r *copyRows) next() error {
	r.buf.Reset()
	switch {
	case r.row < r.n:
		cols := len(r.types)
		var num [2]byte
		binary.BigEndian.PutUint16(num[:], uint16(cols))
		r.buf.Write(num[:])
		for i, typ := range r.types {
			if err := appendValue(&r.buf, typ, r.vals[r.row*cols+i]); err != nil {
				return fmt.Errorf("row %d, column %d of %s: %w", r.row+1, i+1, r.table, err)
			}
		}
		r.row++
	case !r.end:
		r.buf.Write([]byte{0xff, 0xff}) // the trailer
		r.end = true
	default:
		return io.EOF
	}
	return nil
}

// appendValue appends one field: its length, then its bytes.
func appendValue(b *bytes.Buffer, typ colType, v any) error {
	var num [8]byte
	field := func(p []byte) { // p may be num: the length has its own bytes
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(p)))
		b.Write(l[:])
		b.Write(p)
	}
	if v == nil {
		b.Write([]byte{0xff, 0xff, 0xff, 0xff}) // NULL
		return nil
	}
	switch typ {
	case colText, colJSONB:
		var s string
		var p []byte
		switch v := v.(type) {
		case string:
			s = v
		case *string: // sqlstore's rows box their strings' addresses
			s = *v
		case []byte:
			p = v
		default:
			return fmt.Errorf("a %T for a text column", v)
		}
		n := len(s) + len(p)
		if typ == colJSONB {
			n++
		}
		binary.BigEndian.PutUint32(num[:4], uint32(n))
		b.Write(num[:4])
		if typ == colJSONB {
			b.WriteByte(1) // jsonb's binary format, version 1: the text
		}
		b.WriteString(s)
		b.Write(p)
	case colInt2, colInt4, colInt8:
		var x int64
		switch v := v.(type) {
		case int64:
			x = v
		case int:
			x = int64(v)
		default:
			return fmt.Errorf("a %T for an integer column", v)
		}
		switch typ {
		case colInt2:
			if x < math.MinInt16 || x > math.MaxInt16 {
				return fmt.Errorf("%d out of range for smallint", x)
			}
			binary.BigEndian.PutUint16(num[:2], uint16(x))
			field(num[:2])
		case colInt4:
			if x < math.MinInt32 || x > math.MaxInt32 {
				return fmt.Errorf("%d out of range for integer", x)
			}
			binary.BigEndian.PutUint32(num[:4], uint32(x))
			field(num[:4])
		default:
			binary.BigEndian.PutUint64(num[:], uint64(x))
			field(num[:])
		}
	case colFloat8:
		f, ok := v.(float64)
		if !ok {
			return fmt.Errorf("a %T for a double precision column", v)
		}
		binary.BigEndian.PutUint64(num[:], math.Float64bits(f))
		field(num[:])
	case colBool:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("a %T for a boolean column", v)
		}
		if x {
			field([]byte{1})
		} else {
			field([]byte{0})
		}
	case colTimestamptz:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("a %T for a timestamp column", v)
		}
		binary.BigEndian.PutUint64(num[:], uint64(t.UnixMicro()-pgEpoch.UnixMicro()))
		field(num[:])
	}
	return nil
}

// copyQuery is the COPY statement for the binary stream.
func copyQuery(table string, cols []string) string {
	return "COPY " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(cols, ", ") + ") FROM STDIN (FORMAT binary)"
}
