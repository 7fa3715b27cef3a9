package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
)

func TestTerm(t *testing.T) {
	for _, tc := range []struct{ in, line, text string }{
		{"crater.jpg", "crater.jpg", "crater.jpg"},
		{"Запоріжжя, Україна", "Запоріжжя, Україна", "Запоріжжя, Україна"},
		// Clear the screen, set the title, colour: the ESC is shown, not sent.
		{"\x1b[2J\x1b]0;owned\x07x", `\x1b[2J\x1b]0;owned\x07x`, `\x1b[2J\x1b]0;owned\x07x`},
		{"a\nb\tc\rd", `a\nb\tc\rd`, "a\nb\tc\\rd"},
		{"del\x7f c1\u009b nul\x00", `del\x7f c1\u009b nul\x00`, `del\x7f c1\u009b nul\x00`},
		// A right-to-left override would show "gpj.exe" as "exe.jpg".
		{"photo\u202egpj.exe", `photo\u202egpj.exe`, `photo\u202egpj.exe`},
		{"bad \xff\xfe byte", `bad \xff\xfe byte`, `bad \xff\xfe byte`},
		{"", "", ""},
	} {
		if got := Term(tc.in); got != tc.line {
			t.Errorf("Term(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := TermText(tc.in); got != tc.text {
			t.Errorf("TermText(%q) = %q, want %q", tc.in, got, tc.text)
		}
	}
}

func TestTermWriter(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(TermWriter(&b), "file: %s\nnotes: %s\n", "a\x1b[31mred", "two\nlines\u202e")
	if want := "file: a\\x1b[31mred\nnotes: two\nlines\\u202e\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// The findings table escapes what records and agreements bring.
func TestTableEscapes(t *testing.T) {
	var b strings.Builder
	w, err := NewFindingWriter(&b, "table")
	if err != nil {
		t.Fatal(err)
	}
	f := &Finding{Source: "feed\x1b[2J", SourceID: "1\r", Place: event.Place{Name: "Kyiv\u202e"}}
	if err := w.Write(f); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\r\u202e") || !strings.Contains(b.String(), `feed\x1b[2J:1\r`) || !strings.Contains(b.String(), `Kyiv\u202e`) {
		t.Errorf("table:\n%q", b.String())
	}
}
