package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/reportfile"
	"github.com/truce-monitor/truce/internal/web"
)

func (a *invocation) reportCommand() *cobra.Command {
	var req app.ReportRequest
	var format, out, boundaries string
	c := &cobra.Command{
		Use:   "report --agreement ID [--reading PARTY|all] [--from D --to D] [--format md|html|pdf|json] [--boundaries FILE] [--out FILE]",
		Short: "The compliance report of an agreement: per party, by review status, grade, category and region, with its annex",
		Long: `Write the compliance report of the latest evaluated version of an
agreement, under every reading side by side (--reading all, the default) or
one party's:

  - per accused party, the candidate and ambiguous findings by review
    status (confirmed, corroborated, alleged, refuted, inconclusive, not
    attributable: never added together), by the grade of the incident that
    holds their record, by target category and by admin-1 region; those
    whose record straddles an edge of the reading's window apart;
  - the releases: which confirmed finding released whom, since when;
  - coverage: each source's records, first and last, and the days between
    with no record from it; the records not located below country level;
  - the annex: every finding counted, with its record, status, grade,
    region and review link. Every number is counted from it.

--from and --to bound the records by their start: a date (midnight in the
agreement's time zone) or an RFC 3339 time; by default the span of the
readings' windows. A viewer's report counts published findings only.

--format md is Markdown for people; html one page that stands alone (styles
inline, charts drawn as SVG: findings per day with each reading's window,
findings per region, and with --boundaries a map of them), to read or
print; pdf that page printed by headless
Chromium (A4 landscape, page numbers; needs the chromium package); json the
same data for programs.
--boundaries FILE, a GeoJSON file of admin-1 outlines naming each
region's ISO 3166-2 code (as truce serve --boundaries takes), adds to the
html and pdf forms a choropleth of each reading's findings per region,
with the regions it does not draw listed under it.
--out writes the report to FILE (whole or not at all) instead of standard
output.`,
		Example: `  truce report --agreement energy-moratorium-2025
  truce report --agreement energy-moratorium-2025 --reading UA --from 2025-03-25 --to 2025-04-01 --out week1.md
  truce report --agreement energy-moratorium-2025 --format pdf --out moratorium.pdf
  truce report --agreement energy-moratorium-2025 --format html --boundaries ukraine-oblasts.geojson --out report.html
  truce report --agreement energy-moratorium-2025 --format json | jq '.readings[0].parties'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if req.Agreement == "" {
				return &exitError{code: 2, err: fmt.Errorf("report needs --agreement ID (truce agreement list... see 'truce findings' for the stored ones)")}
			}
			if !slices.Contains(reportfile.ComplianceFormats, format) {
				return &exitError{code: 2, err: fmt.Errorf("--format %q: use %s", format, orList(reportfile.ComplianceFormats))}
			}
			var opts report.HTMLOptions
			if boundaries != "" {
				if format != "html" && format != "pdf" {
					return &exitError{code: 2, err: fmt.Errorf("--boundaries draws a map in the html and pdf forms, not in %s", format)}
				}
				var err error
				if opts.Outlines, err = readOutlines(boundaries); err != nil {
					return err
				}
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			req.YAML = yamlLimits(c)
			rep, err := ap.ComplianceReport(ctx, req)
			if err != nil {
				return err
			}
			return writeOut(c, out, func(w io.Writer) error { return reportfile.Compliance(ctx, w, rep, format, opts) })
		},
	}
	f := c.Flags()
	f.StringVar(&req.Agreement, "agreement", "", "the agreement `ID`")
	f.StringVar(&req.Reading, "reading", "all", "a party's reading (`PARTY`), or all side by side")
	f.StringVar(&req.From, "from", "", "records starting at or after `D` (a date or an RFC 3339 time)")
	f.StringVar(&req.To, "to", "", "records starting before `D`")
	f.StringVar(&format, "format", "md", "the report as `FORMAT`: "+orList(reportfile.ComplianceFormats))
	f.StringVar(&out, "out", "", "write the report to `FILE` (default: standard output)")
	f.StringVar(&boundaries, "boundaries", "", "a GeoJSON `FILE` of admin-1 outlines: html and pdf draw a map of the findings per region")
	c.AddCommand(a.reportDailyCommand())
	return c
}

func (a *invocation) reportDailyCommand() *cobra.Command {
	var req app.DailyRequest
	var format, out string
	c := &cobra.Command{
		Use:   "daily --agreement ID --date D [--at HH:MM] [--format md|html|json] [--out FILE]",
		Short: "The daily report: what started in the 24 hours up to a fixed hour, area by area, in a fixed vocabulary",
		Long: `Write the daily report of an agreement, in the manner of a monitoring
mission's: as of --at (default 19:30) on --date, in the agreement's time
zone, every record with a candidate or ambiguous finding that started since
the same hour the day before, area by area (admin-1 region, else country),
each entry in a fixed vocabulary:

  recorded               a source reported it, and no review said more
  alleged                a party claimed it, and no review said more
  corroborated           review corroborated or confirmed it
  could not be verified  review could not verify or attribute it
  refuted                review found it did not happen as reported

Each entry names its record, source, the readings under which it is a
finding, and the findings. A viewer's report mentions published findings
only.`,
		Example: `  truce report daily --agreement energy-moratorium-2025 --date 2025-03-27
  truce report daily --agreement energy-moratorium-2025 --date 2025-03-27 --at 18:00 --format html --out 2025-03-27.html`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if req.Agreement == "" || req.Date == "" {
				return &exitError{code: 2, err: fmt.Errorf("report daily needs --agreement ID and --date D")}
			}
			if !slices.Contains(reportfile.DailyFormats, format) {
				return &exitError{code: 2, err: fmt.Errorf("--format %q: use %s", format, orList(reportfile.DailyFormats))}
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			req.YAML = yamlLimits(c)
			d, err := ap.DailyReport(ctx, req)
			if err != nil {
				return err
			}
			return writeOut(c, out, func(w io.Writer) error { return reportfile.Daily(w, d, format) })
		},
	}
	f := c.Flags()
	f.StringVar(&req.Agreement, "agreement", "", "the agreement `ID`")
	f.StringVar(&req.Date, "date", "", "the report's day `D` (2025-03-27), in the agreement's time zone")
	f.StringVar(&req.At, "at", app.DefaultDailyHour, "the report's hour `HH:MM`, in the agreement's time zone")
	f.StringVar(&format, "format", "md", "the report as `FORMAT`: "+orList(reportfile.DailyFormats))
	f.StringVar(&out, "out", "", "write the report to `FILE` (default: standard output)")
	return c
}

// readOutlines reads an admin-1 outlines file as the server's map does,
// then their regions' codes.
func readOutlines(path string) (*geo.Outlines, error) {
	b, err := web.LoadBoundaries(path)
	if err != nil {
		return nil, err
	}
	o, err := geo.ParseOutlines(b)
	if err != nil {
		return nil, fmt.Errorf("boundaries %s: %w", path, err)
	}
	return o, nil
}

// writeOut runs write on standard output (path "" or "-") or on path,
// which it replaces whole once write succeeds: a failed run leaves no
// half-written file.
func writeOut(c *cobra.Command, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(c.OutOrStdout())
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(c.ErrOrStderr(), "wrote %s\n", path)
	return nil
}
