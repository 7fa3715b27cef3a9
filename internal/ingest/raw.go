package ingest

import (
	"github.com/truce-monitor/truce/internal/jsonstr"

	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
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
	k := jsonstr.Append(nil, n)
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
		buf = jsonstr.Append(buf, fields[i])
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
func AppendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s) }
