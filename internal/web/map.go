package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/truce-monitor/truce/internal/app"
)

// maxMapFindings bounds the findings the map plots.
const maxMapFindings = 20000

// mapPage is the page at /map: the findings the filter selects on a map,
// drawn by map.js from mapData; the form, the legend and the counts are
// rendered here. A filter's bad value is shown on the page (400).
func (h *Handler) mapPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	f := readMapFilter(r.URL.Query())
	v, err := findingsMap(r, ap, f)
	if err != nil {
		return h.mapError(w, r, ap, f, err)
	}
	d := &mapPageData{mapView: v, Filter: f, Choices: choices, Src: "/map/findings.json", Boundaries: len(h.opts.Boundaries) > 0}
	if q := f.encode(); q != "" {
		d.Src += "?" + q
	}
	// Every party can be chosen, not only those the filter left.
	all, err := ap.Parties(r.Context())
	if err != nil {
		return err
	}
	for _, p := range all {
		d.Offer = append(d.Offer, p.ID)
	}
	if f.Party != "" && !slices.Contains(d.Offer, f.Party) {
		d.Offer = append(d.Offer, f.Party)
	}
	h.render(w, r, http.StatusOK, "map", view{Title: "Map", Here: "map", Who: who, Data: d})
	return nil
}

// mapData answers /map/findings.json, what map.js plots.
func (h *Handler) mapData(r *http.Request, ap *app.App) (any, error) {
	return findingsMap(r, ap, readMapFilter(r.URL.Query()))
}

// mapView is the findings the caller sees, those with a place as points.
type mapView struct {
	Parties   []mapParty `json:"parties"`
	Points    []mapPoint `json:"points"`
	Total     int        `json:"total"`     // findings seen
	Located   int        `json:"located"`   // of which with coordinates (the points)
	Truncated bool       `json:"truncated"` // more than maxMapFindings
}

// mapParty is an accused party as the map marks it: a colour (Index) and
// a letter or two (Label), so colour is never the only signal.
type mapParty struct {
	ID    string `json:"id"`   // "" for findings with no party
	Name  string `json:"name"` // what the legend says
	Label string `json:"label"`
	Index int    `json:"index"`
	// Colour is one of the palette's colours (map.css: party-0 to party-7).
	Colour int `json:"colour"`
	Count  int `json:"count"` // its points
}

type mapPoint struct {
	Finding int64   `json:"finding"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
	Party   int     `json:"party"` // index into Parties
	Verdict string  `json:"verdict"`
	Status  string  `json:"status"`
	Summary string  `json:"summary"`
}

// findingsMap reads the findings a page at a time through the use case
// (a viewer sees published ones only) and keeps those with coordinates.
func findingsMap(r *http.Request, ap *app.App, filter mapFilter) (*mapView, error) {
	q, err := filter.query()
	if err != nil {
		return nil, err
	}
	v := &mapView{Parties: []mapParty{}, Points: []mapPoint{}}
	type located struct {
		f        app.Finding
		lat, lon float64
	}
	var found []located
	byParty := map[string]int{}
	after := ""
	for {
		page, err := ap.FindingsPage(r.Context(), q, after, app.MaxPage)
		if err != nil {
			return nil, err
		}
		for _, f := range page.Findings {
			if v.Total == maxMapFindings {
				v.Truncated = true
				break
			}
			v.Total++
			if f.Place.Lat == nil || f.Place.Lon == nil {
				continue
			}
			found = append(found, located{f, *f.Place.Lat, *f.Place.Lon})
			byParty[f.Accused]++
		}
		if page.Next == "" || v.Truncated {
			break
		}
		after = page.Next
	}
	// A party's colour is its place among all the stored agreements'
	// parties, so that a filter does not repaint it.
	all, err := ap.Parties(r.Context())
	if err != nil {
		return nil, err
	}
	colour := map[string]int{}
	for i, p := range all {
		colour[p.ID] = i % paletteSize
	}
	ids := make([]string, 0, len(byParty))
	for id := range byParty {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		// Parties by id, findings with no party last.
		return cmp.Or(cmp.Compare(b2i(a == ""), b2i(b == "")), cmp.Compare(a, b))
	})
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		name := id
		c, known := colour[id]
		if id == "" || !known {
			c = paletteSize - 1 // no party, or one no stored agreement names
		}
		if id == "" {
			name = "no party"
		}
		v.Parties = append(v.Parties, mapParty{ID: id, Name: name, Index: i, Colour: c, Count: byParty[id]})
	}
	labelParties(v.Parties)
	for _, l := range found {
		f := &l.f
		p := mapPoint{Lat: l.lat, Lon: l.lon, Party: index[f.Accused], Verdict: string(f.Verdict), Summary: cmp.Or(f.Summary, summary(f))}
		if f.Stored != nil {
			p.Finding, p.Status = f.Stored.ID, string(f.Stored.Status)
		}
		v.Points = append(v.Points, p)
	}
	v.Located = len(v.Points)
	return v, nil
}

// paletteSize is how many party colours map.css has.
const paletteSize = 8

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// labelParties gives each party the shortest prefix of its id, upper
// case, that no other party's label shares; "?" for no party.
func labelParties(ps []mapParty) {
	for n := 1; ; n++ {
		seen := map[string]int{}
		for i := range ps {
			ps[i].Label = partyLabel(ps[i].ID, n)
			seen[ps[i].Label]++
		}
		unique := true
		for _, c := range seen {
			unique = unique && c == 1
		}
		if unique || n > 4 {
			return
		}
	}
}

func partyLabel(id string, n int) string {
	if id == "" {
		return "?"
	}
	rs := []rune(strings.ToUpper(id))
	var out []rune
	for _, c := range rs {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = rs
	}
	return string(out[:min(n, len(out))])
}

// summary is a finding in a line: when, where, what and under whose
// reading (the plain-language sentence of issue 14 comes later).
func summary(f *app.Finding) string {
	against := "no party"
	if f.Accused != "" {
		against = f.Accused
	}
	place := f.Place.Name
	if place == "" {
		place = f.Place.Admin1
	}
	return fmt.Sprintf("%s, %s: %s against %s under %s's reading of %s (%s)",
		f.Span.Start.UTC().Format("2 Jan 2006"), cmp.Or(place, "unnamed place"),
		strings.ReplaceAll(string(f.Verdict), "_", " "), against, f.Reading, f.AgreementID, f.CommitmentID)
}
