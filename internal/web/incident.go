package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

// incidentData is what an incident's page shows.
type incidentData struct {
	*app.ReviewPage
	ID       int64
	Grade    *incident.Grade
	Members  []member
	Findings []app.Finding
}

// incidentPage: GET /incidents/{id}, one incident for a reader: its grade
// and why (the corroboration: the independent origins that report it, the
// denials), its members with their records linked, the findings on them,
// and its review. The use cases apply the viewer rule.
func (h *Handler) incidentPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	page, err := ap.ReviewPage(r.Context(), vocab.Ref{Kind: vocab.KindIncident, ID: id})
	if err != nil {
		return err
	}
	fs, err := ap.IncidentFindings(r.Context(), id)
	if err != nil {
		return err
	}
	d := incidentData{ReviewPage: page, ID: id, Grade: gradeOf(page.Incident), Findings: fs}
	for _, m := range page.Incident.Members {
		d.Members = append(d.Members, member{Membership: m, Why: incident.Why(m.Reason)})
	}
	h.render(w, r, http.StatusOK, "incident", view{Title: "Incident " + strconv.FormatInt(id, 10), Here: "incidents", Who: who, Data: d})
	return nil
}

// incidentsData is what the incidents list shows.
type incidentsData struct {
	Form       url.Values
	Choices    listChoices
	Agreements []app.AgreementSummary
	Error      string
	List       app.IncidentList
	First      bool
}

// incidentsList: GET /incidents, the incidents a GET form selects (the
// API's filters: grade, status, needs_review, dissolved, agreement, party,
// from, to, country, admin1), a page at a time. A value that names
// nothing is the page with the form and the problem, status 400.
func (h *Handler) incidentsList(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	form := r.URL.Query()
	ags, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	d := incidentsData{Form: form, Choices: lists, Agreements: ags, First: form.Get("after") == ""}
	status := http.StatusOK
	q, err := incidentQuery(form)
	if err == nil {
		d.List, err = ap.IncidentsPage(r.Context(), q, form.Get("after"), 50)
	}
	if err != nil {
		msg, ok := filterError(err)
		if !ok {
			return err
		}
		d.Error, status = msg, http.StatusBadRequest
	}
	h.render(w, r, status, "incidents", view{Title: "Incidents", Here: "incidents", Who: who, Data: d})
	return nil
}

func incidentQuery(form url.Values) (app.IncidentQuery, error) {
	q := app.IncidentQuery{
		Grades: nonEmpty(form["grade"]), Statuses: nonEmpty(form["status"]),
		Agreement: form.Get("agreement"), Party: form.Get("party"), Country: form.Get("country"), Admin1: form.Get("admin1"),
	}
	var err error
	if q.NeedsReview, err = formBool(form, "needs_review"); err != nil {
		return q, err
	}
	if q.Dissolved, err = formBool(form, "dissolved"); err != nil {
		return q, err
	}
	q.From, q.To, err = formDates(form)
	return q, err
}
