package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term makes s safe to print on a terminal, on one line: control
// characters (C0, DEL, C1), the bidirectional overrides and isolates, and
// invalid UTF-8 are written as Go escapes (\x1b, \n, \u202e). Data from
// sources and users (file names, record text, reasons, notes) can then not
// move the cursor, recolour or clear the screen, set the window title, hide
// text by reordering it, or break a table's columns. JSON output needs none
// of this: its encoder escapes control characters itself.
func Term(s string) string { return escape(s, false) }

// TermText is Term for multi-line text: newlines and tabs are kept.
func TermText(s string) string { return escape(s, true) }

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
		case r < 0x80 && unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
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
		if r == utf8.RuneError && size == 1 || unsafe(r) && !(keepLines && (r == '\n' || r == '\t')) {
			return true
		}
		i += size
	}
	return false
}

// unsafe reports whether r acts on a terminal rather than showing: a
// control character, or a bidirectional formatting character (U+061C,
// U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) that reorders what follows.
func unsafe(r rune) bool {
	return unicode.IsControl(r) || r == 0x061c || r == 0x200e || r == 0x200f ||
		0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}

// TermWriter is a writer for plain-text output to a terminal: what is
// written through it goes out as TermText, so every string printed through
// it is escaped, data or not (truce itself prints no control characters
// but newlines and tabs). Each Write is escaped on its own: fmt writes a
// whole formatted string at a time.
func TermWriter(w io.Writer) io.Writer { return termWriter{w} }

type termWriter struct{ w io.Writer }

func (t termWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(t.w, TermText(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
