// Package agreement is truce's agreement format: the YAML an analyst writes
// to encode a ceasefire, its strict parsing and validation with positioned
// errors, the resolution of windows per reading, and the diff of two
// versions. Evaluation against events lives elsewhere (internal/match); this
// package only says what was promised, by whom, when, and on whose word.
package agreement

// FormatVersion is the version of the file format this package reads.
const FormatVersion = 1

// Agreement is one version of an agreement (or a proposal) as written.
type Agreement struct {
	// Format is the file-format version; must be 1.
	Format int `yaml:"format" json:"format" jsonschema:"enum=1"`
	// ID is a stable slug naming the agreement across versions.
	ID string `yaml:"id" json:"id" jsonschema:"pattern=^[a-z0-9][a-z0-9-]*$"`
	// Version counts the versions of this agreement, from 1.
	Version int    `yaml:"version" json:"version" jsonschema:"minimum=1"`
	Title   string `yaml:"title" json:"title"`
	// Status is the agreement's state as of this version.
	Status  Status `yaml:"status" json:"status"`
	Summary string `yaml:"summary,omitempty" json:"summary,omitempty"`

	Parties    []Party `yaml:"parties" json:"parties"`
	Mediators  []Party `yaml:"mediators,omitempty" json:"mediators,omitempty"`
	Guarantors []Party `yaml:"guarantors,omitempty" json:"guarantors,omitempty"`

	// Sources are the documents terms cite by id.
	Sources []Source `yaml:"sources" json:"sources"`

	Window      Window       `yaml:"window" json:"window"`
	Release     *Release     `yaml:"release,omitempty" json:"release,omitempty"`
	Commitments []Commitment `yaml:"commitments" json:"commitments"`
	// Readings are each party's version of disputed terms.
	Readings  []Reading  `yaml:"readings,omitempty" json:"readings,omitempty"`
	Proposals []Proposal `yaml:"proposals,omitempty" json:"proposals,omitempty"`
	// History lists the versions of this agreement and what each changed.
	History []Change `yaml:"history,omitempty" json:"history,omitempty"`
}

// Status of an agreement.
type Status string

// Agreement statuses.
const (
	StatusProposed   Status = "proposed" // offered, not (yet) accepted by all parties
	StatusRejected   Status = "rejected" // offered and rejected
	StatusInForce    Status = "in_force"
	StatusLapsed     Status = "lapsed"     // the window ran out
	StatusTerminated Status = "terminated" // ended early by a party
)

var statuses = []Status{StatusProposed, StatusRejected, StatusInForce, StatusLapsed, StatusTerminated}

// Party is a party, mediator or guarantor.
type Party struct {
	// ID is a short stable id, such as an ISO country code: RU, UA, US.
	ID   string `yaml:"id" json:"id" jsonschema:"pattern=^[A-Z][A-Z0-9_]*$"`
	Name string `yaml:"name" json:"name"`
	// Aliases name the party as each source does, keyed by source kind:
	// acled (actor strings), ucdp (side names), gdelt (actor codes),
	// claims (claimant names as the feeds write them), or any csv mapping name.
	Aliases map[string][]string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
}

// Source is a document a term rests on.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	Title     string `yaml:"title,omitempty" json:"title,omitempty"`
	Publisher string `yaml:"publisher,omitempty" json:"publisher,omitempty"`
	URL       string `yaml:"url,omitempty" json:"url,omitempty"`
	// Date the source was published, YYYY-MM-DD.
	Date  string `yaml:"date" json:"date" jsonschema:"format=date"`
	Quote string `yaml:"quote,omitempty" json:"quote,omitempty"`
}

// Window is when commitments are in force.
//
// Start is a local wall-clock time in TimeZone, written without an offset
// ("2025-03-18T00:00"), because that is how parties announce truces ("from
// 18:00 Moscow time"). Give Duration or End, not both. A duration in days
// ("30d") counts calendar days in TimeZone, so a DST change inside the window
// does not move the end; hours ("30h") are exact elapsed time.
type Window struct {
	Start    string `yaml:"start,omitempty" json:"start,omitempty" jsonschema:"example=2025-03-18T00:00"`
	TimeZone string `yaml:"time_zone" json:"time_zone" jsonschema:"example=Europe/Moscow"`
	Duration string `yaml:"duration,omitempty" json:"duration,omitempty" jsonschema:"pattern=^[0-9]+(d|h|m)$"`
	End      string `yaml:"end,omitempty" json:"end,omitempty"`
	// Extension is the rule for extending the window, as agreed.
	Extension *Rule    `yaml:"extension,omitempty" json:"extension,omitempty"`
	Source    string   `yaml:"source" json:"source"`
	Note      string   `yaml:"note,omitempty" json:"note,omitempty"`
	Extended  []Extend `yaml:"extended,omitempty" json:"extended,omitempty"`
}

