package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/taxonomy"
	"github.com/truce-monitor/truce/internal/vocab"
)

// mapFilter is the map's GET form: the findings whose record is from From
// to To (dates, UTC days, both included), against Party, of Category, in
// review status Status. An empty field does not filter.
type mapFilter struct {
	From, To, Party, Category, Status string
}

func readMapFilter(q url.Values) mapFilter {
	return mapFilter{From: q.Get("from"), To: q.Get("to"), Party: q.Get("party"), Category: q.Get("category"), Status: q.Get("status")}
}

// query is the filter as the findings use case takes it; the use case
// checks the values (an unknown party, category or status is an error
// naming those there are). To is a day included: the query's bound is
// the next midnight.
func (f mapFilter) query() (app.FindingQuery, error) {
	q := app.FindingQuery{Accused: f.Party, Category: f.Category}
	if f.Status != "" {
		q.Statuses = []string{f.Status}
	}
	var err error
	if q.From, err = app.ParseTime("from", f.From); err != nil {
		return q, err
	}
	if q.To, err = app.ParseTime("to", f.To); err != nil {
		return q, err
	}
	if _, derr := time.Parse(time.DateOnly, f.To); derr == nil {
		q.To = q.To.AddDate(0, 0, 1)
	}
	return q, nil
}

// encode is the filter as the map data's query string.
func (f mapFilter) encode() string {
	v := url.Values{}
	for _, kv := range [][2]string{{"from", f.From}, {"to", f.To}, {"party", f.Party}, {"category", f.Category}, {"status", f.Status}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v.Encode()
}

// IsSet reports whether any field filters.
func (f mapFilter) IsSet() bool { return f != mapFilter{} }

// mapChoices are the values the form's lists offer.
type mapChoices struct {
	Statuses   []vocab.Status
	Categories []string
}

var choices = mapChoices{Statuses: vocab.Statuses(), Categories: taxonomy.Targets.IDs()}

// mapError renders the map page with the form and the error of its values
// (400), not an empty map; other errors are the error page.
func (h *Handler) mapError(w http.ResponseWriter, r *http.Request, ap *app.App, f mapFilter, err error) error {
	if app.KindOf(err) != app.KindInvalid {
		return err
	}
	who, werr := ap.Who(r.Context())
	if werr != nil {
		return werr
	}
	d := &mapPageData{Filter: f, Choices: choices, Error: err.Error()}
	h.render(w, r, http.StatusBadRequest, "map", view{Title: "Map", Here: "map", Who: who, Data: d})
	return nil
}

// mapPageData is what the map page shows: the form, and the map's data or
// the error of the form's values.
type mapPageData struct {
	*mapView
	Filter  mapFilter
	Choices mapChoices
	Src     string // the map data's URL, with the filter
	Error   string
	Offer   []string // the parties the form offers
	// Boundaries is set when the operator gave admin-1 outlines.
	Boundaries bool
}
