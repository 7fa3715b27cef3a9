// Package jsonstr encodes strings as JSON string literals, fast: the raw
// records of every parser and the store's JSON columns are built with it on
// the hot path of an import. Output matches encoding/json's (without its
// HTML escaping).
package jsonstr

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// Append appends s as a JSON string. Plain ASCII, the common case,
// is found eight bytes at a time and copied in one go; invalid UTF-8 becomes
// U+FFFD as encoding/json does.
func Append(b []byte, s string) []byte {
	b = append(b, '"')
	i := PlainPrefix(s)
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

// PlainPrefix returns the length of the prefix of s that needs no
// escaping: printable ASCII other than '"' and '\\'. It tests eight bytes
// per step with the classic SWAR tricks: a byte below 0x20, a byte equal to
// '"' or '\\', or a byte with the high bit set.
func PlainPrefix[T ~string | ~[]byte](s T) int {
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
