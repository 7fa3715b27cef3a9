package store

import (
	"context"
	"time"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

// IncidentFilter selects incidents. Zero fields select everything but
// dissolved incidents.
type IncidentFilter struct {
	From, To         time.Time // bound TimeStart: From <= start < To
	Statuses         []vocab.Status
	Grades           []vocab.Grade
	NeedsReview      bool
	IncludeDissolved bool
	Record           vocab.Ref // if its ID is set: the incident holding it
	// AgreementID and Party select the incidents holding a standing
	// finding of the agreement, against the party (its accused), or both.
	AgreementID, Party string
	// Country (ISO 3166-1) and Admin1 (ISO 3166-2) select the incidents
	// placed there, or holding a record placed there (as EventFilter).
	Country, Admin1 string
}

// Incidents keeps incidents, their members and analysts' link decisions.
type Incidents interface {
	// SaveIncidents writes incidents in one transaction, with one audit
	// entry (actor by): ID 0 inserts, as alleged whatever Status says;
	// otherwise the stored incident's fields
	// and members are replaced, its review status kept, and it is flagged
	// for review if its members changed. A record already in another
	// incident moves. An incident saved with no members is dissolved.
	SaveIncidents(ctx context.Context, incidents []incident.Incident, by string) ([]incident.Incident, error)
	// GetIncident returns an incident with its members, or ErrNotFound.
	GetIncident(ctx context.Context, id int64) (incident.Incident, error)
	// ListIncidents returns the incidents f selects with their members, by
	// (TimeStart, ID).
	ListIncidents(ctx context.Context, f IncidentFilter) ([]incident.Incident, error)
	// AddLinkDecision stores d with its audit entry.
	AddLinkDecision(ctx context.Context, d incident.LinkDecision) (incident.LinkDecision, error)
	// ListLinkDecisions returns every decision, oldest first.
	ListLinkDecisions(ctx context.Context) ([]incident.LinkDecision, error)
	// SourcesOfFormat returns the sources with an import batch read in
	// format (ImportMeta.Format), by name: what a source is (machine-coded,
	// a party's own reports) follows from the format it came in.
	SourcesOfFormat(ctx context.Context, format string) ([]string, error)
}
