package ingest

import (
	"bytes"
	"errors"
	"io"
	"math/bits"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/event"
)

// Filter tells a row converter which records its caller has a use for,
// from what is cheap to know first, so that the costly part of a row (the
// event, its actors and place, and whatever the caller does next) is spent
// only on those. *match.Matcher is one. A converter given a Filter still
// checks every field of every row, so bad rows are reported whatever the
// filter says.
type Filter interface {
	// RelevantTime reports whether a record at time t can matter,
	// whatever its kind.
	RelevantTime(t event.Span) bool
	// Relevant reports whether a record of this kind at time t can matter.
	Relevant(kind string, t event.Span) bool
}

// FieldCountError is the bad row of a table whose field count differs from
// its header's.
func FieldCountError(file string, line, got, want int) *RowError {
	return &RowError{File: file, Line: line,
		Reason: "has " + strconv.Itoa(got) + " fields, the header has " + strconv.Itoa(want)}
}

// Chunker cuts CSV text into chunks of whole records, so that several
// goroutines can split the records of one file at once (Records). It finds
// record boundaries by quote parity: a newline ends a record when the
// quotes before it are even, which is exact for CSV that encoding/csv reads
// without error. Where it is not (a stray quote), or where a chunk has no
// such newline (then it is cut at its last newline all the same), Records
// stops in the chunk, and the caller goes back to encoding/csv from the
// start of that chunk, the end of the last good one: see ResumeTable.
//
// A Chunker reads ahead; its text must start at a record boundary. Chunks
// are read into buffers the caller passes, so that they can be reused.
type Chunker struct {
	r     io.Reader
	size  int
	carry []byte // read but not yet returned; starts at a record boundary
	err   error  // from r: io.EOF or a read error, once carry is used up
	stop  error  // sticky result of Next
}

// ErrNoBoundary is returned by Chunker.Next when no newline turns up in
// many times the chunk size: a line too long to be worth splitting around.
var ErrNoBoundary = errors.New("no record boundary in sight")

// maxChunkFactor bounds a chunk, in chunk sizes, before ErrNoBoundary.
const maxChunkFactor = 64

// NewChunker returns a chunker of the text read from r, in chunks of about
// size bytes (more when a record is longer).
func NewChunker(r io.Reader, size int) *Chunker {
	if size < 4096 {
		size = 4096
	}
	return &Chunker{r: r, size: size}
}

// Next returns the next chunk: one or more whole records, ending with a
// newline except for the last chunk of the input. The chunk is read into
// buf's memory, grown if need be, and returned as a prefix of it; buf may
// be nil. It returns io.EOF at the end, a read error when reading fails,
// and ErrNoBoundary (see there); then Rest gives what was not returned yet.
func (c *Chunker) Next(buf []byte) ([]byte, error) {
	if c.stop != nil {
		return nil, c.stop
	}
	limit := c.size
	if cap(buf) < limit+limit/2 {
		buf = make([]byte, 0, limit+limit/2)
	}
	buf = append(buf[:0], c.carry...)
	c.carry = c.carry[:0]
	for {
		for len(buf) < limit && c.err == nil {
			if cap(buf)-len(buf) < limit/4 {
				nb := make([]byte, len(buf), limit+limit/2)
				copy(nb, buf)
				buf = nb
			}
			n, err := c.r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err != nil {
				c.err = err
			}
		}
		if c.err == io.EOF && len(buf) <= limit {
			if len(buf) == 0 {
				c.stop = io.EOF
				return nil, io.EOF
			}
			return buf, nil
		}
		cut := lastBoundary(buf)
		if cut < 0 {
			cut = bytes.LastIndexByte(buf, '\n') + 1
		}
		if cut > 0 {
			c.carry = append(c.carry, buf[cut:]...)
			return buf[:cut], nil
		}
		switch {
		case c.err != nil && c.err != io.EOF:
			c.stop = c.err
		case limit >= maxChunkFactor*c.size:
			c.stop = ErrNoBoundary
		default:
			limit *= 2
			continue
		}
		c.carry = append(c.carry, buf...)
		return nil, c.stop
	}
}

