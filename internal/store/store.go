// Package store declares what truce keeps and how the rest of the program
// reaches it. The interfaces here are implemented once per database
// (internal/store/sqlite, internal/store/postgres) on a shared SQL core
// (internal/store/sqlstore), and internal/store/storetest is the conformance
// suite both must pass.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Errors callers can test for with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrVersionConflict means an agreement version already stored with
	// different content: versions are immutable, bump the version instead.
	ErrVersionConflict = errors.New("agreement version already stored with different content")
	// ErrSchemaTooNew means the database was migrated by a newer truce.
	ErrSchemaTooNew = errors.New("database schema is newer than this truce")
	// ErrInvalid means the store refused a record before writing anything:
	// the import it was given to can go on without it.
	ErrInvalid = errors.New("invalid record")
)

// AgreementVersion is one stored version of an agreement file.
type AgreementVersion struct {
	AgreementID string          `json:"agreement_id"`
	Version     int             `json:"version"`
	Title       string          `json:"title"`
	Hash        string          `json:"hash"` // SHA-256 of Source, hex
	Source      []byte          `json:"-"`    // the YAML as written
	Normalized  json.RawMessage `json:"normalized"`
	StoredAt    time.Time       `json:"stored_at"`
	StoredBy    string          `json:"stored_by"` // who stored it: a user, or "local"
}

// AuditEntry is one line of the append-only audit log. Seq, At, PrevHash and
// Hash are assigned by the store when the entry is appended.
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

// Agreements keeps every version of every agreement.
type Agreements interface {
	// PutAgreementVersion stores a version. Storing the same content again is
	// a no-op that returns created=false; different content under an existing
	// (id, version) fails with ErrVersionConflict.
	PutAgreementVersion(ctx context.Context, v AgreementVersion) (created bool, err error)
	// GetAgreementVersion returns one version; version 0 means the latest.
	GetAgreementVersion(ctx context.Context, id string, version int) (AgreementVersion, error)
	// ListAgreementVersions returns the versions of one agreement, oldest
	// first, or ErrNotFound if none is stored.
	ListAgreementVersions(ctx context.Context, id string) ([]AgreementVersion, error)
	// ListAgreements returns the latest version of every agreement, by id.
	ListAgreements(ctx context.Context) ([]AgreementVersion, error)
}

// Audit is the append-only, hash-chained audit log.
type Audit interface {
	// AppendAudit stores e as the next entry and returns it as stored: At
	// defaults to now and, like every stored time, is cut to the microsecond
	// (PostgreSQL's resolution) so what is hashed is what reads back; Detail,
	// if any, must be JSON and is kept compacted.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// ListAudit returns entries with Seq > afterSeq, oldest first, at most
	// limit of them (all if limit <= 0).
	ListAudit(ctx context.Context, afterSeq int64, limit int) ([]AuditEntry, error)
	// HighestCitedAuditSeq returns the largest audit seq that other records
	// cite (review transitions, evidence items, incident links), 0 if none:
	// VerifyAudit checks the log still reaches it, which shows a deleted
	// tail that the hash chain alone cannot.
	HighestCitedAuditSeq(ctx context.Context) (int64, error)
}

// ImportMeta describes one import batch: one input file of one source.
type ImportMeta struct {
	Source string // dataset name; every record of the batch must have it
	Format string // the parser that read the file, e.g. "acled-csv"
	File   string // the file as named by the user, for the record
	By     string // who imports it, for the record
	// Sole says that nothing else uses the store while the batch runs
	// (the command line's ingest, not a server's job): a first import into
	// an empty SQLite file may then hold the file alone and write it
	// directly, readers waiting for its commit (see package sqlite).
	Sole bool
}

// ImportCounts is what one batch did. Counts cover events and claims.
type ImportCounts struct {
	Batch     int64 // the batch's id, for EventFilter.ChangedSince
	New       int   // records not seen before, stored as version 1
	Updated   int   // records stored before with another hash, or deleted
	Unchanged int   // records stored before with the same hash: nothing written
	Deleted   int   // records MarkDeleted changed
}

