package report

import (
	"io"

	"github.com/truce-monitor/truce/internal/termsafe"
)

// Term makes s safe to print on a terminal, on one line (package
// termsafe): data from sources and users (file names, record text,
// reasons, notes) cannot act on the terminal. JSON output needs none of
// this: its encoder escapes control characters itself.
func Term(s string) string { return termsafe.Line(s) }

// TermText is Term for multi-line text: newlines and tabs are kept.
func TermText(s string) string { return termsafe.Text(s) }

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
