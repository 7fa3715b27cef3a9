package sqlstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/jsonstr"
)

// A raw record is stored packed when it is the usual canonical form, an
// object of strings with no space between tokens (ingest.RawBuilder's): its
// keys become a byte or two (their place in rawKeys), its values lose their
// quotes and escapes, and the value that is the record's text (ACLED's
// notes) is not stored again. An ACLED record of 900 bytes packs to about
// 350, a third of the row: bytes an import writes twice (log and file) and
// every scan steps over. Unpacking gives back the record byte for byte, so
// its hash still covers what is read; a record in any other form is stored
// as it is.
//
// The format, after a first byte 1 (the format's version), is a sequence of
// pairs, each a key and a value:
//
//	key:   uvarint 2i+1, the name rawKeys[i]; or uvarint 2n, then the n bytes of the name
//	value: uvarint 0, the record's text; or uvarint n+1, then the n bytes of the value
const rawPacked1 = 1

// packRaw appends raw, packed, to dst, and reports whether raw has the form
// that packs; if not, dst is to be dropped.
func packRaw(dst, raw []byte, text string) ([]byte, bool) {
	var p rawPacker
	return p.pack(dst, raw, text)
}

// rawPacker packs the raw records of one batch. The records of a file
// share their keys, in the same order: it remembers each key's literal
// and its packed form, so that a key seen before is matched byte for byte
// where it is expected instead of decoded and looked up (which was half of
// packing an ACLED record).
type rawPacker struct {
	scratch []byte
	// keys are the keys met so far, in the order records have them: a
	// record's next key is expected at or soon after its last one's.
	keys []packedKey
}

type packedKey struct {
	lit  []byte // the key's literal and its colon, as raw holds it
	code []byte // the key, packed
}

const (
	maxPackedKeys = 256 // keys remembered: the datasets have at most 61
	keyLookahead  = 8   // keys absent from a record that a match skips
)

// pack is packRaw with the keys met before remembered.
func (p *rawPacker) pack(dst, raw []byte, text string) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
		return dst, false
	}
	dst = append(dst, rawPacked1)
	rest := raw[1:]
	if len(rest) == 1 { // {}
		return dst, true
	}
	at := 0 // where the next key is expected in p.keys
	for {
		var ok bool
		if dst, rest, at, ok = p.key(dst, rest, at); !ok {
			return dst, false
		}
		value, n, ok := jsonString(rest, &p.scratch)
		if !ok || n >= len(rest) {
			return dst, false
		}
		if string(value) == text {
			dst = append(dst, 0)
		} else {
			dst = binary.AppendUvarint(dst, uint64(len(value)+1))
			dst = append(dst, value...)
		}
		switch rest = rest[n:]; {
		case len(rest) == 1 && rest[0] == '}':
			return dst, true
		case rest[0] == ',':
			rest = rest[1:]
		default:
			return dst, false
		}
	}
}

// key packs the key and colon that rest starts with onto dst and returns
// what follows them, and where the key after it is expected.
func (p *rawPacker) key(dst, rest []byte, at int) ([]byte, []byte, int, bool) {
	for i := at; i < len(p.keys) && i < at+keyLookahead; i++ {
		if k := &p.keys[i]; bytes.HasPrefix(rest, k.lit) {
			return append(dst, k.code...), rest[len(k.lit):], i + 1, true
		}
	}
	key, n, ok := jsonString(rest, &p.scratch)
	if !ok || n >= len(rest) || rest[n] != ':' {
		return dst, rest, at, false
	}
	start := len(dst)
	if i, known := rawKeyIndex[string(key)]; known {
		dst = binary.AppendUvarint(dst, uint64(2*i+1))
	} else {
		dst = binary.AppendUvarint(dst, uint64(2*len(key)))
		dst = append(dst, key...)
	}
	if len(p.keys) < maxPackedKeys {
		k := packedKey{lit: bytes.Clone(rest[:n+1]), code: bytes.Clone(dst[start:])}
		p.keys = slices.Insert(p.keys, at, k)
		return dst, rest[n+1:], at + 1, true
	}
	return dst, rest[n+1:], at, true
}

// jsonString reads the JSON string literal that b starts with and returns
// its value and length, if it is one that jsonstr.Append writes exactly so:
// only such a literal can be written back byte for byte. The value is
// valid until the next call with the same scratch.
func jsonString(b []byte, scratch *[]byte) ([]byte, int, bool) {
	if len(b) < 2 || b[0] != '"' {
		return nil, 0, false
	}
	// The common case: printable ASCII up to the closing quote.
	end := 1 + jsonstr.PlainPrefix(b[1:])
	if end < len(b) && b[end] == '"' {
		return b[1:end], end + 1, true
	}
	// Then text beyond ASCII, without escapes: valid UTF-8 is written as
	// it is.
	i := end
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	if i < len(b) && b[i] == '"' && utf8.Valid(b[1:i]) {
		return b[1:i], i + 1, true
	}
	// Anything else: find the closing quote, decode, and check the
	// literal is the one Append would write.
	for i := end; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			var s string
			if json.Unmarshal(b[:i+1], &s) != nil {
				return nil, 0, false
			}
			*scratch = jsonstr.Append((*scratch)[:0], s)
			if !bytes.Equal(*scratch, b[:i+1]) {
				return nil, 0, false
			}
			*scratch = append((*scratch)[:0], s...)
			return *scratch, i + 1, true
		}
	}
	return nil, 0, false
}

var errPacked = errors.New("packed raw record is corrupt")

// unpackRaw appends the raw record that packed holds to dst.
func unpackRaw(dst, packed []byte, text string) ([]byte, error) {
	if len(packed) == 0 || packed[0] != rawPacked1 {
		return dst, fmt.Errorf("%w: unknown format", errPacked)
	}
	p := packed[1:]
	dst = append(dst, '{')
	for first := true; len(p) > 0; first = false {
		if !first {
			dst = append(dst, ',')
		}
		k, n := binary.Uvarint(p)
		if n <= 0 {
			return dst, fmt.Errorf("%w: key", errPacked)
		}
		p = p[n:]
		var key string
		if k&1 == 1 {
			i := k >> 1
			if i >= uint64(len(rawKeys)) {
				return dst, fmt.Errorf("%w: key %d unknown", errPacked, i)
			}
			key = rawKeys[i]
		} else {
			l := k >> 1
			if l > uint64(len(p)) {
				return dst, fmt.Errorf("%w: key length", errPacked)
			}
			key, p = string(p[:l]), p[l:]
		}
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return dst, fmt.Errorf("%w: value", errPacked)
		}
		p = p[n:]
		value := text
		if v > 0 {
			l := v - 1
			if l > uint64(len(p)) {
				return dst, fmt.Errorf("%w: value length", errPacked)
			}
			value, p = string(p[:l]), p[l:]
		}
		dst = jsonstr.Append(dst, key)
		dst = append(dst, ':')
		dst = jsonstr.Append(dst, value)
	}
	return append(dst, '}'), nil
}
