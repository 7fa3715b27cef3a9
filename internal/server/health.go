package server

import (
	"net/http"
)

// healthz answers while the process serves.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readiness is what /readyz answers.
type readiness struct {
	Ready   bool   `json:"ready"`
	Backend string `json:"backend"`
	Schema  int    `json:"schema"`
	Problem string `json:"problem,omitempty"`
}

// readyz answers 200 when the store answers and its schema is the one the
// server started on (a newer truce migrating it meanwhile makes this one
// unfit to serve), 503 otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	rd := readiness{Backend: s.cfg.Store.Backend()}
	v, err := s.cfg.Store.SchemaVersion(r.Context())
	switch {
	case err != nil:
		rd.Problem = "the store does not answer"
		s.log.WarnContext(r.Context(), "not ready", "err", err)
	case v != s.schema:
		rd.Schema, rd.Problem = v, "the schema changed since the server started: restart it with this database's truce"
	default:
		rd.Schema, rd.Ready = v, true
	}
	status := http.StatusOK
	if !rd.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, rd)
}
