// Package postgres is truce's PostgreSQL store: a pgx connection pool, used
// through database/sql by the shared SQL core and directly (CopyFrom) by
// paths that need PostgreSQL's own speed.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// lockImport is Dialect.LockImport: a transaction-scoped shared lock on a
// key of truce's own (the migrations use 7723310041).
const lockImport = "SELECT pg_advisory_xact_lock_shared(7723310042)"

// lockSource serialises the imports of one source: two overlapping imports
// of one file would both insert its new keys, and the second would fail
// on a unique constraint. The two-key form is a lock space apart from the
// one-key locks above; 1953853795 is truce's own first key.
const lockSource = "SELECT pg_advisory_xact_lock(1953853795, hashtext(?))"

// Store is a store.Store on a PostgreSQL database.
type Store struct {
	*sqlstore.Store
	pool *pgxpool.Pool
}

// Open connects to dsn (a postgres:// URL or key=value string, as libpq
// takes) and migrates the database.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres database %s: %w", store.RedactDSN(dsn), err)
	}
	return s, nil
}

// OpenReplica connects to dsn, a streaming replica of a truce database
// (or any copy truce may only read), without migrating it.
func OpenReplica(ctx context.Context, dsn string) (*Store, error) {
	s, err := openWith(ctx, dsn, sqlstore.NewReadOnly)
	if err != nil {
		return nil, fmt.Errorf("open postgres replica %s: %w", store.RedactDSN(dsn), err)
	}
	return s, nil
}

// ReplicationLag is how far the database is behind its primary: 0 when it
// is not a replica, or has replayed all it received and receives nothing
// new; else the age of the last transaction it replayed.
func (s *Store) ReplicationLag(ctx context.Context) (time.Duration, error) {
	var secs float64
	err := s.DB().QueryRowContext(ctx, `SELECT CASE
		WHEN NOT pg_is_in_recovery() THEN 0
		WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
	END`).Scan(&secs)
	if err != nil {
		return 0, fmt.Errorf("replication lag: %w", err)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

func open(ctx context.Context, dsn string) (*Store, error) {
	return openWith(ctx, dsn, sqlstore.New)
}

func openWith(ctx context.Context, dsn string, newStore func(context.Context, *sql.DB, sqlstore.Dialect) (*sqlstore.Store, error)) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		pool.Close()
		return nil, err
	}
	s, err := newStore(ctx, stdlib.OpenDBFromPool(pool), sqlstore.Dialect{
		Name:           "postgres",
		NumberedParams: true,
		// On a primary any commit, or a new writer, changes the snapshot.
		// A standby's snapshot leaves out the transactions still running
		// on the primary, so one of them committing could leave its text
		// as it was: there the stamp is the WAL position replayed, which
		// any replayed commit moves.
		ChangeStamp: "SELECT CASE WHEN pg_is_in_recovery() THEN 'replay ' || pg_last_wal_replay_lsn()::text " +
			"ELSE pg_current_snapshot()::text END",
		JSONMember: func(col, key string) string {
			return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(" + col + ") = 'array' THEN " + col +
				" ELSE '[]'::jsonb END) m WHERE m->>'" + key + "' LIKE ? ESCAPE '\\')"
		},
		Migrations: files,
		CreateMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at TIMESTAMPTZ NOT NULL
		)`,
		// Transaction-scoped, so they end with the transaction however it
		// ends. The key is arbitrary but fixed: every truce uses it.
		LockMigrations: "SELECT pg_advisory_xact_lock(7723310041)",
		// EXCLUSIVE keeps out other appenders but not readers.
		LockAudit: "LOCK TABLE audit_log IN EXCLUSIVE MODE",
		// Imports run side by side and take batch ids from a sequence when
		// they start, not when they commit. Each holds this lock shared,
		// so LatestBatch, taking it exclusively, waits for those running.
		LockImport:  lockImport,
		LockBatches: "SELECT pg_advisory_xact_lock(7723310042)",
		SkipLocked:  " FOR UPDATE SKIP LOCKED",
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{Store: s, pool: pool}, nil
}

// Pool is the connection pool under the store, for bulk paths such as
// CopyFrom that database/sql cannot express.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the database handle and then the pool under it.
func (s *Store) Close() error {
	err := s.Store.Close()
	s.pool.Close()
	return err
}
