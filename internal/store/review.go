package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// ErrConflict means the subject is no longer as the author of a step saw
// it: read it again and decide again.
var ErrConflict = errors.New("changed meanwhile")

// ConflictError is an ErrConflict with the subject as it is now, and the
// step that made it so, so that the author learns who changed it, to what
// and when.
type ConflictError struct {
	Subject  vocab.Ref
	Status   vocab.Status
	Revision int
	// Last is the latest recorded step; nil if the subject was never reviewed.
	Last *review.Transition
}

func (e *ConflictError) Error() string {
	if e.Last == nil {
		return fmt.Sprintf("%s is %s at revision %d, never reviewed", e.Subject, e.Status, e.Revision)
	}
	l := e.Last
	return fmt.Sprintf("%s is %s at revision %d: %s moved it from %s to %s at %s (%q)",
		e.Subject, e.Status, e.Revision, l.By, l.From, l.To, l.At.UTC().Format(time.RFC3339), l.Reason)
}

// Is makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// NewConflict is the ConflictError for a subject in state st.
func NewConflict(st review.State) *ConflictError {
	e := &ConflictError{Subject: st.Subject, Status: st.Status, Revision: st.Revision}
	if n := len(st.History); n > 0 {
		last := st.History[n-1]
		e.Last = &last
	}
	return e
}

// Reviews keeps the review workflow's records. The rules (who may do what,
// in which order) are internal/review's; the store makes each change atomic.
type Reviews interface {
	// review.State reads a subject, or ErrNotFound.
	ReviewState(ctx context.Context, s vocab.Ref) (review.State, error)
	// ApplyTransition records t, if the subject still has status t.From and
	// the given revision (else a *ConflictError, which is ErrConflict, with
	// the subject as it is now and its latest step; the HTTP API's If-Match
	// is this revision): it sets the status, clears
	// needs_review, stores the transition and its audit entry (actor t.By),
	// all in one transaction, and returns t as stored: ID, At (the audit
	// entry's time; a given At is ignored), AuditSeq and, for a finding,
	// RecordVersion are the store's.
	ApplyTransition(ctx context.Context, t review.Transition, revision int) (review.Transition, error)
	// AddEvidence stores item, with its audit entry, and content if not nil
	// as the item's file (SHA256 and Size are computed from it). Supersedes
	// must name a standing item of the same subject.
	AddEvidence(ctx context.Context, item review.EvidenceItem, content []byte) (review.EvidenceItem, error)
	// ListEvidence returns a subject's items, oldest first; superseded ones
	// only if asked.
	ListEvidence(ctx context.Context, s vocab.Ref, includeSuperseded bool) ([]review.EvidenceItem, error)
	// EvidenceFile returns an uploaded file's content, or ErrNotFound.
	EvidenceFile(ctx context.Context, sha256 string) ([]byte, error)
	// ScanReviewStatuses calls fn with every finding's and incident's
	// review status and revision, findings first, by id: what `audit verify
	// --state` checks against the log.
	ScanReviewStatuses(ctx context.Context, fn func(SubjectStatus) error) error
	// GetFinding returns one finding, withdrawn or not, with its record's
	// current version, or ErrNotFound.
	GetFinding(ctx context.Context, id int64) (FindingRecord, error)
}
