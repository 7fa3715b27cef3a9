package store

import (
	"context"
	"errors"
	"fmt"
	"time"

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
	Last *Transition
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
func NewConflict(st ReviewState) *ConflictError {
	e := &ConflictError{Subject: st.Subject, Status: st.Status, Revision: st.Revision}
	if n := len(st.History); n > 0 {
		last := st.History[n-1]
		e.Last = &last
	}
	return e
}

// Transition is one recorded status change.
type Transition struct {
	ID       int64        `json:"id"`
	Subject  vocab.Ref    `json:"subject"`
	From     vocab.Status `json:"from"`
	To       vocab.Status `json:"to"`
	By       string       `json:"by"`
	At       time.Time    `json:"at"`
	Reason   string       `json:"reason"`
	AuditSeq int64        `json:"audit_seq"`
	// RecordVersion is, for a finding, the version of its event or claim
	// when the step was taken: what the reviewer judged. Set by the store.
	RecordVersion int `json:"record_version,omitempty"`
}

// EvidenceItem is one piece of evidence on a finding or an incident: a URL,
// an uploaded file, a geolocation, chronolocation notes, or several of
// these. Items are never deleted, only superseded.
type EvidenceItem struct {
	ID      int64     `json:"id"`
	Subject vocab.Ref `json:"subject"`
	URL     string    `json:"url,omitempty"`
	// The uploaded file, stored once by its SHA-256 (hex).
	SHA256    string `json:"sha256,omitempty"`
	Size      int64  `json:"size,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	FileName  string `json:"file_name,omitempty"`
	// Geolocation: where the evidence shows it happened, and how that was
	// established (e.g. "matched skyline to satellite imagery").
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	GeoMethod string   `json:"geo_method,omitempty"`
	// Chronolocation: when, and how that was established.
	Chronolocation string `json:"chronolocation,omitempty"`
	Notes          string `json:"notes,omitempty"`
	// Supersedes is the item this one replaces (0: none); SupersededBy is
	// set when read back if a later item replaced this one.
	Supersedes   int64     `json:"supersedes,omitempty"`
	SupersededBy int64     `json:"superseded_by,omitempty"`
	AddedBy      string    `json:"added_by"`
	AddedAt      time.Time `json:"added_at"`
	AuditSeq     int64     `json:"audit_seq"`
}

// ReviewState is what the workflow rules need to decide on a transition.
type ReviewState struct {
	Subject     vocab.Ref
	Status      vocab.Status
	NeedsReview bool
	// Revision counts the transitions recorded so far: ApplyTransition
	// writes only if it is unchanged.
	Revision int
	History  []Transition   // oldest first
	Evidence []EvidenceItem // standing items: not superseded
	// MachineOnly: the subject rests only on machine-coded sources (GDELT):
	// an incident all of whose members are, a finding whose record is.
	MachineOnly bool
	// JudgedVersion is, for a finding, the version of its event or claim
	// last judged: at the latest transition, or, if it was never reviewed,
	// the version current when the finding was made. Evaluation moves the
	// finding's RecordVersion on; this stays until a reviewer looks again,
	// so an upstream change shows against what was judged.
	JudgedVersion int
}

// Reviews keeps the review workflow's records. The rules (who may do what,
// in which order) are internal/review's; the store makes each change atomic.
type Reviews interface {
	// ReviewState reads a subject, or ErrNotFound.
	ReviewState(ctx context.Context, s vocab.Ref) (ReviewState, error)
	// ApplyTransition records t, if the subject still has status t.From and
	// the given revision (else a *ConflictError, which is ErrConflict, with
	// the subject as it is now and its latest step; the HTTP API's If-Match
	// is this revision): it sets the status, clears
	// needs_review, stores the transition and its audit entry (actor t.By),
	// all in one transaction, and returns t as stored: ID, At (the audit
	// entry's time; a given At is ignored), AuditSeq and, for a finding,
	// RecordVersion are the store's.
	ApplyTransition(ctx context.Context, t Transition, revision int) (Transition, error)
	// AddEvidence stores item, with its audit entry, and content if not nil
	// as the item's file (SHA256 and Size are computed from it). Supersedes
	// must name a standing item of the same subject.
	AddEvidence(ctx context.Context, item EvidenceItem, content []byte) (EvidenceItem, error)
	// ListEvidence returns a subject's items, oldest first; superseded ones
	// only if asked.
	ListEvidence(ctx context.Context, s vocab.Ref, includeSuperseded bool) ([]EvidenceItem, error)
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
