package server

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/testdb"
)

// filterFinding is what the filter tests read of a finding.
type filterFinding struct {
	Record   string
	Source   string
	SourceID string `json:"source_id"`
	Span     struct{ Start time.Time }
	Place    struct {
		Country  string
		Admin1ID string `json:"admin1_id"`
	}
	Kind   string
	Text   string
	Stored struct {
		ID     int64
		Status string
		Record string
	}
}

// recordPlace is a record's places as the records list gives them.
type recordPlace struct {
	Country  string
	Admin1ID string `json:"admin1_id"`
}

// placed reports whether a finding's record is placed where in says: an
// event's place, any of a claim's (the finding shows the first only).
func placed(f filterFinding, claims map[string][]recordPlace, in func(recordPlace) bool) bool {
	if f.Record == "claim" {
		return slices.ContainsFunc(claims[f.Stored.Record], in)
	}
	return in(recordPlace{f.Place.Country, f.Place.Admin1ID})
}

// subset runs a filtered list and checks it is what want keeps of all:
// not every item and, unless empty, not none.
func subset[T any](t *testing.T, c *client, route, query string, all []T, list func(string) []T, id func(T) int64, want func(T) bool, empty bool) {
	t.Helper()
	got := list(route + "?limit=1000&" + query)
	var gotIDs, wantIDs []int64
	for _, x := range got {
		gotIDs = append(gotIDs, id(x))
	}
	for _, x := range all {
		if want(x) {
			wantIDs = append(wantIDs, id(x))
		}
	}
	if !slices.Equal(gotIDs, wantIDs) {
		t.Errorf("%s?%s: %v, want %v", route, query, gotIDs, wantIDs)
	}
	if len(gotIDs) == len(all) || (len(gotIDs) == 0) != empty {
		t.Errorf("%s?%s: %d of %d: the case does not test the filter", route, query, len(gotIDs), len(all))
	}
}

// The findings list narrowed by review status and by its record: time,
// source, kind, category, country, admin-1, text; each filter a proper
// subset, cursors kept; a value that names nothing is 400.
func TestFindingRecordFiltersOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		list := func(path string) []filterFinding {
			var p struct{ Findings []filterFinding }
			c.do("GET", path, nil, 200, &p)
			return p.Findings
		}
		all := list("/api/v1/findings?limit=1000")
		var cl struct {
			Records []struct {
				Ref    string
				Places []recordPlace
			}
		}
		c.do("GET", "/api/v1/records?record=claim&limit=1000", nil, 200, &cl)
		claims := map[string][]recordPlace{}
		for _, r := range cl.Records {
			claims[r.Ref] = r.Places
		}
		id := func(f filterFinding) int64 { return f.Stored.ID }
		mid := all[len(all)/2].Span.Start
		cases := []struct {
			query string
			want  func(filterFinding) bool
			empty bool
		}{
			{"status=confirmed,refuted", func(f filterFinding) bool { return false }, true},
			{"from=" + url.QueryEscape(mid.Format(time.RFC3339)), func(f filterFinding) bool { return !f.Span.Start.Before(mid) }, false},
			{"to=" + url.QueryEscape(mid.Format(time.RFC3339)), func(f filterFinding) bool { return f.Span.Start.Before(mid) }, false},
			{"source=" + url.QueryEscape(all[0].Source), func(f filterFinding) bool { return f.Source == all[0].Source }, false},
			{"kind=STRIKE.drone", func(f filterFinding) bool { return f.Kind == "strike.drone" }, false},
			{"country=ru", func(f filterFinding) bool {
				return placed(f, claims, func(p recordPlace) bool { return p.Country == "RU" })
			}, false},
			{"admin1=ua-14", func(f filterFinding) bool {
				return placed(f, claims, func(p recordPlace) bool { return p.Admin1ID == "UA-14" })
			}, false},
			{"q=SLOVIANSK", func(f filterFinding) bool { return strings.Contains(strings.ToLower(f.Text), "sloviansk") }, false},
			{"kind=strike.drone&country=UA", func(f filterFinding) bool {
				return f.Kind == "strike.drone" && placed(f, claims, func(p recordPlace) bool { return p.Country == "UA" })
			}, false},
		}
		for _, tc := range cases {
			subset(t, c, "/api/v1/findings", tc.query, all, list, id, tc.want, tc.empty)
		}
		if n := len(list("/api/v1/findings?limit=1000&status=alleged")); n != len(all) {
			t.Errorf("status=alleged: %d of %d", n, len(all))
		}
		if n := len(list("/api/v1/findings?limit=1000&category=energy")); n == 0 || n == len(all) {
			t.Errorf("category=energy: %d of %d", n, len(all))
		}
		// A filtered list a page at a time is the list.
		want := list("/api/v1/findings?limit=1000&country=UA")
		var got []int64
		after := ""
		for range 100 {
			var p struct {
				Findings []filterFinding
				Next     string
			}
			c.do("GET", "/api/v1/findings?limit=2&country=UA&after="+after, nil, 200, &p)
			for _, f := range p.Findings {
				got = append(got, f.Stored.ID)
			}
			if after = p.Next; after == "" {
				break
			}
		}
		if len(got) != len(want) || len(want) < 3 {
			t.Errorf("country=UA by pages of 2: %v, the list %d", got, len(want))
		}
		for path, want := range map[string]string{
			"/api/v1/findings?status=guilty":                       `unknown status "guilty": use one of alleged`,
			"/api/v1/findings?kind=drone":                          `unknown kind "drone"`,
			"/api/v1/findings?category=power":                      `unknown target category "power"`,
			"/api/v1/findings?country=Ukraine":                     "not an ISO 3166-1 code",
			"/api/v1/findings?admin1=Donetsk":                      "not an ISO 3166-2 code",
			"/api/v1/findings?from=yesterday":                      "a date (2025-03-18)",
			"/api/v1/findings?from=2025-04-01&to=2025-03-01":       "is not before",
			"/api/v1/records?record=event&admin1=14":               "not an ISO 3166-2 code",
			"/api/v1/incidents?party=XX":                           `unknown party "XX"`,
			"/api/v1/incidents?admin1=UA_14":                       "not an ISO 3166-2 code",
			"/api/v1/incidents?from=2025-04-01&to=2025-04-01":      "is not before",
			"/api/v1/incidents?to=tomorrow":                        "query parameter to=",
			"/api/v1/incidents?agreement=energy-moratorium-2025&x": `unknown query parameter "x"`,
		} {
			var e apiError
			c.do("GET", path, nil, 400, &e)
			if !strings.Contains(e.Error.Message, want) {
				t.Errorf("%s: %q lacks %q", path, e.Error.Message, want)
			}
		}
		for _, path := range []string{"/api/v1/findings?agreement=nope&country=UA", "/api/v1/incidents?agreement=nope"} {
			var e apiError
			c.do("GET", path, nil, 404, &e)
			if !strings.Contains(e.Error.Message, `unknown agreement "nope"`) {
				t.Errorf("%s: %q", path, e.Error.Message)
			}
		}
	})
}