// Importer writes one batch inside one transaction: nothing of it is
// visible or kept unless Commit succeeds, so a crash at any moment leaves
// the store as before the batch. It streams: memory does not grow with the
// batch. On SQLite the batch holds the database's write lock until it ends,
// so other writers wait (up to the busy timeout) or fail meanwhile.
//
// (Source, SourceID) is a record's key. Adding a record whose Hash equals
// the stored current version's writes nothing; a new key is stored as
// version 1; another Hash, or any record stored as deleted (which it thus
// undeletes), replaces the current version with version+1, keeps the old
// one in its history and flags every finding on the record for review. The record's ID stays the
// same across versions. ID, Version and Deleted of what is added are
// ignored: the store assigns them. A key added twice in one batch is
// applied twice, in order. AddEvent and AddClaim copy what they need, so
// the caller may reuse the record at once.
//
// An error wrapping ErrInvalid refuses one record and nothing else; any
// other error fails the batch, which can then only be rolled back. An
// Importer is not safe for concurrent use.
type Importer interface {
	AddEvent(ctx context.Context, e *event.Event) error
	AddClaim(ctx context.Context, c *event.Claim) error
	// MarkDeleted marks the batch source's events and claims with these
	// source ids deleted upstream, as a new version; ids not stored, or
	// already deleted, are ignored. It returns how many it changed.
	MarkDeleted(ctx context.Context, sourceIDs []string) (int, error)
	// AddReject keeps a row the caller turned away with the batch, for
	// ImportRejects. Its text is made valid UTF-8 and NUL bytes are
	// replaced first: the store never holds the raw bytes of a bad row.
	AddReject(ctx context.Context, r Reject) error
	// Unchanged says which of recs the store holds already as they are
	// (the same hash, not deleted), and counts those as added and
	// unchanged: the caller skips them, sparing their enrichment and
	// encoding, which a re-import of an unchanged file would throw away.
	// Records added before are written first, so a key repeated in the
	// input is judged against its last occurrence.
	Unchanged(ctx context.Context, recs []RecordKey) ([]bool, error)
	// NoteRejected records that the caller turned away n rows of the input
	// as bad (and any record the store refused with ErrInvalid), so that the
	// batch's record in import_batches accounts for every row read.
	NoteRejected(n int)
	// Commit writes what is left, records the batch in import_batches with
	// its counts and commits.
	Commit(ctx context.Context) (ImportCounts, error)
	// Rollback drops the batch. After Commit, or a second time, it does
	// nothing, so it can be deferred.
	Rollback() error
}

// RecordKey names a record of an import's source and its content.
type RecordKey struct {
	Claim    bool // a claim, not an event
	SourceID string
	Hash     string
}

// Reject is a row an import turned away.
type Reject struct {
	Line   int    `json:"line"`
	Field  string `json:"field"` // "" when the row as a whole is bad
	Reason string `json:"reason"`
	Value  string `json:"value"`
	Raw    string `json:"raw"` // the record as read, when it could be split
}

// ImportBatch is one import batch as import_batches records it.
type ImportBatch struct {
	ID                                               int64
	Source, Format, File, By                         string
	StartedAt, FinishedAt                            time.Time
	Read, New, Updated, Unchanged, Deleted, Rejected int
}

// EventFilter selects events or claims. Zero fields select everything.
type EventFilter struct {
	Source string
	// From and To bound the start of the record's time span: From <= start
	// < To. A zero time is no bound.
	From, To time.Time
	// IncludeDeleted also selects records deleted upstream.
	IncludeDeleted bool
	// ChangedSince selects records whose current version was written by an
	// import batch after this one (ImportCounts.Batch); 0 selects all.
	ChangedSince int64
	// NoRaw leaves Raw nil in what a scan returns: the source record is
	// most of a stored row's bytes, and matching never reads it.
	NoRaw bool
	// ByID scans in id order rather than time order: the order rows are
	// stored in, read without an index, for callers that need none.
	ByID bool
	// IDs, if not nil, selects only the records with these ids; with ByID a
	// scan reads them by id, without reading the table.
	IDs []int64
	// What a reader narrows a list to (the API's records list):
	// Kind selects the kind and its narrower ones ("strike" selects
	// strike.drone); Category records with a target of the category or a
	// narrower one; Country (ISO 3166-1) an event's country or any of a
	// claim's places; Admin1 (ISO 3166-2, as stored: UA-14) an event's
	// admin1_id or any of a claim's places'.
	Kind, Category, Country, Admin1 string
	// After resumes a scan in (time_start, id) order after this record
	// (RecordTime is its start): the next page of a list.
	After *Cursor
}

