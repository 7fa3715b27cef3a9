package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The browsing pages: findings, incidents, records and agreements, each a
// list and a page of one (finding.go, incident.go, record.go,
// agreement.go). Their templates are browsePages; their template
// functions browseFuncs.

var browsePages = []string{"finding", "findings", "incident", "incidents", "record", "agreement", "agreements"}

var browseFuncs = template.FuncMap{
	"inZone":     inZone,
	"recordPath": recordPath,
	"pageLink":   pageLink,
	"dict":       dict,
}

// mountBrowse puts the browsing pages on mux.
func (h *Handler) mountBrowse(mux *http.ServeMux) {
	mux.Handle("GET /findings", h.page(h.findingsList))
	mux.Handle("GET /findings/{id}", h.page(h.findingPage))
	mux.Handle("GET /incidents", h.page(h.incidentsList))
	mux.Handle("GET /incidents/{id}", h.page(h.incidentPage))
	mux.Handle("GET /records/{kind}/{id}", h.page(h.recordPage))
	mux.Handle("GET /agreements", h.page(h.agreementsList))
	mux.Handle("GET /agreements/{id}", h.page(h.agreementPage))
}

// inZone is t in the named zone (an IANA name, Europe/Kyiv), said so:
// "19 Mar 2025 14:30 (Europe/Kyiv)", never a bare offset, which changes at
// the daylight-saving switch. No zone, or one this system does not know:
// UTC, said so.
func inZone(t time.Time, zone string) string {
	if t.IsZero() {
		return "-"
	}
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		return when(t)
	}
	return t.In(loc).Format("2 Jan 2006 15:04") + " (" + zone + ")"
}

// recordPath is the page of a record: /records/event/12 (an allegation's
// record is the record's page).
func recordPath(r vocab.Ref) string {
	return "/records/" + string(r.Kind) + "/" + strconv.FormatInt(r.ID, 10)
}

// pageLink is a list's path with its form's values and the cursor after.
func pageLink(path string, form url.Values, after string) string {
	v := url.Values{}
	for k, vs := range form {
		if k != "after" {
			v[k] = vs
		}
	}
	if after != "" {
		v.Set("after", after)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// dict makes a map of key, value pairs: a sub-template's arguments.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: keys and values in pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: a key is not a string")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// pathID is the path's positive {id}; another is not found.
func pathID(r *http.Request, what string) (int64, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &app.Error{Kind: app.KindNotFound, Err: errors.New(what + " " + strconv.Quote(v) + " not found: ids are numbers from 1")}
	}
	return id, nil
}

// formDates reads a list form's from and to: dates (UTC days, both
// included) or RFC 3339 times; a to that is a date bounds the list at the
// next midnight.
func formDates(q url.Values) (from, to time.Time, err error) {
	if from, err = app.ParseTime("from", q.Get("from")); err != nil {
		return from, to, err
	}
	if to, err = app.ParseTime("to", q.Get("to")); err != nil {
		return from, to, err
	}
	if _, derr := time.Parse(time.DateOnly, q.Get("to")); derr == nil {
		to = to.AddDate(0, 0, 1)
	}
	return from, to, nil
}

// formBool reads a box of a form: absent or empty is false; on, true, 1
// and yes are true; another value is an error naming the field.
func formBool(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "":
		return false, nil
	case "on", "true", "1", "yes":
		return true, nil
	}
	return false, &app.Error{Kind: app.KindInvalid, Err: badValue(name, q.Get(name), "on or nothing")}
}

// filterError is a list's filter that names nothing: the list's page with
// the form and the problem, status 400, whatever kind the use case gave
// it (an agreement not stored is no list's 404). Other errors pass.
func filterError(err error) (string, bool) {
	switch app.KindOf(err) {
	case app.KindInvalid, app.KindNotFound:
		return err.Error(), true
	}
	return "", false
}

// listChoices are the values the lists' forms offer.
type listChoices struct {
	Statuses []vocab.Status
	Verdicts []vocab.Verdict
	Grades   []vocab.Grade
}

var lists = listChoices{Statuses: vocab.Statuses(), Verdicts: vocab.Verdicts(), Grades: vocab.Grades()}
