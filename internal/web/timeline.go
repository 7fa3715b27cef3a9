package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/app"
)

// timelinePage is the page at /timeline: an agreement's findings per day
// and accused party under one reading, drawn by timeline.js from
// timelineData, and said in text (the days with findings, the windows,
// the releases) for a reader without the chart.
func (h *Handler) timelinePage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	tv, err := timeline(r, ap)
	if err != nil {
		return err
	}
	ags, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	d := struct {
		*timelineView
		Agreements []app.AgreementSummary
		Asked      string // the reading asked, "" for the default
		Src        string // the chart's data
	}{timelineView: tv, Agreements: ags, Asked: r.URL.Query().Get("reading")}
	if tv.Agreement != "" {
		d.Src = "/timeline/data.json?" + url.Values{"agreement": {tv.Agreement}, "reading": {tv.Reading}}.Encode()
	}
	h.render(w, r, http.StatusOK, "timeline", view{Title: "Timeline", Here: "timeline", Who: who, Data: d})
	return nil
}

// timelineData answers /timeline/data.json, what timeline.js draws.
func (h *Handler) timelineData(r *http.Request, ap *app.App) (any, error) {
	return timeline(r, ap)
}

// timelineView is the timeline as the page and its chart take it: times
// as Unix seconds for the chart, and as text in the agreement's zone.
type timelineView struct {
	Agreement string          `json:"agreement"`
	Title     string          `json:"title"`
	Version   int             `json:"version"`
	Reading   string          `json:"reading"`
	TimeZone  string          `json:"time_zone"`
	Days      []int64         `json:"days"`  // each day's local midnight
	Dates     []string        `json:"dates"` // the same as 2025-03-18
	Series    []timelineParty `json:"series"`
	Bands     []timelineBand  `json:"bands"`
	Releases  []timelineMark  `json:"releases"`
	Total     int             `json:"total"`
	Truncated bool            `json:"truncated"`
	// Busy are the days with findings, for the page's table.
	Busy []timelineDay `json:"-"`
}

type timelineParty struct {
	Party  string `json:"party"` // "" for no party
	Name   string `json:"name"`
	Colour int    `json:"colour"` // the palette's, as the map's party-N
	Counts []int  `json:"counts"`
	Total  int    `json:"total"`
}

// timelineBand is a reading's window; To is 0 while it is open.
type timelineBand struct {
	Reading  string `json:"reading"`
	Name     string `json:"name"`
	From     int64  `json:"from"`
	To       int64  `json:"to"`
	Text     string `json:"text"` // the window in words, in the zone
	Findings int    `json:"findings"`
}

type timelineMark struct {
	At    int64  `json:"at"`
	Party string `json:"party"`
	Text  string `json:"text"`
}

type timelineDay struct {
	Date   string
	Counts []int // per series
	Total  int
}

// timeline asks the use case for the agreement and reading of the query.
func timeline(r *http.Request, ap *app.App) (*timelineView, error) {
	q := r.URL.Query()
	tl, err := ap.Timeline(r.Context(), app.TimelineQuery{Agreement: q.Get("agreement"), Reading: q.Get("reading")})
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(tl.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	v := &timelineView{
		Agreement: tl.Agreement, Title: tl.Title, Version: tl.Version, Reading: tl.Reading, TimeZone: tl.TimeZone,
		Days: []int64{}, Dates: []string{}, Series: []timelineParty{}, Bands: []timelineBand{}, Releases: []timelineMark{},
		Total: tl.Total, Truncated: tl.Truncated,
	}
	for _, d := range tl.Days {
		v.Days = append(v.Days, d.Unix())
		v.Dates = append(v.Dates, d.Format(time.DateOnly))
	}
	for i, p := range tl.Parties {
		name := p.Accused
		if name == "" {
			name = "no party"
		}
		v.Series = append(v.Series, timelineParty{Party: p.Accused, Name: name, Colour: i % paletteSize, Counts: p.Counts, Total: p.Total})
	}
	for i, date := range v.Dates {
		day := timelineDay{Date: date}
		for _, s := range v.Series {
			day.Counts = append(day.Counts, s.Counts[i])
			day.Total += s.Counts[i]
		}
		if day.Total > 0 {
			v.Busy = append(v.Busy, day)
		}
	}
	for _, rd := range tl.Readings {
		b := timelineBand{Reading: rd.Reading, Name: readingName(rd.Reading), Findings: rd.Findings}
		w := rd.Window
		switch {
		case w.Start.IsZero():
			b.Text = "no window: it has not started"
		case w.End.IsZero():
			b.From, b.Text = w.Start.Unix(), "from "+local(w.Start, loc)+", open-ended"
		default:
			b.From, b.To = w.Start.Unix(), w.End.Unix()
			b.Text = "from " + local(w.Start, loc) + " to " + local(w.End, loc)
		}
		v.Bands = append(v.Bands, b)
	}
	for _, rl := range tl.Releases {
		text := rl.Party + "'s violation confirmed (finding " + strconv.FormatInt(rl.Finding, 10) + ") on " + local(rl.Since, loc)
		if len(rl.Released) > 0 {
			text += ": " + strings.Join(rl.Released, ", ") + " may consider themselves released"
		}
		v.Releases = append(v.Releases, timelineMark{At: rl.Since.Unix(), Party: rl.Party, Text: text})
	}
	return v, nil
}

// local is t in loc as the dashboard writes a time in an agreement's
// zone; the page names the zone once.
func local(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 January 2006 15:04")
}
