package app

import (
	"encoding/json"
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
// when and why.
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
	// when the step was taken: what the reviewer judged.
	RecordVersion int `json:"record_version,omitempty"`
}

// Evidence is one evidence item on a finding or an incident.
type Evidence struct {
	ID      int64     `json:"id"`
	Subject vocab.Ref `json:"subject"`
	URL     string    `json:"url,omitempty"`
	// The uploaded file, stored once by its SHA-256 (hex).
	SHA256    string `json:"sha256,omitempty"`
	Size      int64  `json:"size,omitempty"`
	MediaType string `json:"media_type,omitempty"`
	FileName  string `json:"file_name,omitempty"`
	// Geolocation, and how it was established.
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	GeoMethod string   `json:"geo_method,omitempty"`
	// Chronolocation: when, and how that was established.
	Chronolocation string `json:"chronolocation,omitempty"`
	Notes          string `json:"notes,omitempty"`
	// Supersedes is the item this one replaces (0: none); SupersededBy the
	// item that replaced this one (0: it stands).
	Supersedes   int64     `json:"supersedes,omitempty"`
	SupersededBy int64     `json:"superseded_by,omitempty"`
	AddedBy      string    `json:"added_by"`
	AddedAt      time.Time `json:"added_at"`
	AuditSeq     int64     `json:"audit_seq"`
}

// AuditEntry is one entry of the hash-chained audit log.
type AuditEntry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	Subject  string          `json:"subject"`
	Detail   json.RawMessage `json:"detail,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

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
	Finding  *store.FindingRecord   `json:"finding,omitempty"`
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

func transitionView(t review.Transition) Transition { return Transition(t) }

func transitionViews(ts []review.Transition) []Transition {
	if ts == nil {
		return nil
	}
	out := make([]Transition, len(ts))
	for i, t := range ts {
		out[i] = Transition(t)
	}
	return out
}

func evidenceView(e review.EvidenceItem) Evidence { return Evidence(e) }

func evidenceViews(es []review.EvidenceItem) []Evidence {
	if es == nil {
		return nil
	}
	out := make([]Evidence, len(es))
	for i, e := range es {
		out[i] = Evidence(e)
	}
	return out
}
