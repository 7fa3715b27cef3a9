package sqlstore

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
)

// The JSON columns a scan reads are decoded here by hand, for the same
// reason they are encoded by hand (jsonenc.go): encoding/json was over a
// third of a full `truce evaluate`'s CPU. The fast path takes what the
// encoders write, and PostgreSQL's JSONB rendering of it (spaces, its own
// key order): arrays of flat objects with known keys and string values.
// Anything else (an unknown or differently cased key, a non-string value,
// a lone surrogate, invalid UTF-8) goes to encoding/json, so the result is
// always what encoding/json gives.

func decodeActors(b []byte) ([]event.Actor, error) {
	if as, ok := fastActors(b); ok {
		return as, nil
	}
	var as []event.Actor
	err := json.Unmarshal(b, &as)
	return as, err
}

func decodeReasons(b []byte) ([]event.Reason, error) {
	if rs, ok := fastReasons(b); ok {
		return rs, nil
	}
	var rs []event.Reason
	err := json.Unmarshal(b, &rs)
	return rs, err
}

// decodeAllegations reads an allegations column: null for almost every
// event, so only the rest pays for encoding/json.
func decodeAllegations(b []byte) ([]event.Allegation, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var as []event.Allegation
	err := json.Unmarshal(b, &as)
	return as, err
}

func decodeReason(b []byte, r *event.Reason) error {
	d := jsonDec{b: b}
	if d.reason(r) && d.end() {
		return nil
	}
	*r = event.Reason{}
	return json.Unmarshal(b, r)
}

func fastActors(b []byte) ([]event.Actor, bool) {
	d := jsonDec{b: b}
	var as []event.Actor
	ok := d.array(func() bool {
		as = append(as, event.Actor{})
		a := &as[len(as)-1]
		return d.object(func(key string, val string) bool {
			switch key {
			case "name":
				a.Name = val
			case "role":
				a.Role = val
			case "party":
				a.Party = val
			default:
				return false
			}
			return true
		})
	}, func() { as = []event.Actor{} })
	return as, ok && d.end()
}

func fastReasons(b []byte) ([]event.Reason, bool) {
	d := jsonDec{b: b}
	var rs []event.Reason
	ok := d.array(func() bool {
		rs = append(rs, event.Reason{})
		return d.reason(&rs[len(rs)-1])
	}, func() { rs = []event.Reason{} })
	return rs, ok && d.end()
}

// jsonDec reads JSON from b, position i.
type jsonDec struct {
	b []byte
	i int
}

func (d *jsonDec) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// take skips spaces and then c, if that is what comes.
func (d *jsonDec) take(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end says whether only spaces are left.
func (d *jsonDec) end() bool {
	d.space()
	return d.i == len(d.b)
}

// array reads null (leaving the slice nil) or an array, calling elem for
// each element and empty first for an array, so that [] decodes to an
// empty slice as with encoding/json.
func (d *jsonDec) array(elem func() bool, empty func()) bool {
	d.space()
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	if !d.take('[') {
		return false
	}
	empty()
	if d.take(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.take(']') {
			return true
		}
		if !d.take(',') {
			return false
		}
	}
}

// object reads an object whose values are all strings, calling field with
// each key and value.
func (d *jsonDec) object(field func(key, val string) bool) bool {
	if !d.take('{') {
		return false
	}
	if d.take('}') {
		return true
	}
	for {
		key, ok := d.str()
		if !ok || !d.take(':') {
			return false
		}
		val, ok := d.str()
		if !ok || !field(key, val) {
			return false
		}
		if d.take('}') {
			return true
		}
		if !d.take(',') {
			return false
		}
	}
}

func (d *jsonDec) reason(r *event.Reason) bool {
	return d.object(func(key, val string) bool {
		switch key {
		case "term":
			r.Term = val
		case "field":
			r.Field = val
		case "match":
			r.Match = val
		case "rule":
			r.Rule = val
		default:
			return false
		}
		return true
	})
}

// str reads a string. Escapes are undone; invalid UTF-8 and lone
// surrogates, which encoding/json would replace, fail it.
func (d *jsonDec) str() (string, bool) {
	if !d.take('"') {
		return "", false
	}
	start, ascii := d.i, true
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// escaped finishes a string that started at start and has an escape at i.
func (d *jsonDec) escaped(start int) (string, bool) {
	out := append([]byte(nil), d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				return "", false
			}
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", false
			}
			if utf16.IsSurrogate(r) {
				if d.i+2 > len(d.b) || d.b[d.i] != '\\' || d.b[d.i+1] != 'u' {
					return "", false
				}
				d.i += 2
				lo, ok := d.hex4()
				if r = utf16.DecodeRune(r, lo); !ok || r == utf8.RuneError {
					return "", false
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
	}
	return "", false
}

// hex4 reads the four hex digits of a \u escape.
func (d *jsonDec) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}
