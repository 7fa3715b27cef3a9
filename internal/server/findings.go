package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/app"
)

// findings answers a page of findings: GET /api/v1/findings?agreement=
// &version=&reading=&accused=&verdict=a,b&needs_review=&withdrawn=
// &after=CURSOR&limit=N.
func (s *Server) findings(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p findingsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	fq := app.FindingQuery{
		Agreement: p.Agreement, Version: p.Version, Reading: p.Reading, Accused: p.Accused,
		Verdicts: p.Verdict, NeedsReview: p.NeedsReview, Withdrawn: p.Withdrawn,
	}
	page, err := ap.FindingsPage(r.Context(), fq, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) agreements(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := decodeQuery(r, &noParams{}); err != nil {
		return err
	}
	list, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, agreementsView{list})
	return nil
}

func (s *Server) agreementVersions(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	list, err := ap.AgreementVersions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, versionsView{list})
	return nil
}

func (s *Server) incidents(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p incidentsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	list, err := ap.IncidentsPage(r.Context(), app.IncidentQuery{Grades: p.Grade, Statuses: p.Status, NeedsReview: p.NeedsReview, Dissolved: p.Dissolved}, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

func (s *Server) incident(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := ap.Incident(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) record(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	rec, err := ap.Record(r.Context(), r.PathValue("kind")+"/"+r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) imports(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	list, err := ap.Imports(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, importsView{list})
	return nil
}

func (s *Server) auditEntries(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p auditParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	after, limit := p.After, p.Limit
	if limit == 0 {
		limit = app.DefaultPage
	}
	if limit < 1 || limit > app.MaxPage {
		return &app.Error{Kind: app.KindInvalid, Err: badParam{"limit", strconv.Itoa(limit), "1 to " + strconv.Itoa(app.MaxPage)}}
	}
	entries, err := ap.AuditEntries(r.Context(), int64(after), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, auditView{entries})
	return nil
}

// pathID reads a positive id from the path.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &app.Error{Kind: app.KindInvalid, Err: errBadID(v)}
	}
	return id, nil
}

// records answers a page of events or claims: GET /api/v1/records?record=
// event&from=&to=&source=&kind=&category=&country=&party=&q=&after=&limit=.
func (s *Server) records(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p recordsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	from, err := queryTime("from", p.From)
	if err != nil {
		return err
	}
	to, err := queryTime("to", p.To)
	if err != nil {
		return err
	}
	page, err := ap.RecordsPage(r.Context(), app.RecordQuery{Record: p.Record, From: from, To: to, Source: p.Source,
		Kind: p.Kind, Category: p.Category, Country: p.Country, Party: p.Party, Text: p.Q}, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// queryTime reads a date (UTC midnight) or an RFC 3339 time; "" is none.
func queryTime(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &app.Error{Kind: app.KindInvalid, Err: badParam{name, v, "a date (2025-03-18) or an RFC 3339 time"}}
	}
	return t, nil
}
