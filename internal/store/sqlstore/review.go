package sqlstore

import (
	"context"
	"errors"

	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Reviews = (*Store)(nil)

// TODO(scaffold): replaced by the implementation.
var errReviewTODO = errors.New("reviews: not implemented yet")

func (s *Store) ReviewState(ctx context.Context, subj store.Subject) (store.ReviewState, error) {
	return store.ReviewState{}, errReviewTODO
}
func (s *Store) ApplyTransition(ctx context.Context, t store.Transition, revision int) (store.Transition, error) {
	return store.Transition{}, errReviewTODO
}
func (s *Store) AddEvidence(ctx context.Context, item store.EvidenceItem, content []byte) (store.EvidenceItem, error) {
	return store.EvidenceItem{}, errReviewTODO
}
func (s *Store) ListEvidence(ctx context.Context, subj store.Subject, includeSuperseded bool) ([]store.EvidenceItem, error) {
	return nil, errReviewTODO
}
func (s *Store) EvidenceFile(ctx context.Context, sha256 string) ([]byte, error) {
	return nil, errReviewTODO
}
