package web

import (
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
)

// overviewData is what the overview page shows: the app's overview and
// totals over it.
type overviewData struct {
	*app.Overview
	Findings int // standing findings counted, over every agreement and reading
}

// overview is the page at /: per agreement and reading, the findings by
// verdict and review status for each accused party; what needs review;
// the last import of each source.
func (h *Handler) overview(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	ov, err := ap.Overview(r.Context())
	if err != nil {
		return err
	}
	d := overviewData{Overview: ov}
	for _, ag := range ov.Agreements {
		for _, rd := range ag.Readings {
			d.Findings += rd.Total
		}
	}
	h.render(w, r, http.StatusOK, "overview", view{Title: "Overview", Here: "overview", Who: who, Data: d})
	return nil
}
