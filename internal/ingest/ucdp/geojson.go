package ucdp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/ingest"
)

// GeoJSONReader reads the GED as a GeoJSON FeatureCollection of points. It
// streams: the decoder walks the document token by token and holds one
// feature at a time, so a file of any size fits in memory. It implements
// ingest.Reader.
//
// A feature that is not an object, or whose properties or geometry are
// malformed, is a *ingest.RowError. Invalid JSON, a document that is not a
// FeatureCollection, or one without a features array, is fatal (it wraps
// ingest.ErrFormat): a JSON stream cannot be resynchronised after a syntax
// error.
//
// Raw is the canonical form of the feature: its properties with keys sorted,
// null and empty-string values left out, numbers as written, plus the
// geometry (keys sorted too) under "geometry". Hash is the SHA-256 of Raw.
type GeoJSONReader struct {
	file    string
	lc      *lineCounter
	dec     *json.Decoder
	started bool
	err     error // sticky: io.EOF or fatal
	buf     []byte
}

// NewGeoJSONReader returns a reader of the GeoJSON in r; file names it in
// messages.
func NewGeoJSONReader(r io.Reader, file string) *GeoJSONReader {
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	return &GeoJSONReader{file: file, lc: lc, dec: dec}
}

// feature is one GeoJSON feature, its parts kept raw for the canonical form.
type feature struct {
	Properties json.RawMessage `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type point struct {
	Type        string        `json:"type"`
	Coordinates []json.Number `json:"coordinates"`
}

// Next returns the next event; see ingest.Reader for the contract.
func (r *GeoJSONReader) Next() (ingest.Record, error) {
	if r.err != nil {
		return ingest.Record{}, r.err
	}
	if !r.started {
		r.started = true
		if err := r.open(); err != nil {
			r.err = err
			return ingest.Record{}, err
		}
	}
	if !r.dec.More() {
		r.err = r.finish()
		return ingest.Record{}, r.err
	}
	line := r.lc.lineAt(r.featureStart())
	var f feature
	if err := r.dec.Decode(&f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return ingest.Record{Line: line}, &ingest.RowError{File: r.file, Line: line, Reason: "feature is not an object", Value: te.Value}
		}
		r.err = r.fatal(err)
		return ingest.Record{}, r.err
	}
	return r.convert(line, &f)
}

// open reads up to the opening of the features array, checking the type.
func (r *GeoJSONReader) open() error {
	if err := r.delim('{'); err != nil {
		return err
	}
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		switch key {
		case "features":
			return r.delim('[')
		case "type":
			var typ string
			if err := r.dec.Decode(&typ); err != nil || typ != "FeatureCollection" {
				return ingest.FormatError(r.file, r.line(), "not a GeoJSON FeatureCollection")
			}
		default:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
	return ingest.FormatError(r.file, r.line(), "no features array")
}

// finish reads what follows the features array: other members, the closing
// brace, and nothing after it.
func (r *GeoJSONReader) finish() error {
	if err := r.delim(']'); err != nil {
		return err
	}
	for r.dec.More() {
		if _, err := r.key(); err != nil {
			return err
		}
		if err := r.skip(); err != nil {
			return err
		}
	}
	if err := r.delim('}'); err != nil {
		return err
	}
	if _, err := r.dec.Token(); !errors.Is(err, io.EOF) {
		return ingest.FormatError(r.file, r.line(), "data after the FeatureCollection")
	}
	return io.EOF
}

func (r *GeoJSONReader) delim(want json.Delim) error {
	tok, err := r.dec.Token()
	if err != nil {
		return r.fatal(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return ingest.FormatError(r.file, r.line(), fmt.Sprintf("want %q in the FeatureCollection, found %v", string(want), tok))
	}
	return nil
}

func (r *GeoJSONReader) key() (string, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return "", r.fatal(err)
	}
	k, _ := tok.(string)
	return k, nil
}

func (r *GeoJSONReader) skip() error {
	var v json.RawMessage
	if err := r.dec.Decode(&v); err != nil {
		return r.fatal(err)
	}
	return nil
}

func (r *GeoJSONReader) line() int { return r.lc.lineAt(r.dec.InputOffset()) }

// fatal turns a decoder error into the reader's fatal error: a format error
// for bad or truncated JSON, a wrapped read error otherwise.
func (r *GeoJSONReader) fatal(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return ingest.FormatError(r.file, r.lc.lineAt(se.Offset), "invalid JSON: "+se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ingest.FormatError(r.file, r.line(), "truncated JSON")
	case errors.Is(err, ingest.ErrLimit):
		return err // names the file and line already
	}
	return fmt.Errorf("%s: %w", r.file, err)
}

// featureStart is the offset of the next feature's first byte: the decoder
// stands after the previous token, before the comma and blanks.
func (r *GeoJSONReader) featureStart() int64 {
	off := r.dec.InputOffset()
	br := r.dec.Buffered()
	var b [1]byte
	comma := false
	for {
		if n, _ := br.Read(b[:]); n == 0 {
			return off
		}
		switch c := b[0]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == ',' && !comma:
			comma = true
		default:
			return off
		}
		off++
	}
}

func (r *GeoJSONReader) convert(line int, f *feature) (ingest.Record, error) {
	rowErr := func(field, reason string) (ingest.Record, error) {
		return ingest.Record{Line: line}, &ingest.RowError{File: r.file, Line: line, Field: field, Reason: reason}
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(f.Properties, &props); err != nil || props == nil {
		return rowErr("properties", "not an object")
	}
	var v values
	for i, name := range colNames {
		s, err := scalar(props[name])
		if err != nil {
			return rowErr(name, "not a string or number")
		}
		if v[i] = trim(s); ingest.IsMissing(v[i]) {
			v[i] = ""
		} else if strings.IndexByte(v[i], 0) >= 0 {
			return rowErr(name, "holds a NUL byte")
		}
	}
	if g := bytes.TrimSpace(f.Geometry); len(g) > 0 && string(g) != "null" {
		var p point
		if err := json.Unmarshal(g, &p); err != nil || p.Type != "Point" || len(p.Coordinates) < 2 {
			return rowErr("geometry", "not a Point with coordinates")
		}
		v[cLon], v[cLat] = p.Coordinates[0].String(), p.Coordinates[1].String()
	}
	raw, err := r.canonical(props, f.Geometry)
	if err != nil {
		return rowErr("properties", "malformed value")
	}
	rec := ingest.Record{Line: line, Raw: raw}
	ev, rerr := convert(r.file, line, &v, nil, "geometry", "geometry")
	if rerr != nil {
		return rec, rerr
	}
	ev.Raw, ev.Hash = raw, ingest.Hash(raw)
	rec.Event = ev
	return rec, nil
}

// scalar gives a property as text: a string's value, a number or boolean as
// written, "" for null or absent.
func scalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch raw[0] {
	case '"':
		return unquote(raw)
	case '{', '[':
		return "", errors.New("not a scalar")
	}
	return string(raw), nil
}

// unquote decodes a JSON string the decoder has already checked. Valid
// UTF-8 without a backslash is its own value, which skips encoding/json's
// reflection for most properties.
func unquote(raw json.RawMessage) (string, error) {
	if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// canonical builds Raw: sorted keys at every level, nulls and empty strings
// left out, strings re-escaped and blanks dropped, so equal content gives
// equal bytes.
func (r *GeoJSONReader) canonical(props map[string]json.RawMessage, geometry json.RawMessage) (json.RawMessage, error) {
	keys := make([]string, 0, len(props)+1)
	for k := range props {
		keys = append(keys, k)
	}
	if _, dup := props["geometry"]; !dup {
		keys = append(keys, "geometry")
	}
	sort.Strings(keys)
	buf := append(r.buf[:0], '{')
	for _, k := range keys {
		v := props[k]
		if k == "geometry" {
			v = geometry
		}
		v = bytes.TrimSpace(v)
		if len(v) == 0 || string(v) == "null" || string(v) == `""` {
			continue
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = ingest.AppendJSONString(buf, k)
		buf = append(buf, ':')
		if v[0] == '"' {
			s, err := unquote(v)
			if err != nil {
				return nil, err
			}
			buf = ingest.AppendJSONString(buf, s)
			continue
		}
		if v[0] != '{' && v[0] != '[' {
			buf = append(buf, v...)
			continue
		}
		// Nested values (the geometry) go through encoding/json, which
		// writes object keys sorted.
		d := json.NewDecoder(bytes.NewReader(v))
		d.UseNumber()
		var x any
		if err := d.Decode(&x); err != nil {
			return nil, err
		}
		c, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		buf = append(buf, c...)
	}
	buf = append(buf, '}')
	r.buf = buf
	return append(json.RawMessage(nil), buf...), nil
}

// lineCounter counts the lines of what the decoder has read, so a feature
// can be reported by line. It holds only the bytes read but not yet counted.
type lineCounter struct {
	r       io.Reader
	pending []byte
	base    int64 // offset of pending[0]
	lines   int   // newlines before base
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.pending = append(c.pending, p[:n]...)
	return n, err
}

// lineAt returns the 1-based line of offset off. Offsets must not go back.
func (c *lineCounter) lineAt(off int64) int {
	k := off - c.base
	if k > int64(len(c.pending)) {
		k = int64(len(c.pending))
	}
	if k > 0 {
		c.lines += bytes.Count(c.pending[:k], []byte{'\n'})
		c.pending = append(c.pending[:0], c.pending[k:]...)
		c.base += k
	}
	return c.lines + 1
}
