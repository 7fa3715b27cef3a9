package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/pdf"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/reportfile"
	"github.com/truce-monitor/truce/internal/vocab"
)

// reportQuery is the reports page's form: the compliance report's
// agreement, reading and period, and the daily report's date and hour.
type reportQuery struct {
	Agreement, Reading, From, To string
	Date, At                     string
}

func reportQueryOf(r *http.Request) reportQuery {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return reportQuery{Agreement: get("agreement"), Reading: get("reading"), From: get("from"), To: get("to"), Date: get("date"), At: get("at")}
}

func (q reportQuery) compliance() app.ReportRequest {
	return app.ReportRequest{Agreement: q.Agreement, Reading: q.Reading, From: q.From, To: q.To}
}

func (q reportQuery) daily() app.DailyRequest {
	return app.DailyRequest{Agreement: q.Agreement, Date: q.Date, At: q.At}
}

// values are the query of the report's files: the compliance report's
// fields, or the daily report's.
func (q reportQuery) values(daily bool) template.URL {
	v := url.Values{"agreement": {q.Agreement}}
	add := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	if daily {
		add("date", q.Date)
		add("at", q.At)
	} else {
		add("reading", q.Reading)
		add("from", q.From)
		add("to", q.To)
	}
	return template.URL(v.Encode()) //nolint:gosec // url.Values.Encode escapes every value
}

// reportsData is what the reports page shows.
type reportsData struct {
	Agreements []app.AgreementSummary
	Q          reportQuery
	// Report is the compliance report (nil if it could not be made: Error
	// says why), with its summary per reading and party; Files its query.
	Report   *compliance.Report
	Summary  []reportReading
	Statuses []vocab.Status
	Files    template.URL // url.Values.Encode's: safe as it is
	PDF      bool         // Chromium is installed: the report prints to PDF
	Error    string
	// Daily is the daily report of Q.Date, if asked for.
	Daily      *compliance.Daily
	DailyAsOf  string // its hour and the one before, in its zone
	DailySince string
	DailyFiles template.URL
	DailyError string
}

// reportReading is a reading's counts per accused party and review
// status, as the report's summary has them (never summed across statuses).
type reportReading struct {
	Reading string
	Parties []reportParty
}

type reportParty struct {
	Party  string
	Counts []int // per status of reportsData.Statuses
}

// reportsPage: GET /reports?agreement=&reading=&from=&to=&date=&at=, the
// compliance report of an agreement (app.ComplianceReport, as 'truce
// report' and GET /api/v1/agreements/{id}/report make it) shown as its
// HTML form, with its summary in the page and links to it as Markdown,
// HTML, JSON and, with Chromium, PDF; and, for a date, the daily report
// (app.DailyReport). An unknown agreement is a 404 page, a bad reading or
// date a 400 page, each naming the problem, with the form to correct it.
func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	ctx := r.Context()
	who, err := ap.Who(ctx)
	if err != nil {
		return err
	}
	d := reportsData{Q: reportQueryOf(r), Statuses: vocab.Statuses()}
	if d.Agreements, err = ap.Agreements(ctx); err != nil {
		return err
	}
	if d.Q.Agreement == "" && len(d.Agreements) > 0 {
		d.Q.Agreement = d.Agreements[0].ID
	}
	if d.Q.Reading == "" {
		d.Q.Reading = "all"
	}
	status := http.StatusOK
	refused := func(err error) (string, error) {
		s := h.opts.Status(err)
		if s >= 500 || s == http.StatusUnauthorized {
			return "", err
		}
		status = max(status, s)
		return err.Error(), nil
	}
	if d.Q.Agreement != "" {
		if d.Report, err = ap.ComplianceReport(ctx, d.Q.compliance()); err != nil {
			if d.Error, err = refused(err); err != nil {
				return err
			}
		} else {
			d.Summary = reportSummary(d.Report, d.Statuses)
			d.Files = d.Q.values(false)
			_, perr := pdf.Browser()
			d.PDF = perr == nil
		}
	}
	if d.Q.Date != "" || d.Q.At != "" {
		if d.Daily, err = ap.DailyReport(ctx, d.Q.daily()); err != nil {
			if d.DailyError, err = refused(err); err != nil {
				return err
			}
		} else {
			d.DailyFiles = d.Q.values(true)
			loc, err := time.LoadLocation(d.Daily.Zone)
			if err != nil {
				loc = time.UTC
			}
			d.DailyAsOf, d.DailySince = local(d.Daily.AsOf, loc), local(d.Daily.Since, loc)
		}
	}
	h.render(w, r, status, "reports", view{Title: "Reports", Here: "reports", Who: who, Data: d})
	return nil
}

func reportSummary(rep *compliance.Report, statuses []vocab.Status) []reportReading {
	out := make([]reportReading, 0, len(rep.Readings))
	for _, rd := range rep.Readings {
		rr := reportReading{Reading: rd.Reading}
		for _, p := range rd.Parties {
			rp := reportParty{Party: p.Party}
			for _, s := range statuses {
				rp.Counts = append(rp.Counts, p.Timely.ByStatus[s])
			}
			rr.Parties = append(rr.Parties, rp)
		}
		out = append(out, rr)
	}
	return out
}

// reportTypes are the media types of the reports' files (reportfile's
// formats).
var reportTypes = map[string]string{
	"md":   "text/markdown; charset=utf-8",
	"html": "text/html; charset=utf-8",
	"json": "application/json",
	"pdf":  "application/pdf",
}

// reportFile: GET /reports/{file}, a report as a file with the reports
// page's query: compliance.md, .html, .json or .pdf (with Chromium),
// daily.md, .html or .json. The HTML forms stand alone (inline styles,
// SVG charts), so they are served with a policy of their own, which lets
// the reports page show them in a frame.
func (h *Handler) reportFile(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	ctx := r.Context()
	kind, format, _ := strings.Cut(r.PathValue("file"), ".")
	q := reportQueryOf(r)
	var buf bytes.Buffer
	var name string
	if !reportfile.Known(kind, format) {
		return &app.Error{Kind: app.KindNotFound, Err: fmt.Errorf("no report %q: compliance.md, .html, .json or .pdf, daily.md, .html or .json", r.PathValue("file"))}
	}
	if kind == "compliance" {
		rep, err := ap.ComplianceReport(ctx, q.compliance())
		if err != nil {
			return err
		}
		if format == "pdf" && h.opts.Printing != nil {
			release, err := h.opts.Printing.Acquire(ctx)
			if err != nil {
				return err
			}
			defer release()
		}
		err = reportfile.Compliance(ctx, &buf, rep, format, report.HTMLOptions{Outlines: h.opts.Outlines})
		if errors.Is(err, pdf.ErrNoBrowser) {
			return &app.Error{Kind: app.KindNotFound, Err: err}
		}
		if err != nil {
			return err
		}
		name = rep.Agreement + "-report"
	} else {
		d, err := ap.DailyReport(ctx, q.daily())
		if err != nil {
			return err
		}
		if err := reportfile.Daily(&buf, d, format); err != nil {
			return err
		}
		name = d.Agreement + "-daily-" + q.Date
	}
	hd := w.Header()
	hd.Set("Content-Type", reportTypes[format])
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	disposition := "attachment"
	if format == "html" {
		disposition = "inline"
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	}
	hd.Set("Content-Disposition", disposition+`; filename="`+name+"."+format+`"`)
	w.Write(buf.Bytes())
	return nil
}