// Extend records an extension that was agreed.
type Extend struct {
	// Until is the new local end, in the window's time zone.
	Until  string `yaml:"until" json:"until"`
	Source string `yaml:"source" json:"source"`
}

// Rule is a rule stated in words, with its source.
type Rule struct {
	Text   string `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"`
}

// Release says what happens when a party violates.
type Release struct {
	// Kind is the machine-checkable effect: counterparty_may_withdraw means
	// once a party is found in confirmed violation, the others may consider
	// themselves free of the obligation.
	Kind   ReleaseKind `yaml:"kind" json:"kind"`
	Text   string      `yaml:"text" json:"text"`
	Source string      `yaml:"source" json:"source"`
}

// ReleaseKind is the effect of a violation.
type ReleaseKind string

// Release kinds.
const (
	ReleaseNone                    ReleaseKind = "none"
	ReleaseCounterpartyMayWithdraw ReleaseKind = "counterparty_may_withdraw"
)

// Commitment is one term. Its ID is stable and never reused, even when
// the commitment is withdrawn in a later version.
//
// A commitment is either a prohibition (Prohibited: conduct a party must
// not engage in, which matching checks records against) or a positive
// obligation (Obligation: something a party must do, with Implementation,
// the dated steps taken towards it). Matching ignores obligations: they
// yield no findings, only an implementation score.
type Commitment struct {
	ID    string `yaml:"id" json:"id" jsonschema:"pattern=^[A-Za-z0-9][A-Za-z0-9._-]*$"`
	Title string `yaml:"title" json:"title"`
	Text  string `yaml:"text,omitempty" json:"text,omitempty"`
	// Bound lists the party ids the commitment binds. A prohibition binds
	// parties; an obligation may also bind a mediator or guarantor.
	Bound      []string `yaml:"bound" json:"bound"`
	Prohibited Conduct  `yaml:"prohibited,omitempty" json:"prohibited,omitzero"`
	// Obligation is what must be done, for a positive obligation.
	Obligation *Obligation `yaml:"obligation,omitempty" json:"obligation,omitempty"`
	// Implementation are the steps taken on an obligation, in date order.
	Implementation []Step      `yaml:"implementation,omitempty" json:"implementation,omitempty"`
	Geography      *Geography  `yaml:"geography,omitempty" json:"geography,omitempty"`
	Exceptions     []Exception `yaml:"exceptions,omitempty" json:"exceptions,omitempty"`
	Source         string      `yaml:"source" json:"source"`
	// Withdrawn marks a commitment no longer in force from a version on.
	// It stays in the file so its id is never reused.
	Withdrawn *Withdrawal `yaml:"withdrawn,omitempty" json:"withdrawn,omitempty"`
}

// IsObligation reports whether the commitment is a positive obligation
// rather than a prohibition.
func (c *Commitment) IsObligation() bool { return c.Obligation != nil }

// Obligation is what a positive obligation requires, in words.
type Obligation struct {
	// Action is what the bound parties must do.
	Action string `yaml:"action" json:"action"`
	// Due is the date it must be done by, YYYY-MM-DD, when the text states one.
	Due string `yaml:"due,omitempty" json:"due,omitempty" jsonschema:"format=date"`
}

// Step is one dated assessment of how far an obligation is implemented,
// in the spirit of the Peace Accords Matrix, with the evidence for it.
type Step struct {
	// Date of the step (the event or statement it rests on), YYYY-MM-DD.
	Date  string `yaml:"date" json:"date" jsonschema:"format=date"`
	Level Level  `yaml:"level" json:"level"`
	// Source is the declared source that is the evidence for the step.
	Source string `yaml:"source" json:"source"`
	// Note says what happened and why it is at this level.
	Note string `yaml:"note" json:"note"`
}

// Level is how far an obligation is implemented.
type Level string

// Implementation levels, from none to complete.
const (
	LevelNotStarted   Level = "not_started"  // nothing done towards it
	LevelMinimal      Level = "minimal"      // first steps, far from the term
	LevelIntermediate Level = "intermediate" // substantial, not complete
	LevelFull         Level = "full"         // implemented as agreed
)

// Levels are the implementation levels in order, none first.
func Levels() []Level {
	return []Level{LevelNotStarted, LevelMinimal, LevelIntermediate, LevelFull}
}

// Withdrawal records when a commitment stopped applying.
type Withdrawal struct {
	Version int    `yaml:"version" json:"version"`
	Source  string `yaml:"source" json:"source"`
}

