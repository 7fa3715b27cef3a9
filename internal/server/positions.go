package server

import (
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// The positions routes: stored positions files (each party's dated stance
// on each term), their matrix, common ground and timeline, as 'truce
// positions' prints them with --set.

// positionsFile is the body that carries a positions file: its name (for
// messages) and its YAML as written.
type positionsFile struct {
	Name string `json:"name"`
	YAML string `json:"yaml"`
}

// lintedPositions answers a file that is valid.
type lintedPositions struct {
	Valid bool   `json:"valid"`
	ID    string `json:"id"`
	Title string `json:"title"`
}

type positionSetsView struct {
	Positions []app.PositionsSummary `json:"positions"`
}

type positionsVersionsView struct {
	Versions []app.PositionsSummary `json:"versions"`
}

type positionsMatrixParams struct {
	At      string   `query:"at" doc:"the date (2025-03-18): each party's latest stance on or before it (required)"`
	Version int      `query:"version" doc:"a stored version (default the latest)"`
	Party   []string `query:"party" doc:"only these parties, by id"`
	Term    []string `query:"term" doc:"only these terms, by id"`
}

type positionsGroundParams struct {
	At      string `query:"at" doc:"the date (2025-03-18): each party's latest stance on or before it (required)"`
	Version int    `query:"version" doc:"a stored version (default the latest)"`
	Top     int    `query:"top" doc:"the largest maximal packages to list, 1 to 1000 (default 10); more_packages counts the others"`
}

type positionsTimelineParams struct {
	Version int `query:"version" doc:"a stored version (default the latest)"`
}

// parsePositionsBody reads the body's positions file within the default
// YAML limits; an invalid file is a 400 listing every problem with its
// line and column.
func parsePositionsBody(r *http.Request) (app.PositionsFile, error) {
	var req positionsFile
	if err := readJSON(r, &req); err != nil {
		return app.PositionsFile{}, err
	}
	if req.Name == "" {
		req.Name = "positions.yaml"
	}
	return app.ParsePositions(req.Name, []byte(req.YAML), strictyaml.DefaultLimits())
}

// lintPositions: POST /api/v1/positions/lint, as 'truce positions lint'.
func (s *Server) lintPositions(w http.ResponseWriter, r *http.Request, _ *app.App) error {
	f, err := parsePositionsBody(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, lintedPositions{Valid: true, ID: f.File.ID, Title: f.File.Title})
	return nil
}

// importPositions: POST /api/v1/positions, as 'truce positions import':
// the next version of the file's set, or the latest unchanged.
func (s *Server) importPositions(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	f, err := parsePositionsBody(r)
	if err != nil {
		return err
	}
	done, err := ap.ImportPositions(r.Context(), []app.PositionsFile{f})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, done[0])
	return nil
}

// positionSets: GET /api/v1/positions, as 'truce positions list'.
func (s *Server) positionSets(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := decodeQuery(r, &noParams{}); err != nil {
		return err
	}
	sets, err := ap.PositionSets(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, positionSetsView{sets})
	return nil
}

// positionsVersions: GET /api/v1/positions/{id}/versions.
func (s *Server) positionsVersions(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := decodeQuery(r, &noParams{}); err != nil {
		return err
	}
	vs, err := ap.PositionsVersions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, positionsVersionsView{vs})
	return nil
}

// positionsMatrix: GET /api/v1/positions/{id}/matrix?at=, as 'truce
// positions matrix --output json'.
func (s *Server) positionsMatrix(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p positionsMatrixParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	m, err := ap.PositionsMatrix(r.Context(), app.PositionsQuery{ID: r.PathValue("id"), Version: p.Version},
		app.MatrixRequest{At: p.At, Parties: p.Party, Terms: p.Term})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// positionsGround: GET /api/v1/positions/{id}/common-ground?at=, as
// 'truce positions common-ground --output json'.
func (s *Server) positionsGround(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p positionsGroundParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	g, err := ap.PositionsGround(r.Context(), app.PositionsQuery{ID: r.PathValue("id"), Version: p.Version}, app.GroundRequest{At: p.At, Top: p.Top})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// positionsTimeline: GET /api/v1/positions/{id}/timeline.
func (s *Server) positionsTimeline(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p positionsTimelineParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	tl, err := ap.PositionsTimeline(r.Context(), app.PositionsQuery{ID: r.PathValue("id"), Version: p.Version})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tl)
	return nil
}
