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
)

// Errors callers can test for with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrVersionConflict means an agreement version already stored with
	// different content: versions are immutable, bump the version instead.
	ErrVersionConflict = errors.New("agreement version already stored with different content")
	// ErrSchemaTooNew means the database was migrated by a newer truce.
	ErrSchemaTooNew = errors.New("database schema is newer than this truce")
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
	Audit
	// SchemaVersion is the migration level of the open database.
	SchemaVersion(ctx context.Context) (int, error)
	// Backend names the database kind: "sqlite" or "postgres".
	Backend() string
	Close() error
}

// AuditHash is the hex SHA-256 that chains e to the entry before it. It
// covers Seq, At (RFC 3339 with nanoseconds, UTC), Actor, Action, Subject,
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
