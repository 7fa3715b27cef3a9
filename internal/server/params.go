package server

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
)

// A route's query parameters are one struct whose fields carry a `query`
// tag: the handler decodes into it and the OpenAPI document describes it,
// so the two cannot differ. Fields are string, int, bool or []string (a
// list: the parameter repeated or comma-separated).

type findingsParams struct {
	findingFilters
	After string `query:"after" doc:"the next cursor of the page before"`
	Limit int    `query:"limit" doc:"findings a page, 1 to 1000 (default 100)"`
}

// exportParams are the findings list's filters and the export's format.
type exportParams struct {
	findingFilters
	Format string `query:"format" doc:"csv (RFC 4180, UTF-8), json (JSON Lines) or geojson (RFC 7946)"`
}

// findingFilters select findings, in a list or an export.
type findingFilters struct {
	Agreement   string   `query:"agreement" doc:"agreement id, as stored"`
	Version     int      `query:"version" doc:"one of its versions (default: the latest evaluated); needs agreement"`
	Reading     string   `query:"reading" doc:"party id whose reading"`
	Accused     string   `query:"accused" doc:"party id accused"`
	Verdict     []string `query:"verdict" doc:"candidate, ambiguous, excepted, near_miss"`
	NeedsReview bool     `query:"needs_review" doc:"only findings flagged for review"`
	Withdrawn   bool     `query:"withdrawn" doc:"withdrawn findings too"`
	Status      []string `query:"status" doc:"review statuses"`
	From        string   `query:"from" doc:"records starting at or after: a date (2025-03-18, UTC) or an RFC 3339 time"`
	To          string   `query:"to" doc:"records starting before: a date or an RFC 3339 time"`
	Source      string   `query:"source" doc:"the record's source, as stored (acled, strikes:...)"`
	Kind        string   `query:"kind" doc:"the record's kind and narrower ones (strike: strike.drone)"`
	Category    string   `query:"category" doc:"a target category of the record and narrower ones (energy: energy.electricity)"`
	Country     string   `query:"country" doc:"ISO 3166-1: an event's country, any of a claim's places"`
	Admin1      string   `query:"admin1" doc:"ISO 3166-2 (UA-14): an event's admin-1, any of a claim's places'"`
	Q           string   `query:"q" doc:"words the record's text holds, in any case"`
}

type incidentsParams struct {
	incidentFilters
	After string `query:"after" doc:"the next cursor of the page before"`
	Limit int    `query:"limit" doc:"incidents a page, 1 to 1000 (default 100)"`
}

// incidentExportParams are the incidents list's filters and the export's
// format.
type incidentExportParams struct {
	incidentFilters
	Format string `query:"format" doc:"csv (RFC 4180, UTF-8), json (JSON Lines) or geojson (RFC 7946)"`
}

// incidentFilters select incidents, in a list or an export.
type incidentFilters struct {
	Grade       []string `query:"grade" doc:"confirmed, fair, weak, contested, discounted"`
	Status      []string `query:"status" doc:"review statuses"`
	NeedsReview bool     `query:"needs_review" doc:"only incidents flagged for review"`
	Dissolved   bool     `query:"dissolved" doc:"dissolved incidents too"`
	Agreement   string   `query:"agreement" doc:"agreement id, as stored: incidents holding a standing finding of it"`
	Party       string   `query:"party" doc:"party id: incidents holding a standing finding against it"`
	From        string   `query:"from" doc:"incidents starting at or after: a date (2025-03-18, UTC) or an RFC 3339 time"`
	To          string   `query:"to" doc:"incidents starting before: a date or an RFC 3339 time"`
	Country     string   `query:"country" doc:"ISO 3166-1: the incident's country or any of its records'"`
	Admin1      string   `query:"admin1" doc:"ISO 3166-2 (UA-14): the incident's admin-1 or any of its records'"`
}

// query is the use case's query of the filters.
func (p incidentFilters) query() (app.IncidentQuery, error) {
	from, to, err := queryTimes(p.From, p.To)
	if err != nil {
		return app.IncidentQuery{}, err
	}
	return app.IncidentQuery{Grades: p.Grade, Statuses: p.Status, NeedsReview: p.NeedsReview, Dissolved: p.Dissolved,
		Agreement: p.Agreement, Party: p.Party, From: from, To: to, Country: p.Country, Admin1: p.Admin1}, nil
}

type auditParams struct {
	After int `query:"after" doc:"entries after this sequence number"`
	Limit int `query:"limit" doc:"entries, 1 to 1000 (default 100)"`
}

