package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/truce-monitor/truce/internal/store"
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
	// Replica is the read replica's state, when the server has one.
	Replica *replicaState `json:"replica,omitempty"`
}

type replicaState struct {
	Schema int `json:"schema"`
	// LagSeconds is how far the replica is behind the primary.
	LagSeconds float64 `json:"lag_seconds"`
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
	if s.cfg.Replica != nil && rd.Ready {
		rd.Replica, rd.Problem = s.replicaReady(r.Context())
		rd.Ready = rd.Problem == ""
	}
	status := http.StatusOK
	if !rd.Ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, rd)
}

// replicaReady reports the replica's state, and what keeps it from
// answering: not reachable, another schema, or over MaxLag behind.
func (s *Server) replicaReady(ctx context.Context) (*replicaState, string) {
	v, err := s.cfg.Replica.SchemaVersion(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "replica not ready", "err", err)
		return nil, "the read replica does not answer"
	}
	st := &replicaState{Schema: v}
	if v != s.schema {
		return st, fmt.Sprintf("the read replica is at schema %d, the server at %d: it has not replayed a migration yet", v, s.schema)
	}
	rep, ok := s.cfg.Replica.(store.Replica)
	if !ok {
		return st, ""
	}
	lag, err := rep.ReplicationLag(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "replica not ready", "err", err)
		return st, "the read replica does not say its lag"
	}
	st.LagSeconds = lag.Seconds()
	if lag > s.cfg.MaxLag {
		return st, fmt.Sprintf("the read replica is %s behind, over the %s allowed", lag.Round(time.Millisecond), s.cfg.MaxLag)
	}
	return st, ""
}
