package sqlstore

import (
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/event"
)

// The JSON columns of every event are encoded here by hand: encoding/json's
// reflection was a tenth of a bulk import's CPU. The output decodes with
// encoding/json to what it would have written: the same field names and
// omitempty rules, nil slices as null, invalid UTF-8 as U+FFFD.

func appendActors(b []byte, as []event.Actor) []byte {
	if as == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range as {
		if i > 0 {
			b = append(b, ',')
		}
		a := &as[i]
		b = append(b, `{"name":`...)
		b = appendJSONString(b, a.Name)
		b = append(b, `,"role":`...)
		b = appendJSONString(b, a.Role)
		if a.Party != "" {
			b = append(b, `,"party":`...)
			b = appendJSONString(b, a.Party)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendReasons(b []byte, rs []event.Reason) []byte {
	if rs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendReason(b, &rs[i])
	}
	return append(b, ']')
}

func appendReason(b []byte, r *event.Reason) []byte {
	b = append(b, `{"term":`...)
	b = appendJSONString(b, r.Term)
	b = append(b, `,"field":`...)
	b = appendJSONString(b, r.Field)
	b = append(b, `,"match":`...)
	b = appendJSONString(b, r.Match)
	if r.Rule != "" {
		b = append(b, `,"rule":`...)
		b = appendJSONString(b, r.Rule)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
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
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
