package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// RawBuilder turns the fields of one record into Event.Raw and Event.Hash.
//
// Raw is the canonical form of the record: a JSON object with the source's
// column names as keys, sorted, every value a string exactly as read, and
// empty fields left out (CSV cannot tell empty from absent). Hash is the hex
// SHA-256 of Raw. So a reordered export, or one that drops an empty optional
// column, gives the same Raw and Hash, and any edit of a value upstream
// changes them. Anyone can check a hash with sha256sum over Raw.
//
// A RawBuilder keeps a scratch buffer between calls: use one per reader.
type RawBuilder struct {
	names []string
	keys  [][]byte // `"name":` pre-escaped
	order []int    // indexes of names, sorted by name
	buf   []byte
}

// NewRawBuilder prepares a builder for records with the given column names.
// Repeated names get a suffix ("name_2") so the object has unique keys.
func NewRawBuilder(names []string) *RawBuilder {
	b := &RawBuilder{}
	seen := make(map[string]int, len(names))
	for _, n := range names {
		seen[n]++
		if k := seen[n]; k > 1 {
			n = n + "_" + strconv.Itoa(k)
		}
		b.addName(n)
	}
	b.sortOrder()
	return b
}

func (b *RawBuilder) addName(n string) {
	b.names = append(b.names, n)
	k := appendJSONString(nil, n)
	b.keys = append(b.keys, append(k, ':'))
	b.order = append(b.order, len(b.names)-1)
}

func (b *RawBuilder) sortOrder() {
	sort.SliceStable(b.order, func(i, j int) bool { return b.names[b.order[i]] < b.names[b.order[j]] })
}

// grow invents "col_N" keys for fields beyond the header: a malformed row
// can have more fields than there are names.
func (b *RawBuilder) grow(n int) {
	if len(b.names) >= n {
		return
	}
	for len(b.names) < n {
		b.addName("col_" + strconv.Itoa(len(b.names)+1))
	}
	b.sortOrder()
}

// Build returns the raw JSON object and the content hash of fields. The raw
// slice is freshly allocated; the builder keeps no reference to it.
func (b *RawBuilder) Build(fields []string) (json.RawMessage, string) {
	b.grow(len(fields))
	buf := append(b.buf[:0], '{')
	for _, i := range b.order {
		if i >= len(fields) || fields[i] == "" {
			continue
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, b.keys[i]...)
		buf = appendJSONString(buf, fields[i])
	}
	buf = append(buf, '}')
	b.buf = buf
	raw := make(json.RawMessage, len(buf))
	copy(raw, buf)
	return raw, Hash(raw)
}

// Hash is the hex SHA-256 of a canonical raw record.
func Hash(raw []byte) string {
	sum := sha256.Sum256(raw)
	var h [64]byte
	hex.Encode(h[:], sum[:])
	return string(h[:])
}

// AppendJSONString appends s to b as a JSON string, for parsers that build
// their own canonical raw record (GeoJSON).
func AppendJSONString(b []byte, s string) []byte { return appendJSONString(b, s) }

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Plain ASCII, the common case,
// is found eight bytes at a time and copied in one go; invalid UTF-8 becomes
// U+FFFD as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	i := plainPrefix(s)
	if i == len(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainPrefix returns the length of the prefix of s that needs no escaping:
// printable ASCII other than '"' and '\\'. It tests eight bytes per step
// with the classic SWAR tricks: a byte below 0x20, a byte equal to '"' or
// '\\', or a byte with the high bit set.
func plainPrefix(s string) int {
	const (
		lo = 0x0101010101010101
		hi = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		_ = s[i+7]
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q := w ^ (lo * '"')
		bs := w ^ (lo * '\\')
		if ((w-lo*0x20)&^w|(q-lo)&^q|(bs-lo)&^bs|w)&hi != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			break
		}
	}
	return i
}
