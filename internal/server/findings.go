package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
)

// query reads the request's query parameters, refusing ones no route
// knows: a misspelt filter must not read as "no filter".
type query struct {
	r     *http.Request
	known map[string]bool
	err   error
}

func newQuery(r *http.Request, known ...string) *query {
	q := &query{r: r, known: map[string]bool{}}
	for _, k := range known {
		q.known[k] = true
	}
	for k := range r.URL.Query() {
		if !q.known[k] {
			q.err = &app.Error{Kind: app.KindInvalid, Err: unknownParam{k, known}}
		}
	}
	return q
}

type unknownParam struct {
	name  string
	known []string
}

func (e unknownParam) Error() string {
	return "unknown query parameter " + strconv.Quote(e.name) + ": this route takes " + strings.Join(e.known, ", ")
}

// str reads a parameter given at most once.
func (q *query) str(name string) string {
	vs := q.r.URL.Query()[name]
	if len(vs) > 1 && q.err == nil {
		q.err = &app.Error{Kind: app.KindInvalid, Err: badParam{name, strings.Join(vs, "&"), "one value"}}
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// list reads a parameter given several times or comma-separated.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func (q *query) boolean(name string) bool {
	v := q.str(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil && q.err == nil {
		q.err = &app.Error{Kind: app.KindInvalid, Err: badParam{name, v, "true or false"}}
	}
	return b
}

func (q *query) integer(name string) int {
	v := q.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil && q.err == nil {
		q.err = &app.Error{Kind: app.KindInvalid, Err: badParam{name, v, "a whole number"}}
	}
	return n
}

type badParam struct{ name, value, want string }

func (e badParam) Error() string {
	return "query parameter " + e.name + "=" + strconv.Quote(e.value) + ": want " + e.want
}

// findings answers a page of findings: GET /api/v1/findings?agreement=
// &version=&reading=&accused=&verdict=a,b&needs_review=&withdrawn=
// &after=CURSOR&limit=N.
func (s *Server) findings(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	q := newQuery(r, "agreement", "version", "reading", "accused", "verdict", "needs_review", "withdrawn", "after", "limit")
	fq := app.FindingQuery{
		Agreement: q.str("agreement"), Version: q.integer("version"), Reading: q.str("reading"), Accused: q.str("accused"),
		Verdicts: q.list("verdict"), NeedsReview: q.boolean("needs_review"), Withdrawn: q.boolean("withdrawn"),
	}
	limit := q.integer("limit")
	if q.err != nil {
		return q.err
	}
	page, err := ap.FindingsPage(r.Context(), fq, q.str("after"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) agreements(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if q := newQuery(r); q.err != nil {
		return q.err
	}
	list, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"agreements": list})
	return nil
}

func (s *Server) agreementVersions(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	list, err := ap.AgreementVersions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": list})
	return nil
}

func (s *Server) incidents(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	q := newQuery(r, "grade", "status", "needs_review", "dissolved")
	iq := app.IncidentQuery{Grades: q.list("grade"), Statuses: q.list("status"), NeedsReview: q.boolean("needs_review"), Dissolved: q.boolean("dissolved")}
	if q.err != nil {
		return q.err
	}
	list, err := ap.Incidents(r.Context(), iq)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list})
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
	writeJSON(w, http.StatusOK, map[string]any{"imports": list})
	return nil
}

func (s *Server) auditEntries(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	q := newQuery(r, "after", "limit")
	after, limit := q.integer("after"), q.integer("limit")
	if q.err != nil {
		return q.err
	}
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
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
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
