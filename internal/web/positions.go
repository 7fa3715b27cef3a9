package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/positions"
)

// The Positions page: a stored positions file on a date (the matrix of
// parties x terms), the common ground on that date, and the timeline.
// It reads the same use cases as 'truce positions --set' and the API.

// mountPositions puts the Positions page on mux.
func (h *Handler) mountPositions(mux *http.ServeMux) {
	mux.Handle("GET /positions", h.page(h.positionsPage))
}

// positionsData is what positions.html renders.
type positionsData struct {
	Sets  []app.PositionsSummary
	Set   string // the set shown, "" when none is stored
	At    string // the date shown
	Dates []string
	First string // the earliest and latest recorded dates, the picker's bounds
	Last  string
	Rows  []positionsRow // one per term
	// Matrix is the matrix as the use case returns it; Rows lay it out.
	Matrix   app.PositionsMatrix
	Ground   app.PositionsGround
	Packages []packageView
	Blocked  []blockedView
	Openings []openingView
	Timeline []stepView
}

type positionsRow struct {
	Term  positions.Term
	Cells []cellView
}

type cellView struct {
	app.MatrixCell
	SourceTitle, SourceURL string
}

type reasonView struct {
	Text                           string // the stance in words
	Source, SourceURL, Date, Quote string
}

type packageView struct {
	Include, Exclude string
	Size             int
	Met, Unknown     []reasonView
}

type blockedView struct {
	Include string
	Blocks  []reasonView
}

type openingView struct {
	Changes []reasonView
	Include string
}

type stepView struct {
	Date    string
	Changes []reasonView
	Result  string
}

// positionsPage is the page at /positions?set=ID&at=DATE: by default the
// first stored set on its latest recorded date.
func (h *Handler) positionsPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	ctx := r.Context()
	who, err := ap.Who(ctx)
	if err != nil {
		return err
	}
	d := positionsData{}
	if d.Sets, err = ap.PositionSets(ctx); err != nil {
		return err
	}
	q := r.URL.Query()
	d.Set = q.Get("set")
	if d.Set == "" && len(d.Sets) > 0 {
		d.Set = d.Sets[0].ID
	}
	if d.Set != "" {
		if err := h.positionsOn(r, ap, q.Get("at"), &d); err != nil {
			return err
		}
	}
	h.render(w, r, http.StatusOK, "positions", view{Title: "Positions", Here: "positions", Who: who, Data: d})
	return nil
}

// positionsOn fills d with set d.Set on date at (its last recorded date
// if empty).
func (h *Handler) positionsOn(r *http.Request, ap *app.App, at string, d *positionsData) error {
	ctx := r.Context()
	query := app.PositionsQuery{ID: d.Set}
	tl, err := ap.PositionsTimeline(ctx, query)
	if err != nil {
		return err
	}
	for _, st := range tl.Steps {
		d.Dates = append(d.Dates, st.Date)
	}
	if len(d.Dates) > 0 {
		d.First, d.Last = d.Dates[0], d.Dates[len(d.Dates)-1]
	}
	d.At = at
	if d.At == "" {
		d.At = d.Last
	}
	if d.Matrix, err = ap.PositionsMatrix(ctx, query, app.MatrixRequest{At: d.At}); err != nil {
		return err
	}
	if d.Ground, err = ap.PositionsGround(ctx, query, app.GroundRequest{At: d.At}); err != nil {
		return err
	}
	src := sourcesOf(d.Matrix.Sources)
	for j, t := range d.Matrix.Terms {
		row := positionsRow{Term: t}
		for i := range d.Matrix.Parties {
			c := d.Matrix.Cell(i, j)
			s := src[c.Source]
			row.Cells = append(row.Cells, cellView{MatrixCell: c, SourceTitle: s.Title, SourceURL: s.URL})
		}
		d.Rows = append(d.Rows, row)
	}
	reasons := func(rs []positions.Reason) []reasonView {
		var out []reasonView
		for _, r := range rs {
			out = append(out, reasonOf(r, src))
		}
		return out
	}
	if !d.Ground.OnlyEmpty {
		for _, p := range d.Ground.Packages {
			d.Packages = append(d.Packages, packageView{Include: terms(p.Include), Exclude: strings.Join(p.Exclude, ", "), Size: len(p.Include),
				Met: reasons(p.Met), Unknown: reasons(p.Unknown)})
		}
	}
	for _, b := range d.Ground.Blocked {
		d.Blocked = append(d.Blocked, blockedView{Include: terms(b.Include), Blocks: reasons(b.Blocks)})
	}
	for _, o := range d.Ground.Openings {
		d.Openings = append(d.Openings, openingView{Changes: reasons(o.Changes), Include: terms(o.Include)})
	}
	for _, st := range tl.Steps {
		sv := stepView{Date: st.Date, Changes: reasons(st.Changes), Result: stepResult(st)}
		for i := range sv.Changes {
			if was := stanceWords(st.Was[i]); was != stanceWords(st.Changes[i]) {
				sv.Changes[i].Text += " (was: " + was + ")"
			}
		}
		d.Timeline = append(d.Timeline, sv)
	}
	return nil
}

func sourcesOf(list []positions.Source) map[string]positions.Source {
	m := make(map[string]positions.Source, len(list))
	for _, s := range list {
		m[s.ID] = s
	}
	return m
}

// reasonOf says one stance as it bears on a package, its source apart.
func reasonOf(r positions.Reason, src map[string]positions.Source) reasonView {
	text := r.Party + " " + string(r.Stance) + " " + r.Term
	switch {
	case r.Condition != "":
		text = r.Party + " accepts " + r.Term + " only if " + r.Condition
		if r.Why != "" {
			text += " (here: " + r.Why + ")"
		}
	case r.Stance == positions.Unknown && r.Source == "":
		text = r.Party + " has no recorded position on " + r.Term
	}
	s := src[r.Source]
	return reasonView{Text: text, Source: r.Source, SourceURL: s.URL, Date: r.Date, Quote: r.Quote}
}

func stanceWords(r positions.Reason) string {
	if r.Condition != "" {
		return "only if " + r.Condition
	}
	return string(r.Stance)
}

func terms(ids []string) string {
	if len(ids) == 0 {
		return "nothing (the empty package)"
	}
	return strings.Join(ids, ", ")
}

func stepResult(st positions.Step) string {
	var parts []string
	if len(st.Gained) > 0 {
		parts = append(parts, "gained "+strings.Join(st.Gained, ", "))
	}
	if len(st.Lost) > 0 {
		parts = append(parts, "lost "+strings.Join(st.Lost, ", "))
	}
	if len(parts) == 0 {
		parts = append(parts, "unchanged")
	}
	return "largest package: " + terms(st.Best) + " (" + strings.Join(parts, "; ") + "); " + st.Count + " acceptable, " +
		strconv.Itoa(st.Maximal) + " maximal"
}
