package review

// The review's records, as the store keeps them: steps, evidence, the state
// a step is decided on, and the confirmed violations the release rule reads.

import (
	"fmt"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

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

// State is what the workflow rules need to decide on a transition.
type State struct {
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

// ConfirmedViolation is a party's earliest violation of an agreement that
// review confirmed: the finding and its record's time.
type ConfirmedViolation struct {
	Party     string
	At        time.Time
	FindingID int64
	// AgreementID is set by ViolationsIfConfirmed, which spans agreements.
	AgreementID string
}

// ViolationsKey is vs in one comparable line.
func ViolationsKey(vs []ConfirmedViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%s@%s#%d;", v.Party, v.At.UTC().Format(time.RFC3339Nano), v.FindingID)
	}
	return b.String()
}
