package server

import (
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
)

type reportParams struct {
	Reading string `query:"reading" doc:"a party's reading, or all (default) side by side"`
	From    string `query:"from" doc:"records starting at or after: a date (midnight in the agreement's time zone) or an RFC 3339 time"`
	To      string `query:"to" doc:"records starting before: a date or an RFC 3339 time"`
}

// complianceReport: GET /api/v1/agreements/{id}/report, the compliance
// report as 'truce report --format json' writes it.
func (s *Server) complianceReport(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p reportParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	rep, err := ap.ComplianceReport(r.Context(), app.ReportRequest{Agreement: r.PathValue("id"), Reading: p.Reading, From: p.From, To: p.To})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

type dailyParams struct {
	Date string `query:"date" doc:"the report's day (2025-03-27), in the agreement's time zone (required)"`
	At   string `query:"at" doc:"the report's hour (default 19:30), in the agreement's time zone"`
}

// dailyReport: GET /api/v1/agreements/{id}/daily?date=&at=, the daily
// report as 'truce report daily --format json' writes it.
func (s *Server) dailyReport(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p dailyParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	d, err := ap.DailyReport(r.Context(), app.DailyRequest{Agreement: r.PathValue("id"), Date: p.Date, At: p.At})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