// Records by admin-1; incidents by agreement, party, time and place.
func TestRecordAndIncidentFiltersOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		type record struct {
			Ref    string
			Places []struct {
				Admin1ID string `json:"admin1_id"`
			}
		}
		var all, some struct{ Records []record }
		c.do("GET", "/api/v1/records?record=event&limit=1000", nil, 200, &all)
		c.do("GET", "/api/v1/records?record=event&admin1=ua-14&limit=1000", nil, 200, &some)
		var want []string
		for _, r := range all.Records {
			if r.Places[0].Admin1ID == "UA-14" {
				want = append(want, r.Ref)
			}
		}
		var got []string
		for _, r := range some.Records {
			got = append(got, r.Ref)
		}
		if !slices.Equal(got, want) || len(got) == 0 || len(got) == len(all.Records) {
			t.Errorf("records in UA-14: %v, want %v of %d", got, want, len(all.Records))
		}

		type inc struct {
			ID        int64
			TimeStart time.Time `json:"time_start"`
			Country   string
		}
		list := func(path string) []inc {
			var p struct{ Incidents []inc }
			c.do("GET", path, nil, 200, &p)
			return p.Incidents
		}
		incs := list("/api/v1/incidents?limit=1000")
		id := func(i inc) int64 { return i.ID }
		mid := incs[len(incs)/2].TimeStart
		for _, tc := range []struct {
			query string
			want  func(inc) bool
		}{
			{"from=" + url.QueryEscape(mid.Format(time.RFC3339)), func(i inc) bool { return !i.TimeStart.Before(mid) }},
			{"to=" + url.QueryEscape(mid.Format(time.RFC3339)), func(i inc) bool { return i.TimeStart.Before(mid) }},
		} {
			subset(t, c, "/api/v1/incidents", tc.query, incs, list, id, tc.want, false)
		}
		// Placed in a country: its own, or holding a record placed there.
		ru := list("/api/v1/incidents?limit=1000&country=ru")
		for _, i := range incs {
			if i.Country == "RU" && !slices.ContainsFunc(ru, func(j inc) bool { return j.ID == i.ID }) {
				t.Errorf("incidents?country=ru lacks incident %d in RU", i.ID)
			}
		}
		if len(ru) == 0 || len(ru) == len(incs) {
			t.Errorf("incidents?country=ru: %d of %d", len(ru), len(incs))
		}
		// Agreement and party: the incidents holding a standing finding
		// of it, against them.
		for _, q := range []string{"agreement=energy-moratorium-2025", "party=ru", "party=UA", "admin1=UA-14",
			"agreement=energy-moratorium-2025&party=ru&country=UA"} {
			got := list("/api/v1/incidents?limit=1000&" + q)
			if len(got) == 0 || len(got) > len(incs) {
				t.Errorf("incidents?%s: %d of %d", q, len(got), len(incs))
			}
		}
	})
}