// Rest returns a reader of the text Next has not returned: what it read
// ahead, then the rest of the input, or the read error that stopped it.
func (c *Chunker) Rest() io.Reader {
	head := bytes.NewReader(c.carry)
	if c.err != nil && c.err != io.EOF {
		return io.MultiReader(head, errReader{c.err})
	}
	if c.err == io.EOF {
		return head
	}
	return io.MultiReader(head, c.r)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// lastBoundary returns the index just past the last newline of b that has
// an even number of quotes before it, or -1.
func lastBoundary(b []byte) int {
	q := bytes.Count(b, []byte{'"'})
	end := len(b)
	for {
		i := bytes.LastIndexByte(b[:end], '\n')
		if i < 0 {
			return -1
		}
		q -= bytes.Count(b[i+1:end], []byte{'"'})
		if q%2 == 0 {
			return i + 1
		}
		end = i
	}
}

// Records splits CSV text of whole records into fields exactly as
// encoding/csv does (comma-separated, RFC 4180 quotes, \r\n read as \n,
// empty lines skipped), for text encoding/csv reads without error. Where it
// would report an error, or where this simple reader cannot be sure to read
// as it does, Next stops and Plain reports false: the caller reads that
// text with encoding/csv instead.
//
// Fields are substrings of the text wherever the text holds them as is.
type Records struct {
	data   string
	pos    int
	line   int // line of data[pos], counted from 1 at the start of data
	fields []string
	buf    []byte
	plain  bool
}

// NewRecords returns a reader of the records in data.
func NewRecords(data string) *Records {
	return &Records{data: data, line: 1, plain: true}
}

// Lines returns the number of lines read so far: after the last record, the
// number of newlines in the text.
func (r *Records) Lines() int { return r.line - 1 }

// Plain reports whether the text read so far was plain CSV. After Next
// returned false, false means Next stopped at text it cannot read.
func (r *Records) Plain() bool { return r.plain }

// Next returns the fields of the next record and the line (counted from 1
// at the start of the text) where it starts. The fields are valid until the
// next call. ok is false at the end of the text or when it stops (Plain).
func (r *Records) Next() (line int, fields []string, ok bool) {
	if !r.plain {
		return 0, nil, false
	}
	d, p := r.data, r.pos
	for { // skip empty lines
		switch {
		case p >= len(d):
			r.pos = p
			return 0, nil, false
		case d[p] == '\n':
			p++
			r.line++
			continue
		case d[p] == '\r' && p+1 < len(d) && d[p+1] == '\n':
			p += 2
			r.line++
			continue
		}
		break
	}
	line = r.line
	fields = r.fields[:0]
	// eol is the index of the next newline from p (len(d) when none), nq
	// that of the next quote; both are found again once p passes them.
	eol := indexFrom(d, p, '\n')
	nq := indexFrom(d, p, '"')
	for {
		if p < len(d) && d[p] == '"' {
			f, np, ok := r.quoted(p)
			if !ok {
				return r.fail()
			}
			fields = append(fields, f)
			p = np
			if p > eol {
				eol = indexFrom(d, p, '\n')
			}
			nq = indexFrom(d, p, '"')
			switch {
			case p == len(d):
				r.pos = p
				r.fields = fields
				return line, fields, true
			case d[p] == ',':
				p++
				continue
			case d[p] == '\n':
				r.pos = p + 1
				r.line++
				r.fields = fields
				return line, fields, true
			case d[p] == '\r' && p+1 < len(d) && d[p+1] == '\n':
				r.pos = p + 2
				r.line++
				r.fields = fields
				return line, fields, true
			}
			return r.fail()
		}
		// Unquoted fields run up to the next quote or the end of the line,
		// whichever comes first; every comma before it ends one.
		lim := min(nq, eol)
		fields, p = splitCommas(d, p, lim, fields)
		if p == nq && nq < eol {
			continue // a quoted field starts
		}
		if lim == nq && nq < eol {
			return r.fail() // a bare quote in an unquoted field
		}
		f := d[p:eol]
		if eol == len(d) {
			if len(f) > 0 && f[len(f)-1] == '\r' {
				return r.fail() // encoding/csv drops a \r before the end of the input
			}
			r.pos = eol
		} else {
			if len(f) > 0 && f[len(f)-1] == '\r' {
				f = f[:len(f)-1]
			}
			r.pos = eol + 1
			r.line++
		}
		fields = append(fields, f)
		r.fields = fields
		return line, fields, true
	}
}

// splitCommas appends to fields the fields of d[p:lim] that end with a
// comma and returns the start of the one after the last comma. It tests
// eight bytes a step: a field is ten bytes on average, too short for a
// call to strings.IndexByte per field to pay.
func splitCommas(d string, p, lim int, fields []string) ([]string, int) {
	const (
		lo  = 0x0101010101010101
		m7f = 0x7f7f7f7f7f7f7f7f
	)
	s := d[:lim]
	i := p
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		x := w ^ (lo * ',')
		// The high bit of each byte of t is set where x is zero, exactly:
		// no carry crosses bytes.
		t := ^((x&m7f + m7f) | x | m7f)
		for t != 0 {
			c := i + bits.TrailingZeros64(t)>>3
			fields = append(fields, s[p:c])
			p = c + 1
			t &= t - 1
		}
	}
	for ; i < len(s); i++ {
		if s[i] == ',' {
			fields = append(fields, s[p:i])
			p = i + 1
		}
	}
	return fields, p
}

func (r *Records) fail() (int, []string, bool) {
	r.plain = false
	return 0, nil, false
}

// quoted reads the quoted field that starts at p and returns it with the
// index just past its closing quote. Doubled quotes and \r\n inside it
// make a copy; otherwise the field is a substring of the text.
func (r *Records) quoted(p int) (string, int, bool) {
	d := r.data
	start := p + 1
	p = start
	copied := false
	buf := r.buf[:0]
	for {
		i := strings.IndexByte(d[p:], '"')
		if i < 0 {
			return "", 0, false // the text ends inside quotes
		}
		seg := d[p : p+i]
		if n := strings.Count(seg, "\n"); n > 0 {
			r.line += n
			if strings.Contains(seg, "\r\n") {
				if !copied {
					buf, copied = append(buf, d[start:p]...), true
				}
				buf = append(buf, strings.ReplaceAll(seg, "\r\n", "\n")...)
				seg = ""
			}
		}
		p += i + 1
		if p < len(d) && d[p] == '"' { // a doubled quote
			if !copied {
				buf, copied = append(buf, d[start:p-1]...), true
			} else {
				buf = append(buf, seg...)
			}
			buf = append(buf, '"')
			p++
			continue
		}
		if !copied {
			return d[start : p-1], p, true
		}
		buf = append(buf, seg...)
		r.buf = buf
		return string(buf), p, true
	}
}

// indexFrom is the index of the first c in s at or after from, or len(s).
func indexFrom(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}
