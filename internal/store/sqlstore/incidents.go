package sqlstore

import (
	"context"
	"errors"

	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Incidents = (*Store)(nil)

// TODO(scaffold): replaced by the implementation.
var errIncidentsTODO = errors.New("incidents: not implemented yet")

func (s *Store) SaveIncidents(ctx context.Context, incidents []store.Incident, by string) ([]store.Incident, error) {
	return nil, errIncidentsTODO
}
func (s *Store) GetIncident(ctx context.Context, id int64) (store.Incident, error) {
	return store.Incident{}, errIncidentsTODO
}
func (s *Store) ListIncidents(ctx context.Context, f store.IncidentFilter) ([]store.Incident, error) {
	return nil, errIncidentsTODO
}
func (s *Store) AddLinkDecision(ctx context.Context, d store.LinkDecision) (store.LinkDecision, error) {
	return store.LinkDecision{}, errIncidentsTODO
}
func (s *Store) ListLinkDecisions(ctx context.Context) ([]store.LinkDecision, error) {
	return nil, errIncidentsTODO
}
