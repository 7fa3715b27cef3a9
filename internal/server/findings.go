package server

import (
	"cmp"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
)

// findings answers a page of findings: GET /api/v1/findings?agreement=
// &version=&reading=&accused=&verdict=a,b&needs_review=&withdrawn=
// &status=a,b&from=&to=&source=&kind=&category=&country=&admin1=&q=
// &after=CURSOR&limit=N.
func (s *Server) findings(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p findingsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	fq, err := p.query()
	if err != nil {
		return err
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
	q, err := p.query()
	if err != nil {
		return err
	}
	list, err := ap.IncidentsPage(r.Context(), q, p.After, p.Limit)
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

// query is the use case's query the filters make.
func (p findingFilters) query() (app.FindingQuery, error) {
	from, to, err := queryTimes(p.From, p.To)
	if err != nil {
		return app.FindingQuery{}, err
	}
	return app.FindingQuery{
		Agreement: p.Agreement, Version: p.Version, Reading: p.Reading, Accused: p.Accused,
		Verdicts: p.Verdict, NeedsReview: p.NeedsReview, Withdrawn: p.Withdrawn, Statuses: p.Status,
		From: from, To: to, Source: p.Source, Kind: p.Kind, Category: p.Category, Country: p.Country, Admin1: p.Admin1, Text: p.Q,
	}, nil
}

// exportTypes are the media types of the export formats.
var exportTypes = map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/x-ndjson", "geojson": "application/geo+json"}

// exportFindings: GET /api/v1/findings/export?format=csv|json|geojson and
// the list's filters: every finding they select, streamed as a file, as
// 'truce findings --output FORMAT' writes it.
func (s *Server) exportFindings(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p exportParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	format := cmp.Or(p.Format, "csv")
	ctype, ok := exportTypes[format]
	if !ok {
		return &app.Error{Kind: app.KindInvalid, Err: badParam{"format", p.Format, "csv, json or geojson"}}
	}
	fq, err := p.query()
	if err != nil {
		return err
	}
	// The filters are checked before anything is sent, so that one that
	// names nothing is still an error status; after, a failure can only
	// cut the file short (and is logged).
	if _, err := ap.FindingsPage(r.Context(), fq, "", 1); err != nil {
		return err
	}
	attachment(w, ctype, "findings."+exportExt[format])
	out, err := report.NewFindingWriter(w, format)
	if err != nil {
		return err
	}
	if err := ap.FindingsSeen(r.Context(), fq, out.Write); err != nil {
		s.log.WarnContext(r.Context(), "export cut short", "err", err)
		return nil
	}
	_ = out.Close()
	return nil
}

// exportIncidents: GET /api/v1/incidents/export?format=csv|json|geojson
// and the list's filters: every incident they select, as a file, as
// 'truce incident list --output FORMAT' writes it.
func (s *Server) exportIncidents(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p incidentExportParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	format := cmp.Or(p.Format, "csv")
	ctype, ok := exportTypes[format]
	if !ok {
		return &app.Error{Kind: app.KindInvalid, Err: badParam{"format", p.Format, "csv, json or geojson"}}
	}
	q, err := p.query()
	if err != nil {
		return err
	}
	// Incidents are thousands: the list is read whole, so that any error
	// is still a status.
	list, err := ap.IncidentsSeen(r.Context(), q)
	if err != nil {
		return err
	}
	attachment(w, ctype, "incidents."+exportExt[format])
	out, err := report.NewIncidentWriter(w, format)
	if err != nil {
		return err
	}
	for i := range list {
		if err := out.Write(&list[i]); err != nil {
			s.log.WarnContext(r.Context(), "export cut short", "err", err)
			return nil
		}
	}
	_ = out.Close()
	return nil
}

// exportExt are the export formats' file name extensions.
var exportExt = map[string]string{"csv": "csv", "json": "jsonl", "geojson": "geojson"}

// attachment sets the headers of a file to download.
func attachment(w http.ResponseWriter, ctype, name string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
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
// event&from=&to=&source=&kind=&category=&country=&admin1=&party=&q=&after=&limit=.
func (s *Server) records(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p recordsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	from, to, err := queryTimes(p.From, p.To)
	if err != nil {
		return err
	}
	page, err := ap.RecordsPage(r.Context(), app.RecordQuery{Record: p.Record, From: from, To: to, Source: p.Source,
		Kind: p.Kind, Category: p.Category, Country: p.Country, Admin1: p.Admin1, Party: p.Party, Text: p.Q}, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// queryTimes reads the from and to parameters (app.ParseTime).
func queryTimes(from, to string) (time.Time, time.Time, error) {
	f, err := app.ParseTime("query parameter from", from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, err := app.ParseTime("query parameter to", to)
	return f, t, err
}
