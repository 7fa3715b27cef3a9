// Package reportfile writes the compliance and daily reports as the files
// the command line and the dashboard hand out: Markdown, HTML, JSON and,
// for the compliance report, PDF printed by Chromium (internal/pdf). The
// forms themselves are internal/report's; this is the one place that
// picks among them by name, for both adapters.
package reportfile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/pdf"
	"github.com/truce-monitor/truce/internal/report"
)

// ComplianceFormats and DailyFormats are the forms of each report.
var (
	ComplianceFormats = []string{"md", "html", "pdf", "json"}
	DailyFormats      = []string{"md", "html", "json"}
)

// ErrFormat: a report has no such form.
type ErrFormat struct{ Format, Report string }

func (e *ErrFormat) Error() string {
	forms := DailyFormats
	if e.Report == "compliance" {
		forms = ComplianceFormats
	}
	return fmt.Sprintf("the %s report has no format %q: use %s", e.Report, e.Format, strings.Join(forms, ", "))
}

// Compliance writes rep in format; a PDF is its HTML form printed by
// Chromium (pdf.ErrNoBrowser without one). opts are the HTML form's (and
// so the PDF's): the map, with the operator's outlines.
func Compliance(ctx context.Context, w io.Writer, rep *compliance.Report, format string, opts report.HTMLOptions) error {
	switch format {
	case "md":
		return report.ComplianceMarkdown(w, rep)
	case "html":
		return report.ComplianceHTMLWith(w, rep, opts)
	case "json":
		return indented(w, rep)
	case "pdf":
		var page bytes.Buffer
		if err := report.ComplianceHTMLWith(&page, rep, opts); err != nil {
			return err
		}
		b, err := pdf.Print(ctx, page.Bytes())
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return &ErrFormat{format, "compliance"}
}

// Daily writes d in format.
func Daily(w io.Writer, d *compliance.Daily, format string) error {
	switch format {
	case "md":
		return report.DailyMarkdown(w, d)
	case "html":
		return report.DailyHTML(w, d)
	case "json":
		return indented(w, d)
	}
	return &ErrFormat{format, "daily"}
}

// Known reports whether report ("compliance" or "daily") has format.
func Known(reportName, format string) bool {
	switch reportName {
	case "compliance":
		return slices.Contains(ComplianceFormats, format)
	case "daily":
		return slices.Contains(DailyFormats, format)
	}
	return false
}

func indented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
