// Package sqlstore implements store.Store once, on database/sql, for every
// SQL backend. A backend package (sqlite, postgres) opens the *sql.DB, embeds
// its migrations and describes its differences in a Dialect; the queries and
// rules live here, so both backends behave alike by construction.
//
// Times are bound as text in one fixed-width form, RFC 3339 UTC with six
// fractional digits ("2006-01-02T15:04:05.000000Z"): SQLite keeps it as is,
// so text order is time order, and PostgreSQL parses it into TIMESTAMPTZ.
// Microseconds are PostgreSQL's resolution; cutting every time to it on both
// backends makes a value read back as it was written, which hashes need.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// Dialect is what differs between backends.
type Dialect struct {
	// Name is what Store.Backend reports: "sqlite" or "postgres".
	Name string
	// NumberedParams rewrites the ? placeholders the queries are written
	// with into $1, $2, ... (PostgreSQL).
	NumberedParams bool
	// Migrations holds the schema as NNNN_name.sql files, numbered from 1
	// without gaps.
	Migrations fs.FS
	// CreateMigrationsTable creates schema_migrations(version, applied_at)
	// if it does not exist.
	CreateMigrationsTable string
	// LockMigrations and LockAudit run first in a migration or audit-append
	// transaction to keep a second one out until it ends. Leave them empty
	// where a write transaction already excludes others (SQLite's BEGIN
	// IMMEDIATE).
	LockMigrations string
	LockAudit      string
	// LockImport runs first in every import transaction and LockBatches
	// first in LatestBatch's, where imports run side by side: LockBatches
	// waits for the imports running to end, so that no batch with a smaller
	// id than the latest one can still commit. Leave both empty where
	// imports are serialised anyway (SQLite's write lock), so batch ids
	// are handed out in commit order.
	LockImport  string
	LockBatches string
	// InsertNew, if set, is the verb that inserts rows an import has
	// looked up and found new, with no conflict clause: "INSERT OR
	// ROLLBACK" for SQLite, whose write lock keeps every other writer out
	// between the lookup and the insert, and which then needs no statement
	// journal. Empty upserts them, safe where writers run side by side.
	InsertNew string
	// IndexedBy makes scans name their index (SQLite's INDEXED BY). Without
	// statistics SQLite takes an equality on source for selective, reads
	// the whole source through the unique index and sorts it, for every
	// page of a scan; the time index reads each page in order.
	IndexedBy bool
	// SkipLocked ends the query that picks a job to claim: " FOR UPDATE
	// SKIP LOCKED" where servers claim side by side (PostgreSQL), so that
	// each passes over the rows the others are claiming.
	SkipLocked string
	// JSONMember is the condition that the JSON array column col holds an
	// object whose key matches one LIKE pattern (a ? with ESCAPE '\'):
	// how a records list filters on targets and places.
	JSONMember func(col, key string) string
	// ImportIndexes is ImportOptions.Indexes for the imports through
	// database/sql.
	ImportIndexes string
	// WholeReader, if set, opens a reader of its own for each reader of
	// a scan that reads a whole table in id order (evaluate's full scan),
	// used instead of the pool's connections: on SQLite a connection
	// that neither maps the file (a command reading every event would
	// hold them all in its memory) nor goes through database/sql, whose
	// conversions and the driver's serialized mutex were most of the
	// scan's cost.
	WholeReader func(ctx context.Context) (RowReader, error)
	// CacheStatements keeps the read queries prepared (stmtcache.go):
	// for a driver that parses each statement it is given anew (SQLite's),
	// not for one that caches its own (pgx).
	CacheStatements bool
	// ChangeStamp is the query of ChangeStamp (stamp.go), "" for none;
	// StampOwnConn runs it on a connection kept for it alone.
	ChangeStamp  string
	StampOwnConn bool
}

// Store is a store.Store on a *sql.DB.
type Store struct {
	db         *sql.DB
	dialect    Dialect
	migrations []migration
	// openedAt is the schema version the database had before New migrated
	// it, reported by Migrate.
	openedAt int
	stmts    stmtCache
	stamp    stamper
}

var (
	_ store.Store    = (*Store)(nil)
	_ store.Migrator = (*Store)(nil)
)

// New checks that db answers, migrates it to the newest schema in d and
// returns the store. The store owns db from then on, even on error: New
// closes it if it fails.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s, err := newStore(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func newStore(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s, err := connect(ctx, db, d)
	if err != nil {
		return nil, err
	}
	from, _, err := s.migrate(ctx)
	if err != nil {
		return nil, err
	}
	s.openedAt = from
	return s, nil
}

// NewReadOnly is New for a database truce may only read, such as a
// PostgreSQL streaming replica: it migrates nothing, and refuses a schema
// other than the newest in d (the primary's migration reaches a replica
// by replication; until it has, the replica is not fit to answer).
func NewReadOnly(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s, err := newReadOnly(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func newReadOnly(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	s, err := connect(ctx, db, d)
	if err != nil {
		return nil, err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if want := len(s.migrations); v != want {
		return nil, fmt.Errorf("the database is at schema version %d, this truce needs %d: migrate the primary ('truce migrate') and let the replica catch up", v, want)
	}
	s.openedAt = v
	return s, nil
}

// connect checks that db answers and returns the store on it, not yet
// migrated or checked.
func connect(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	migrations, err := loadMigrations(d.Migrations)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return &Store{db: db, dialect: d, migrations: migrations}, nil
}

// DB is the underlying database, for backend packages that add to the
// shared queries.
func (s *Store) DB() *sql.DB { return s.db }

// Backend names the database kind.
func (s *Store) Backend() string { return s.dialect.Name }

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	s.stamp.close()
	return s.db.Close()
}

// SchemaVersion is the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// rebind turns the ? placeholders of query into the dialect's.
func (s *Store) rebind(query string) string {
	if !s.dialect.NumberedParams {
		return query
	}
	return NumberParams(query)
}

// NumberParams turns the ? placeholders of query into $1, $2, ...
func NumberParams(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// inTx runs fn in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		// The rollback error, if any, says less than err.
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// timeLayout is how times are bound: fixed width, so it sorts as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// dbTime cuts t to the stored resolution, in UTC.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// timeArg is t as a query argument.
func timeArg(t time.Time) string { return dbTime(t).Format(timeLayout) }

// TimeText is a time as SQLite stores it, for a backend's own statements.
func TimeText(t time.Time) string { return timeArg(t) }

// timeDest scans a time column: text from SQLite, time.Time from PostgreSQL.
type timeDest struct{ t *time.Time }

func (d timeDest) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*d.t = v.UTC()
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	case nil:
		*d.t = time.Time{}
	default:
		return fmt.Errorf("scan %T as a time", v)
	}
	return nil
}

func (d timeDest) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*d.t = t.UTC()
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
// Scanner reads the columns of one row into dest, as database/sql's
// Rows.Scan does.
type Scanner interface{ Scan(dest ...any) error }

type scanner = Scanner

// RowReader runs the page queries of a whole-table scan on a connection
// of its own (see Dialect.WholeReader).
type RowReader interface {
	// Query runs query, written with ? placeholders, and calls row with
	// each row it returns, until row returns an error.
	Query(ctx context.Context, query string, args []any, row func(Scanner) error) error
	Close() error
}

// queryAll runs query and scans every row with scan.
func queryAll[T any](ctx context.Context, s *Store, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
