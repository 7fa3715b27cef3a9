package strictyaml

import (
	"unicode"

	"github.com/truce-monitor/truce/internal/termsafe"
)

// escape makes text from a file safe to print on a terminal (package
// termsafe): an ESC starting a terminal sequence, a carriage return that
// hides the line before it, invalid UTF-8 are written as \x1b, \r, \xff.
func escape(s string) string { return termsafe.Line(s) }

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
