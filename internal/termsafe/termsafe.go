// Package termsafe makes text from sources and users safe to print on a
// terminal: control characters (C0, DEL, C1), the bidirectional overrides
// and isolates, the line and paragraph separators, and invalid UTF-8 are
// written as Go escapes (\x1b, \n, \u202e), so data cannot move the cursor,
// recolour or clear the screen, set the window title, hide text by
// reordering it, or break a table's columns. A leaf package: the YAML
// reader's messages and the reports' output share it.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line escapes s for one line of output: newlines and tabs too.
func Line(s string) string { return escape(s, false) }

// Text escapes s for multi-line output: newlines and tabs are kept.
func Text(s string) string { return escape(s, true) }

// Unsafe reports whether r acts on a terminal rather than showing: a
// control character, a bidirectional formatting character (U+061C,
// U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) that reorders what follows,
// or a line or paragraph separator (U+2028, U+2029).
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || r == 0x061c || r == 0x200e || r == 0x200f ||
		0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

func escape(s string, keepLines bool) string {
	if !needsEscape(s, keepLines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && Unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string, keepLines bool) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || Unsafe(r) && !(keepLines && (r == '\n' || r == '\t')) {
			return true
		}
		i += size
	}
	return false
}
