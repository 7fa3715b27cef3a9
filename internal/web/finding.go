package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

// findingData is what a finding's page shows.
type findingData struct {
	*app.ReviewPage
	ID     int64
	Zone   string // the reading's window's time zone, its times'
	Checks *app.Explanation
	// Denials are the denials in the incident holding its record.
	Denials []member
	Grade   *incident.Grade
}

// findingPage: GET /findings/{id}, one finding for a reader: its plain
// sentence first, then what it is about, its record, why clause by clause
// (one click away), the incident holding its record and its review. It
// reads the review page's use case, which applies the viewer rule.
func (h *Handler) findingPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "finding")
	if err != nil {
		return err
	}
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	page, err := ap.ReviewPage(r.Context(), vocab.Ref{Kind: vocab.KindFinding, ID: id})
	if err != nil {
		return err
	}
	f := page.Finding
	d := findingData{ReviewPage: page, ID: id, Zone: ap.ReadingZone(r.Context(), f.AgreementID, f.AgreementVersion, f.Reading)}
	var ex app.Explanation
	if json.Unmarshal(f.Explanation, &ex) == nil && len(ex.Checks) > 0 {
		d.Checks = &ex
	}
	if inc := page.InIncident; inc != nil {
		for _, m := range inc.Members {
			if m.Role == vocab.MemberDenial {
				d.Denials = append(d.Denials, member{Membership: m, Why: incident.Why(m.Reason), This: m.Record == f.Record})
			}
		}
		d.Grade = gradeOf(inc)
	}
	h.render(w, r, http.StatusOK, "finding", view{Title: "Finding " + strconv.FormatInt(id, 10), Here: "findings", Who: who, Data: d})
	return nil
}

// gradeOf is an incident's grade with its reasons, nil if they do not
// read: the grade itself still shows.
func gradeOf(inc *incident.Incident) *incident.Grade {
	var g incident.Grade
	if json.Unmarshal(inc.GradeReason, &g) != nil {
		return nil
	}
	return &g
}

// findingsData is what the findings list shows.
type findingsData struct {
	Form       url.Values
	Choices    listChoices
	Agreements []app.AgreementSummary
	Error      string
	Page       app.FindingPage
	First      bool // the first page: no cursor given
}

// findingsList: GET /findings, the findings a GET form selects (the API's
// filters: agreement, version, reading, accused, verdict, status,
// needs_review, withdrawn, from, to, source, kind, category, country,
// admin1, q), a page at a time (after, the cursor of the next page), each
// in its plain sentence. A value that names nothing is the page with the
// form and the problem, status 400, never an empty list.
func (h *Handler) findingsList(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	form := r.URL.Query()
	ags, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	d := findingsData{Form: form, Choices: lists, Agreements: ags, First: form.Get("after") == ""}
	status := http.StatusOK
	q, err := findingQuery(form)
	if err == nil {
		d.Page, err = ap.FindingsPage(r.Context(), q, form.Get("after"), 50)
	}
	if err != nil {
		msg, ok := filterError(err)
		if !ok {
			return err
		}
		d.Error, status = msg, http.StatusBadRequest
	}
	h.render(w, r, status, "findings", view{Title: "Findings", Here: "findings", Who: who, Data: d})
	return nil
}

// findingQuery is the findings form as the use case takes it; the use case
// checks the values.
func findingQuery(form url.Values) (app.FindingQuery, error) {
	q := app.FindingQuery{
		Agreement: form.Get("agreement"), Reading: form.Get("reading"), Accused: form.Get("accused"),
		Verdicts: nonEmpty(form["verdict"]), Statuses: nonEmpty(form["status"]),
		Source: form.Get("source"), Kind: form.Get("kind"), Category: form.Get("category"),
		Country: form.Get("country"), Admin1: form.Get("admin1"), Text: form.Get("q"),
	}
	var err error
	if v := form.Get("version"); v != "" {
		if q.Version, err = strconv.Atoi(v); err != nil || q.Version < 1 {
			return q, &app.Error{Kind: app.KindInvalid, Err: badValue("version", v, "a version number, from 1")}
		}
	}
	if q.NeedsReview, err = formBool(form, "needs_review"); err != nil {
		return q, err
	}
	if q.Withdrawn, err = formBool(form, "withdrawn"); err != nil {
		return q, err
	}
	q.From, q.To, err = formDates(form)
	return q, err
}

// nonEmpty drops a list's empty values: a select left at "any".
func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

type badValueError struct{ name, value, want string }

func (e badValueError) Error() string {
	return e.name + "=" + strconv.Quote(e.value) + ": want " + e.want
}

func badValue(name, value, want string) error { return badValueError{name, value, want} }
