package app

import (
	"time"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The views: one JSON shape per thing the use cases return, printed by the
// command line's json output and returned by the HTTP API. They are the
// shapes 'truce ... --output json' has always printed; a field changes
// here or nowhere.

// Transition is one review step: who moved the subject from what to what,
// when and why; Evidence one evidence item on a finding or an incident;
// AuditEntry one entry of the hash-chained audit log. The stored records
// carry their JSON shape.
type (
	Transition = review.Transition
	Evidence   = review.EvidenceItem
	AuditEntry = store.AuditEntry
)

// ReviewItem is one subject of the review queue.
type ReviewItem struct {
	Subject     string       `json:"subject"`
	Status      vocab.Status `json:"status"`
	NeedsReview bool         `json:"needs_review"`
	Published   bool         `json:"published"`
	Withdrawn   bool         `json:"withdrawn,omitempty"`
	Time        time.Time    `json:"time"`
	Summary     string       `json:"summary"`
}

// ReviewPage is one subject as a reviewer decides on it.
type ReviewPage struct {
	Subject     vocab.Ref    `json:"subject"`
	Status      vocab.Status `json:"status"`
	NeedsReview bool         `json:"needs_review"`
	Published   bool         `json:"published"`
	MachineOnly bool         `json:"machine_only"`
	Revision    int          `json:"revision"`
	// Releases are the confirmed violations among its findings that release
	// the other parties under the release rule, and since when.
	Releases []review.Release `json:"releases,omitempty"`
	Next     []vocab.Status   `json:"next"` // statuses it may move to
	History  []Transition     `json:"history"`
	Evidence []Evidence       `json:"evidence"` // superseded ones included
	// Finding and Incident are what the subject is; their views belong to
	// the findings and incident use cases and are the store's for now.
	Finding *store.FindingRecord `json:"finding,omitempty"`
	// Summary is a finding in one plain sentence, in its reading's local
	// time (report.Sentence).
	Summary  string                 `json:"summary,omitempty"`
	Upstream *review.UpstreamChange `json:"upstream,omitempty"`
	Incident *incident.Incident     `json:"incident,omitempty"`
	// InIncident is the incident that holds a finding's record, if any:
	// its grade, and the denials that answer the record, belong beside the
	// finding.
	InIncident *incident.Incident `json:"in_incident,omitempty"`
	// MemberChanges are the last upstream change of each incident member
	// with more than one version.
	MemberChanges []review.UpstreamChange `json:"member_changes,omitempty"`
}
