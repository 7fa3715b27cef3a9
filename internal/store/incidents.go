package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// IncidentMember is one record of an incident, with its provenance.
type IncidentMember struct {
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
	Status      vocab.Status     `json:"status"`
	NeedsReview bool             `json:"needs_review"`
	DissolvedAt time.Time        `json:"dissolved_at,omitzero"`
	Members     []IncidentMember `json:"members"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
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

// IncidentFilter selects incidents. Zero fields select everything but
// dissolved incidents.
type IncidentFilter struct {
	From, To         time.Time // bound TimeStart: From <= start < To
	Statuses         []vocab.Status
	Grades           []vocab.Grade
	NeedsReview      bool
	IncludeDissolved bool
	Record           vocab.Ref // if its ID is set: the incident holding it
}

// Incidents keeps incidents, their members and analysts' link decisions.
type Incidents interface {
	// SaveIncidents writes incidents in one transaction, with one audit
	// entry (actor by): ID 0 inserts, as alleged whatever Status says;
	// otherwise the stored incident's fields
	// and members are replaced, its review status kept, and it is flagged
	// for review if its members changed. A record already in another
	// incident moves. An incident saved with no members is dissolved.
	SaveIncidents(ctx context.Context, incidents []Incident, by string) ([]Incident, error)
	// GetIncident returns an incident with its members, or ErrNotFound.
	GetIncident(ctx context.Context, id int64) (Incident, error)
	// ListIncidents returns the incidents f selects with their members, by
	// (TimeStart, ID).
	ListIncidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	// AddLinkDecision stores d with its audit entry.
	AddLinkDecision(ctx context.Context, d LinkDecision) (LinkDecision, error)
	// ListLinkDecisions returns every decision, oldest first.
	ListLinkDecisions(ctx context.Context) ([]LinkDecision, error)
	// SourcesOfFormat returns the sources with an import batch read in
	// format (ImportMeta.Format), by name: what a source is (machine-coded,
	// a party's own reports) follows from the format it came in.
	SourcesOfFormat(ctx context.Context, format string) ([]string, error)
}