type reviewParams struct {
	Type        string   `query:"type" doc:"finding or incident"`
	Status      []string `query:"status" doc:"review statuses"`
	NeedsReview bool     `query:"needs_review" doc:"only subjects flagged for review"`
}

type evidenceParams struct {
	All bool `query:"all" doc:"superseded items too"`
}

// noParams is the query of a route that takes none.
type noParams struct{}

// decodeQuery fills *p from r's query, refusing a parameter p has no field
// for, a scalar given twice, and a value not of the field's type.
func decodeQuery(r *http.Request, p any) error {
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	fields := map[string][]int{}
	var names []string
	for _, f := range reflect.VisibleFields(t) { // embedded structs' fields too
		if n := f.Tag.Get("query"); n != "" && !f.Anonymous {
			fields[n] = f.Index
			names = append(names, n)
		}
	}
	for name, vals := range r.URL.Query() {
		i, ok := fields[name]
		if !ok {
			return &app.Error{Kind: app.KindInvalid, Err: unknownParam{name, names}}
		}
		f := v.FieldByIndex(i)
		if f.Kind() != reflect.Slice && len(vals) > 1 {
			return &app.Error{Kind: app.KindInvalid, Err: badParam{name, strings.Join(vals, "&"), "one value"}}
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString(vals[0])
		case reflect.Int:
			n, err := strconv.Atoi(vals[0])
			if err != nil {
				return &app.Error{Kind: app.KindInvalid, Err: badParam{name, vals[0], "a whole number"}}
			}
			f.SetInt(int64(n))
		case reflect.Bool:
			b, err := strconv.ParseBool(vals[0])
			if err != nil {
				return &app.Error{Kind: app.KindInvalid, Err: badParam{name, vals[0], "true or false"}}
			}
			f.SetBool(b)
		case reflect.Slice:
			var list []string
			for _, val := range vals {
				for _, s := range strings.Split(val, ",") {
					if s = strings.TrimSpace(s); s != "" {
						list = append(list, s)
					}
				}
			}
			f.Set(reflect.ValueOf(list))
		}
	}
	return nil
}

// requireParams refuses a request whose query lacks one of names.
func requireParams(r *http.Request, names ...string) error {
	q := r.URL.Query()
	for _, n := range names {
		if !q.Has(n) {
			return &app.Error{Kind: app.KindInvalid, Err: missingParam(n)}
		}
	}
	return nil
}

type missingParam string

func (e missingParam) Error() string { return "query parameter " + string(e) + " is required" }

type unknownParam struct {
	name  string
	known []string
}

func (e unknownParam) Error() string {
	if len(e.known) == 0 {
		return "unknown query parameter " + strconv.Quote(e.name) + ": this route takes none"
	}
	return "unknown query parameter " + strconv.Quote(e.name) + ": this route takes " + strings.Join(e.known, ", ")
}

type badParam struct{ name, value, want string }

func (e badParam) Error() string {
	return "query parameter " + e.name + "=" + strconv.Quote(e.value) + ": want " + e.want
}

type recordsParams struct {
	Record   string `query:"record" doc:"event or claim (required)"`
	From     string `query:"from" doc:"records starting at or after: a date (2025-03-18, UTC) or an RFC 3339 time"`
	To       string `query:"to" doc:"records starting before: a date or an RFC 3339 time"`
	Source   string `query:"source" doc:"a source name, as stored (acled, strikes:...)"`
	Kind     string `query:"kind" doc:"a kind and narrower ones (strike: strike.drone)"`
	Category string `query:"category" doc:"a target category and narrower ones (energy: energy.electricity)"`
	Country  string `query:"country" doc:"ISO 3166-1: an event's country, any of a claim's places"`
	Admin1   string `query:"admin1" doc:"ISO 3166-2 (UA-14): an event's admin-1, any of a claim's places'"`
	Party    string `query:"party" doc:"a party id: an event's actor's, a claim's claimant or accused"`
	Q        string `query:"q" doc:"words the text holds, in any case"`
	After    string `query:"after" doc:"the next cursor of the page before"`
	Limit    int    `query:"limit" doc:"records a page, 1 to 1000 (default 100)"`
}

type agreementVersionParams struct {
	Reading string `query:"reading" doc:"a party id: the terms as that party reads them (default: under every reading)"`
}

type diffParams struct {
	From int `query:"from" doc:"a stored version (required)"`
	To   int `query:"to" doc:"another stored version, older or newer (required)"`
}

type rejectsParams struct {
	After string `query:"after" doc:"the next cursor of the page before"`
	Limit int    `query:"limit" doc:"rejected rows a page, 1 to 1000 (default 100)"`
}