// Conduct is what a commitment prohibits: any of Kinds against any of Targets.
// An empty Targets list means any target.
type Conduct struct {
	// Kinds are event-kind ids (see `truce agreement schema` or docs/taxonomy.md).
	Kinds []string `yaml:"kinds" json:"kinds"`
	// Targets are target-category ids.
	Targets []string `yaml:"targets,omitempty" json:"targets,omitempty"`
}

// Geography limits where a commitment applies. Empty means everywhere.
type Geography struct {
	// Countries are ISO 3166-1 alpha-2 codes.
	Countries []string `yaml:"countries,omitempty" json:"countries,omitempty"`
	// Admin1 are first-level regions ("Donetsk", "Belgorod"), as a gazetteer names them.
	Admin1 []string `yaml:"admin1,omitempty" json:"admin1,omitempty"`
	// Polygon is a GeoJSON Polygon or MultiPolygon geometry, inline.
	Polygon *Polygon `yaml:"polygon,omitempty" json:"polygon,omitempty"`
}

// Polygon is a GeoJSON geometry of type Polygon or MultiPolygon.
type Polygon struct {
	Type        string `yaml:"type" json:"type" jsonschema:"enum=Polygon,enum=MultiPolygon"`
	Coordinates any    `yaml:"coordinates" json:"coordinates"`
}

// Exception narrows a commitment: conduct matching it is not a violation.
type Exception struct {
	ID          string     `yaml:"id" json:"id"`
	Description string     `yaml:"description" json:"description"`
	Kinds       []string   `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Targets     []string   `yaml:"targets,omitempty" json:"targets,omitempty"`
	Geography   *Geography `yaml:"geography,omitempty" json:"geography,omitempty"`
	Source      string     `yaml:"source" json:"source"`
}

// Reading is one party's version of disputed terms. Whatever it does not
// override is read as the agreement's own text.
type Reading struct {
	// Party whose reading this is.
	Party       string `yaml:"party" json:"party"`
	Description string `yaml:"description" json:"description"`
	// Window overrides fields of the agreement's window.
	Window *WindowOverride `yaml:"window,omitempty" json:"window,omitempty"`
	// Commitments overrides the prohibited conduct of commitments, by id.
	Commitments map[string]ConductOverride `yaml:"commitments,omitempty" json:"commitments,omitempty"`
	Source      string                     `yaml:"source" json:"source"`
}

// WindowOverride replaces the given fields of a window.
type WindowOverride struct {
	Start    string `yaml:"start,omitempty" json:"start,omitempty"`
	TimeZone string `yaml:"time_zone,omitempty" json:"time_zone,omitempty"`
	Duration string `yaml:"duration,omitempty" json:"duration,omitempty"`
	End      string `yaml:"end,omitempty" json:"end,omitempty"`
	// Source, when this term rests on another document than the reading's.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// ConductOverride replaces the kinds or targets of one commitment.
type ConductOverride struct {
	Kinds   []string `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Targets []string `yaml:"targets,omitempty" json:"targets,omitempty"`
	Note    string   `yaml:"note,omitempty" json:"note,omitempty"`
	// Source, when this term rests on another document than the reading's.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// Proposal is a term offered by someone, with each party's positions over time.
type Proposal struct {
	ID   string `yaml:"id" json:"id"`
	Term string `yaml:"term" json:"term"`
	// By is the id of the party or mediator that proposed it.
	By        string     `yaml:"by" json:"by"`
	Date      string     `yaml:"date" json:"date" jsonschema:"format=date"`
	Source    string     `yaml:"source" json:"source"`
	Positions []Position `yaml:"positions,omitempty" json:"positions,omitempty"`
}

// Position is a party's stance on a proposal at a date.
type Position struct {
	Party  string `yaml:"party" json:"party"`
	Date   string `yaml:"date" json:"date" jsonschema:"format=date"`
	Stance Stance `yaml:"stance" json:"stance"`
	// Conditions are the ids of proposals this stance depends on.
	Conditions []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	Note       string   `yaml:"note,omitempty" json:"note,omitempty"`
	Source     string   `yaml:"source" json:"source"`
}

// Stance is a party's position on a proposal.
type Stance string

// Stances.
const (
	StanceSupports    Stance = "supports"
	StanceRejects     Stance = "rejects"
	StanceConditional Stance = "conditional"
	StanceNoComment   Stance = "no_position"
)

// Change is one entry of an agreement's history.
type Change struct {
	Version int    `yaml:"version" json:"version"`
	Date    string `yaml:"date" json:"date" jsonschema:"format=date"`
	Summary string `yaml:"summary" json:"summary"`
	Source  string `yaml:"source,omitempty" json:"source,omitempty"`
}