// Evidence keeps events and claims, with every version the sources
// published.
type Evidence interface {
	// BeginImport starts a batch. Callers must end it with Commit or
	// Rollback.
	BeginImport(ctx context.Context, m ImportMeta) (Importer, error)
	// MarkDeleted runs a batch that only marks records of source deleted
	// upstream (ACLED publishes deletion lists); see Importer.MarkDeleted.
	MarkDeleted(ctx context.Context, source string, sourceIDs []string) (int, error)
	// ListImports returns the committed import batches, oldest first.
	ListImports(ctx context.Context) ([]ImportBatch, error)
	// ImportRejects calls fn with the rejected rows of a batch, in line
	// order, the rows of one line always in the same order; ErrNotFound if
	// there is no such batch.
	ImportRejects(ctx context.Context, batch int64, fn func(Reject) error) error

	// GetEvent returns the current version of an event, deleted or not, or
	// ErrNotFound.
	GetEvent(ctx context.Context, source, sourceID string) (event.Event, error)
	// EventHistory returns the superseded versions of an event, oldest
	// first (none if it never changed), or ErrNotFound.
	EventHistory(ctx context.Context, source, sourceID string) ([]event.Event, error)
	// ScanEvents calls fn with the current version of each event f selects,
	// in (start time, id) order (id order with f.ByID), until fn returns an
	// error, which it returns.
	// The scan reads page by page, so fn may use the store; an event changed
	// meanwhile may be seen in either version, or twice or not at all if its
	// start time moved.
	ScanEvents(ctx context.Context, f EventFilter, fn func(*event.Event) error) error
	// CountEvents counts the events ScanEvents would see.
	CountEvents(ctx context.Context, f EventFilter) (int, error)

	// The same for claims.
	GetClaim(ctx context.Context, source, sourceID string) (event.Claim, error)
	ClaimHistory(ctx context.Context, source, sourceID string) ([]event.Claim, error)
	ScanClaims(ctx context.Context, f EventFilter, fn func(*event.Claim) error) error
	CountClaims(ctx context.Context, f EventFilter) (int, error)

	// LatestBatch returns the newest import batch, with the promise that
	// every batch committing later has a larger id. An evaluation that reads
	// it first, then evaluates the records changed since its last run, may
	// record it as how far it got: nothing committed meanwhile is skipped.
	// Where imports run side by side (PostgreSQL) and so may commit out of
	// id order, it waits for the running ones to end.
	LatestBatch(ctx context.Context) (int64, error)
}

// FindingResult is what matching concluded about one record under one
// commitment and reading, for one accused party: the part of a finding that
// evaluation writes. (CommitmentID, Reading, Accused) is its key within the
// record's set.
type FindingResult struct {
	CommitmentID string `json:"commitment_id"`
	Reading      string `json:"reading"`
	Accused      string `json:"accused"`
	// Part is the allegation of the record's text the finding is about (see
	// event.Allegation), 0 for the record as coded or as a whole.
	Part         int           `json:"part,omitempty"`
	Verdict      vocab.Verdict `json:"verdict"`
	Claimant     string        `json:"claimant,omitempty"`
	FailedClause string        `json:"failed_clause,omitempty"`
	Category     string        `json:"category"`
	TimePosition string        `json:"time_position"`
	Exception    string        `json:"exception,omitempty"`
	// Explanation is JSON (the clause checks and notes), ExplanationText the
	// same in one line.
	Explanation     json.RawMessage `json:"explanation"`
	ExplanationText string          `json:"explanation_text"`
}

// FindingSet is every finding one evaluation gives for one record under one
// agreement version; no results is a set too (the record no longer matches).
type FindingSet struct {
	AgreementID      string
	AgreementVersion int
	Record           vocab.Ref
	// The record as judged: its version, hash and start.
	RecordVersion int
	EvidenceHash  string
	RecordTime    time.Time
	Results       []FindingResult
}

// FindingCounts is what replacing one FindingSet did.
type FindingCounts struct {
	New       int `json:"new"`       // results with no finding under their key: inserted
	Changed   int `json:"changed"`   // content changed, or a withdrawn finding came back: updated and flagged for review
	Unchanged int `json:"unchanged"` // same content: only evaluated_at and the record's version and hash updated
	Withdrawn int `json:"withdrawn"` // findings no result gave any more: withdrawn and flagged for review
}

