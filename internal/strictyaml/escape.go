package strictyaml

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escape makes text from a file safe to print on a terminal: control
// characters (an ESC starting a terminal sequence, a carriage return that
// hides the line before it) and invalid UTF-8 are written as \x1b, \r, \xff.
func escape(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// controlChar finds a control character other than tab and newline: values
// are printed by show, check and the reports, so one carrying an escape
// sequence is refused when the file is read.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if r != '\t' && r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return r, true
		}
	}
	return 0, false
}
