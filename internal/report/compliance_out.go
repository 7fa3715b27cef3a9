package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/geo"
)

// ComplianceMarkdown writes the compliance report as Markdown: the
// summary per reading and party, by review status (never summed across
// statuses), incident grade, target category and region; the baseline;
// the disputed terms; the releases; the sources' coverage; and the annex
// every number is counted from. Charts are in the HTML form only.
func ComplianceMarkdown(w io.Writer, r *compliance.Report) error {
	return writeMarkdown(w, complianceDocument(r, HTMLOptions{}))
}

// DailyMarkdown writes the daily report as Markdown.
func DailyMarkdown(w io.Writer, d *compliance.Daily) error {
	return writeMarkdown(w, dailyDocument(d))
}

// DailyHTML writes the daily report as one HTML page that stands alone.
func DailyHTML(w io.Writer, d *compliance.Daily) error {
	return writeHTML(w, dailyDocument(d))
}

func writeMarkdown(w io.Writer, d document) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", cell(d.Title))
	for _, p := range d.Lead {
		fmt.Fprintf(bw, "%s\n\n", cell(p))
	}
	for _, s := range d.Sections {
		fmt.Fprintf(bw, "%s %s\n\n", strings.Repeat("#", s.Level), cell(s.Heading))
		for _, b := range s.Blocks {
			switch {
			case b.Table != nil:
				markdownTable(bw, b.Table)
			case b.List != nil:
				for _, item := range b.List {
					fmt.Fprintf(bw, "- %s\n", cell(item))
				}
				fmt.Fprintln(bw)
			case b.Chart != nil:
				// The HTML and PDF forms draw it.
			default:
				fmt.Fprintf(bw, "%s\n\n", cell(b.Text))
			}
		}
	}
	return bw.Flush()
}

func markdownTable(w io.Writer, t *table) {
	fmt.Fprint(w, "|")
	for _, h := range t.Head {
		fmt.Fprintf(w, " %s |", cell(h))
	}
	fmt.Fprint(w, "\n|")
	for i := range t.Head {
		if i < len(t.Numeric) && t.Numeric[i] {
			fmt.Fprint(w, "---:|")
		} else {
			fmt.Fprint(w, "---|")
		}
	}
	fmt.Fprintln(w)
	for _, r := range t.Rows {
		fmt.Fprint(w, "|")
		for _, c := range r {
			fmt.Fprintf(w, " %s |", cell(c))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// cell makes text safe in one Markdown line or table cell: no line
// breaks, no control or bidirectional-override characters, pipes escaped.
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "|", `\|`)
}

//go:embed templates/*.html
var templates embed.FS

var htmlReport = template.Must(template.New("compliance.html").Funcs(template.FuncMap{
	"numeric": func(t *table, i int) bool { return i < len(t.Numeric) && t.Numeric[i] },
	"heading": func(level int) string { return fmt.Sprintf("h%d", level) },
	"chart": func(b block) (template.HTML, error) {
		var sb strings.Builder
		if err := b.Chart(&sb); err != nil {
			return "", err
		}
		// The chart escapes every text it holds (html.EscapeString).
		return template.HTML(sb.String()), nil //nolint:gosec // built by DailyChart/RegionBars/Choropleth, which escape their text
	},
}).ParseFS(templates, "templates/compliance.html"))

// ComplianceHTML writes the compliance report as one HTML page that stands
// alone (styles inline, charts as SVG, nothing fetched), for reading or
// for printing to PDF.
func ComplianceHTML(w io.Writer, r *compliance.Report) error {
	return ComplianceHTMLWith(w, r, HTMLOptions{})
}

// HTMLOptions are what an HTML report draws besides its data.
type HTMLOptions struct {
	// Outlines, if set, are admin-1 outlines (the operator's boundaries
	// file): each reading's findings per region are then also a
	// choropleth map.
	Outlines *geo.Outlines
}

// ComplianceHTMLWith is ComplianceHTML with options.
func ComplianceHTMLWith(w io.Writer, r *compliance.Report, opts HTMLOptions) error {
	return writeHTML(w, complianceDocument(r, opts))
}

func writeHTML(w io.Writer, d document) error {
	bw := bufio.NewWriter(w)
	if err := htmlReport.Execute(bw, d); err != nil {
		return err
	}
	return bw.Flush()
}
