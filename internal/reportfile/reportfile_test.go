package reportfile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/report"
)

// Each report knows its own forms: a daily report has no PDF, and a form
// neither has is an error naming the ones there are.
func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		report, format string
		known          bool
	}{
		{"compliance", "pdf", true}, {"compliance", "md", true}, {"daily", "json", true},
		{"daily", "pdf", false}, {"compliance", "txt", false}, {"weekly", "md", false},
	} {
		if got := Known(tc.report, tc.format); got != tc.known {
			t.Errorf("Known(%s, %s) = %v", tc.report, tc.format, got)
		}
	}
	var buf bytes.Buffer
	err := Daily(&buf, &compliance.Daily{}, "pdf")
	var fe *ErrFormat
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "use md, html, json") || buf.Len() != 0 {
		t.Errorf("a daily PDF: %v", err)
	}
	if err := Compliance(t.Context(), &buf, &compliance.Report{}, "txt", report.HTMLOptions{}); err == nil || !strings.Contains(err.Error(), "use md, html, pdf, json") {
		t.Errorf("a compliance txt: %v", err)
	}
	if err := Daily(&buf, &compliance.Daily{Agreement: "a"}, "json"); err != nil || !strings.Contains(buf.String(), `"agreement": "a"`) {
		t.Errorf("a daily JSON: %v %s", err, buf.String())
	}
}
