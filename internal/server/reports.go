package server

import (
	"bytes"
	"errors"
	"mime"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/pdf"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/reportfile"
)

type reportParams struct {
	Reading string `query:"reading" doc:"a party's reading, or all (default) side by side"`
	From    string `query:"from" doc:"records starting at or after: a date (midnight in the agreement's time zone) or an RFC 3339 time"`
	To      string `query:"to" doc:"records starting before: a date or an RFC 3339 time"`
	Format  string `query:"format" doc:"json (default), md, html (a page that stands alone; with the server's --boundaries, a map per reading) or pdf (needs Chromium on the server)"`
}

// reportTypes are the media types of the reports' forms.
var reportTypes = map[string]string{"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}

// complianceReport: GET /api/v1/agreements/{id}/report, the compliance
// report as 'truce report' writes it: JSON by default.
func (s *Server) complianceReport(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p reportParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	if err := knownReportFormat("compliance", p.Format); err != nil {
		return err
	}
	rep, err := ap.ComplianceReport(r.Context(), app.ReportRequest{Agreement: r.PathValue("id"), Reading: p.Reading, From: p.From, To: p.To})
	if err != nil {
		return err
	}
	if p.Format == "" || p.Format == "json" {
		writeJSON(w, http.StatusOK, rep)
		return nil
	}
	if p.Format == "pdf" {
		release, err := s.printing.Acquire(r.Context())
		if err != nil {
			return err
		}
		defer release()
	}
	var buf bytes.Buffer
	err = reportfile.Compliance(r.Context(), &buf, rep, p.Format, report.HTMLOptions{Outlines: s.outlines})
	if errors.Is(err, pdf.ErrNoBrowser) {
		return &app.Error{Kind: app.KindNotFound, Err: err}
	}
	if err != nil {
		return err
	}
	writeReport(w, p.Format, rep.Agreement+"-report", buf.Bytes())
	return nil
}

type dailyParams struct {
	Date   string `query:"date" doc:"the report's day (2025-03-27), in the agreement's time zone (required)"`
	At     string `query:"at" doc:"the report's hour (default 19:30), in the agreement's time zone"`
	Format string `query:"format" doc:"json (default), md or html"`
}

// dailyReport: GET /api/v1/agreements/{id}/daily?date=&at=, the daily
// report as 'truce report daily' writes it: JSON by default.
func (s *Server) dailyReport(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p dailyParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	if err := knownReportFormat("daily", p.Format); err != nil {
		return err
	}
	d, err := ap.DailyReport(r.Context(), app.DailyRequest{Agreement: r.PathValue("id"), Date: p.Date, At: p.At})
	if err != nil {
		return err
	}
	if p.Format == "" || p.Format == "json" {
		writeJSON(w, http.StatusOK, d)
		return nil
	}
	var buf bytes.Buffer
	if err := reportfile.Daily(&buf, d, p.Format); err != nil {
		return err
	}
	writeReport(w, p.Format, d.Agreement+"-daily-"+p.Date, buf.Bytes())
	return nil
}

// knownReportFormat refuses a format the report has not, before the
// report is made.
func knownReportFormat(kind, format string) error {
	if format == "" || reportfile.Known(kind, format) {
		return nil
	}
	return &app.Error{Kind: app.KindInvalid, Err: &reportfile.ErrFormat{Format: format, Report: kind}}
}

// writeReport sends a report's file, inline; an HTML report may not run
// or fetch anything.
func writeReport(w http.ResponseWriter, format, name string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", reportTypes[format])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name + "." + format}))
	h.Set("Cache-Control", "no-store")
	if format == "html" {
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	}
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