// Add adds o to c.
func (c *FindingCounts) Add(o FindingCounts) {
	c.New += o.New
	c.Changed += o.Changed
	c.Unchanged += o.Unchanged
	c.Withdrawn += o.Withdrawn
}

// FindingSubject is the current version of the record a finding is about,
// as ScanFindings reads it; for a claim, Place is its first place.
type FindingSubject struct {
	Source   string      `json:"source"`
	SourceID string      `json:"source_id"`
	Version  int         `json:"version"`
	Deleted  bool        `json:"deleted"`
	Time     event.Span  `json:"time"`
	Place    event.Place `json:"place"`
	Kind     string      `json:"kind"`
	Text     string      `json:"text"`
	// Allegation is the act of the record's text the finding's Part names.
	Allegation *event.Allegation `json:"allegation,omitempty"`
}

// FindingRecord is one stored finding.
type FindingRecord struct {
	ID               int64     `json:"id"`
	AgreementID      string    `json:"agreement_id"`
	AgreementVersion int       `json:"agreement_version"`
	Record           vocab.Ref `json:"record"`
	RecordVersion    int       `json:"record_version"`
	EvidenceHash     string    `json:"evidence_hash"`
	RecordTime       time.Time `json:"record_time"`
	FindingResult
	// Status is the review's (alleged, confirmed...); evaluation never
	// changes it.
	Status vocab.Status `json:"status"`
	// NeedsReview is set when the record got a new version, or evaluation
	// changed or withdrew the finding; only a review clears it.
	NeedsReview bool `json:"needs_review"`
	// WithdrawnAt is when evaluation stopped giving the finding (the record
	// was edited or deleted upstream); zero while it stands.
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`   // content last changed
	EvaluatedAt time.Time `json:"evaluated_at"` // last evaluated, changed or not
	// Supersedes is the finding with the same key under the newest earlier
	// version of the agreement (0: none), as LinkSupersededFindings set it.
	Supersedes int64          `json:"supersedes,omitempty"`
	Subject    FindingSubject `json:"subject"`
}

// FindingFilter selects findings. Zero fields select everything, Version
// aside.
type FindingFilter struct {
	AgreementID string
	// Version 0 selects, for each agreement, the latest version whose
	// evaluation has finished (SetEvaluationState): a version being
	// evaluated, or never evaluated, is not shown.
	Version  int
	Reading  string
	Verdicts []vocab.Verdict
	Accused  string
	// NeedsReview selects only findings flagged for review.
	NeedsReview bool
	// Record, if its ID is set, selects the findings of one record.
	Record vocab.Ref
	// IncludeWithdrawn also selects withdrawn findings.
	IncludeWithdrawn bool
	// Statuses selects findings in one of these review statuses.
	Statuses []vocab.Status
	// From and To bound the record time: From <= record_time < To.
	From, To time.Time
	// What the finding's record must be, as EventFilter's fields of the
	// same names select records.
	Source, Kind, Category, Country, Admin1 string
	// After, if set, starts the scan after this finding in the scan's
	// (record_time, id) order: a page of a long list, resumed where the
	// last one ended, at the cost of one index seek.
	After *Cursor
	// PageSize, if set, is how many rows the scan reads at a time: the
	// size of the page a caller will stop at, so that no more are read
	// and decoded. It changes nothing the scan yields.
	PageSize int
}

// Cursor is a place in a scan's (time, id) order: a finding's record
// time and id, or a record's start and id.
type Cursor struct {
	RecordTime time.Time
	ID         int64
}

// EvaluationState is how far evaluation has got with one agreement version.
type EvaluationState struct {
	AgreementID      string
	AgreementVersion int
	// LastBatch is the import batch (ImportCounts.Batch) up to which every
	// record has been evaluated: the next evaluation needs only the records
	// with EventFilter.ChangedSince = LastBatch.
	LastBatch int64
	// NearMisses says whether near misses were stored: a different setting
	// means another set of findings, so a full evaluation.
	NearMisses bool
	// Violations is ConfirmedViolationsKey of the confirmed violations the
	// evaluation noted (release rules): when review confirms another, the
	// findings after it need their notes, so a full evaluation.
	Violations  string
	EvaluatedAt time.Time // set by the store
}

// Findings keeps what evaluation concluded, per agreement version, and how
// far it has got. Findings are never deleted: a superseded agreement
// version keeps its own, and a finding no longer given is withdrawn.
type Findings interface {
	// ReplaceFindings makes each set the findings of its record under its
	// agreement version, all sets in one transaction, and returns what it did
	// per set. Results are matched to stored findings by key: an unchanged
	// one keeps its id, created time, status and review flag; a changed one
	// is updated and flagged for review; a stored finding no result gives is
	// withdrawn (kept, with WithdrawnAt) and flagged. A set with two results
	// under one key, or an unknown verdict or record type, fails with
	// ErrInvalid and writes nothing.
	ReplaceFindings(ctx context.Context, sets []FindingSet) ([]FindingCounts, error)
	// FindingRecords returns the records with standing (not withdrawn)
	// findings under one agreement version: those whose re-evaluation must
	// be written even when it gives nothing.
	FindingRecords(ctx context.Context, agreementID string, version int) ([]vocab.Ref, error)
	// ScanFindings calls fn with each finding f selects, with its record's
	// current version, in (record time, id) order, until fn returns an
	// error, which it returns. Like ScanEvents it reads page by page, so fn
	// may use the store.
	ScanFindings(ctx context.Context, f FindingFilter, fn func(*FindingRecord) error) error

	// ConfirmedViolations returns each accused party's earliest standing
	// finding of the agreement, any version, that review confirmed, itself
	// or through the incident holding its record; near misses and
	// exceptions do not count. By party.
	ConfirmedViolations(ctx context.Context, agreementID string) ([]review.ConfirmedViolation, error)
	// ViolationsIfConfirmed returns the findings that would count as
	// confirmed violations if subj were confirmed: the finding itself, or
	// the findings on an incident's members, that state a prohibited act
	// by a named party (candidate or ambiguous, standing, an accused, not
	// on a count-only claim), each with its agreement, by agreement and
	// time. What release a confirmation would start, before it is made.
	ViolationsIfConfirmed(ctx context.Context, subj vocab.Ref) ([]review.ConfirmedViolation, error)
	// LinkSupersededFindings links each finding of an agreement version to
	// the one with the same key (commitment, reading, accused, record) under
	// the newest earlier version, where it has no link yet, and returns how
	// many it linked. The older findings stay as they were.
	LinkSupersededFindings(ctx context.Context, agreementID string, version int) (int, error)

	// GetEvaluationState returns the state of one agreement version, or
	// ErrNotFound if it was never evaluated.
	GetEvaluationState(ctx context.Context, agreementID string, version int) (EvaluationState, error)
	// SetEvaluationState stores the state of an agreement version, replacing
	// the one before.
	SetEvaluationState(ctx context.Context, st EvaluationState) error
}

// Migrator is implemented by stores with a versioned schema. Open already
// migrates, so `truce migrate` opens the store and reports what that did.
type Migrator interface {
	// Migrate applies any pending migrations and returns the schema version
	// the database had when this store opened it and the one it has now.
	Migrate(ctx context.Context) (from, to int, err error)
}

// Store is everything truce keeps.
type Store interface {
	Agreements
	Positions
	Audit
	Evidence
	Findings
	Incidents
	Jobs
	Users
	Sessions
	Reviews
	// SchemaVersion is the migration level of the open database.
	SchemaVersion(ctx context.Context) (int, error)
	// Backend names the database kind: "sqlite" or "postgres".
	Backend() string
	Close() error
}

// Replica is a store that may lag behind its primary, as a PostgreSQL
// streaming replica does.
type Replica interface {
	// ReplicationLag is how far behind the primary the store is now.
	ReplicationLag(ctx context.Context) (time.Duration, error)
}

// AuditHash is the hex SHA-256 that chains e to the entry before it. It
// covers Seq, At (RFC 3339 with nanoseconds, UTC), Actor, Action, vocab.Ref,
// Detail and PrevHash, each written as a netstring ("len:bytes,") after a
// version tag, so no two different entries share an encoding. Hash itself is
// not covered. `audit verify` recomputes it; changing it breaks every
// existing chain.
func AuditHash(e AuditEntry) string {
	h := sha256.New()
	h.Write([]byte("truce-audit-v1\n"))
	for _, field := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor,
		e.Action,
		e.Subject,
		string(e.Detail),
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s,", len(field), field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// keywordPassword finds the password in a key=value connection string.
var keywordPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]*)`)

// RedactDSN returns dsn fit for errors and logs: any password, in a URL's
// user info, its query or a key=value string, becomes "xxxxx".
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Opaque == "" {
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
}
