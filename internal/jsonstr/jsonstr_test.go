package jsonstr

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzAppend checks the output against encoding/json, which escapes HTML
// characters too: both must decode to the same string.
func FuzzAppend(f *testing.F) {
	f.Add("plain ascii, long enough for two words")
	f.Add("x\"y\\z\n\t\x01é\xff\u2028\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		var got, want string
		if err := json.Unmarshal(Append(nil, s), &got); err != nil {
			t.Fatalf("invalid JSON for %q: %v", s, err)
		}
		b, _ := json.Marshal(s)
		json.Unmarshal(b, &want)
		if got != want {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	})
}

// FuzzPlainPrefix checks the eight-bytes-at-a-time scan against the obvious
// loop.
func FuzzPlainPrefix(f *testing.F) {
	f.Add("0123456789abcdef\"")
	f.Add("abcdefg\x1f")
	f.Fuzz(func(t *testing.T, s string) {
		want := 0
		for want < len(s) {
			c := s[want]
			if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
				break
			}
			want++
		}
		if got := PlainPrefix(s); got != want {
			t.Fatalf("PlainPrefix(%q) = %d, want %d", s, got, want)
		}
	})
}
