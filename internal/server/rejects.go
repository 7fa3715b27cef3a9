package server

import (
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
)

// importRejects: GET /api/v1/imports/{id}/rejects?after=&limit=, the rows
// an import batch rejected, a page at a time, as 'truce imports rejects'
// prints them.
func (s *Server) importRejects(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var p rejectsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	page, err := ap.ImportRejectsPage(r.Context(), id, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
