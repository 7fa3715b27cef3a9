package incident

// Incidents as the store keeps them, with their members' provenance and
// analysts' link decisions.

import (
	"encoding/json"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Membership is one record of an incident, with its provenance.
type Membership struct {
	Record   vocab.Ref        `json:"record"`
	Source   string           `json:"source"`
	SourceID string           `json:"source_id"`
	Role     vocab.MemberRole `json:"role"`
	// Machine: the record comes from a machine-coded source (GDELT).
	Machine bool `json:"machine"`
	// Manual: an analyst's join put it here.
	Manual  bool            `json:"manual"`
	Reason  json.RawMessage `json:"reason"` // why it was linked
	AddedAt time.Time       `json:"added_at"`
}

// Incident is one occurrence as several records describe it.
type Incident struct {
	ID          int64           `json:"id"`
	TimeStart   time.Time       `json:"time_start"`
	TimeEnd     time.Time       `json:"time_end"`
	Country     string          `json:"country"`
	Admin1      string          `json:"admin1"`
	Lat         *float64        `json:"lat,omitempty"`
	Lon         *float64        `json:"lon,omitempty"`
	Kind        string          `json:"kind"`
	Category    string          `json:"category"`
	Summary     string          `json:"summary"`
	Grade       vocab.Grade     `json:"grade"`
	GradeReason json.RawMessage `json:"grade_reason"`
	MachineOnly bool            `json:"machine_only"`
	// Status and NeedsReview are the review's: SaveIncidents keeps them,
	// except that it flags a stored incident whose members changed.
	Status      vocab.Status `json:"status"`
	NeedsReview bool         `json:"needs_review"`
	DissolvedAt time.Time    `json:"dissolved_at,omitzero"`
	Members     []Membership `json:"members"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// LinkDecision is an analyst's decision that two records do (Link) or do
// not describe the same occurrence; rebuilds obey the latest one per pair.
type LinkDecision struct {
	ID       int64     `json:"id"`
	A        vocab.Ref `json:"a"`
	B        vocab.Ref `json:"b"`
	Link     bool      `json:"link"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
	AuditSeq int64     `json:"audit_seq"`
}
