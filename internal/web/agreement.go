package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// agreementData is what an agreement's page shows of one stored version.
type agreementData struct {
	agreement.Normalized
	Versions []app.AgreementSummary
	// Commitments are the terms as written (the first reading's, before
	// any override), in the file's order.
	Commitments []agreement.Commitment
	// Readings head the side-by-side table, Rows are its terms: the
	// window, then each commitment, as each reading reads it.
	Readings []string
	Rows     []termRow
	Diffs    []agreement.Comparison // each stored version against the one before
}

// termRow is one term as each reading reads it.
type termRow struct {
	Term, Title string
	Cells       []termCell
}

// termCell is one reading of a term; Differs: the reading departs from
// the text as written (an override), or from the other readings.
type termCell struct {
	Text, Note string
	Differs    bool
}

// agreementPage: GET /agreements/{id}?version=N (default the latest
// stored), one agreement for a reader: its commitments, each party's
// reading side by side (a table: term by reading), its stored versions
// with what each changed (the diff use case the API's
// /agreements/{id}/diff answers), and the proposals with each party's
// positions, from the file. Agreements are public.
func (h *Handler) agreementPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	versions, err := ap.AgreementVersions(r.Context(), id)
	if err != nil {
		return err
	}
	version := versions[len(versions)-1].Version
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.Atoi(v); err != nil {
			return &app.Error{Kind: app.KindInvalid, Err: badValue("version", v, "a version number, from 1")}
		}
	}
	lim := strictyaml.DefaultLimits()
	n, err := ap.AgreementVersion(r.Context(), id, version, "", lim)
	if err != nil {
		return err
	}
	d := agreementData{Normalized: n, Versions: versions}
	if len(n.Readings) > 0 {
		d.Commitments = n.Readings[0].Commitments
	}
	d.Readings, d.Rows = sideBySide(n.Readings)
	for i := 1; i < len(versions); i++ {
		c, err := ap.AgreementDiff(r.Context(), id, versions[i-1].Version, versions[i].Version, lim)
		if err != nil {
			return err
		}
		d.Diffs = append(d.Diffs, c)
	}
	h.render(w, r, http.StatusOK, "agreement", view{Title: n.Title, Here: "agreements", Who: who, Data: d})
	return nil
}

// sideBySide lays the readings out as a table: a row for the window and
// for each commitment, a column per reading.
func sideBySide(rs []agreement.Terms) ([]string, []termRow) {
	var heads []string
	window := termRow{Term: "window", Title: "When the commitments are in force"}
	for _, t := range rs {
		heads = append(heads, t.Reading)
		w := t.Window
		// In the window's own zone, named: never a bare offset.
		cell := termCell{Text: inZone(w.Start, w.TimeZone) + " to " + inZone(w.End, w.TimeZone)}
		if w.Extended {
			cell.Note = "extended as agreed"
		}
		window.Cells = append(window.Cells, cell)
	}
	markDiffering(&window)
	rows := []termRow{window}
	index := map[string]int{}
	for ri, t := range rs {
		for _, c := range t.Commitments {
			i, ok := index[c.ID]
			if !ok {
				i = len(rows)
				index[c.ID] = i
				rows = append(rows, termRow{Term: c.ID, Title: c.Title, Cells: make([]termCell, len(rs))})
			}
			cell := termCell{Text: conduct(c.Prohibited)}
			if o, ok := t.Overrides[c.ID]; ok {
				cell.Note, cell.Differs = o.Note, true
			}
			rows[i].Cells[ri] = cell
		}
	}
	for i := 1; i < len(rows); i++ {
		markDiffering(&rows[i])
	}
	return heads, rows
}

// markDiffering marks the cells of a row that are not all alike.
func markDiffering(row *termRow) {
	for _, c := range row.Cells {
		if c.Text != row.Cells[0].Text {
			for i := range row.Cells {
				row.Cells[i].Differs = true
			}
			return
		}
	}
}

// conduct says what a commitment prohibits in a line.
func conduct(c agreement.Conduct) string {
	s := strings.Join(c.Kinds, ", ")
	if len(c.Targets) > 0 {
		s += " against " + strings.Join(c.Targets, ", ")
	} else {
		s += " against any target"
	}
	return s
}

// agreementsList: GET /agreements, the stored agreements, the latest
// version of each.
func (h *Handler) agreementsList(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	list, err := ap.Agreements(r.Context())
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "agreements", view{Title: "Agreements", Here: "agreements", Who: who, Data: list})
	return nil
}
