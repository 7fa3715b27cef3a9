package termsafe

import "testing"

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, line, text string }{
		{"plain Київ", "plain Київ", "plain Київ"},
		{"a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		{"two\nlines\tand tab", `two\nlines\tand tab`, "two\nlines\tand tab"},
		{"bidi \u202e evil \u2066", `bidi \u202e evil \u2066`, `bidi \u202e evil \u2066`},
		{"separator \u2028 here", `separator \u2028 here`, `separator \u2028 here`},
		{"bad \xff byte \r", `bad \xff byte \r`, `bad \xff byte \r`},
		{"c1 \u009b", `c1 \u009b`, `c1 \u009b`},
	} {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := Text(tc.in); got != tc.text {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}
