package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// migration is one NNNN_name.sql file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the *.sql files of fsys, in order, and checks they
// are numbered 1, 2, 3... so "version n" always means the same schema.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	// Glob returns names sorted, and the numbers are zero-padded.
	migrations := make([]migration, 0, len(names))
	for i, name := range names {
		prefix, _, ok := strings.Cut(path.Base(name), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		if v != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d next", name, i+1)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		migrations = append(migrations, migration{version: v, name: name, sql: string(text)})
	}
	if len(migrations) == 0 {
		return nil, fmt.Errorf("no migrations found")
	}
	return migrations, nil
}

// tooNewError refuses a database migrated by a newer truce: its schema may
// mean things this binary would get wrong.
type tooNewError struct{ have, known int }

func (e tooNewError) Error() string {
	return fmt.Sprintf("database is at schema version %d but this truce knows only up to %d: upgrade truce (refusing to migrate)", e.have, e.known)
}

func (e tooNewError) Unwrap() error { return store.ErrSchemaTooNew }

// Migrate applies pending migrations. from is the version the database had
// when New opened it, so after an Open that migrated it reports that work.
func (s *Store) Migrate(ctx context.Context) (from, to int, err error) {
	if _, to, err = s.migrate(ctx); err != nil {
		return s.openedAt, to, err
	}
	return s.openedAt, to, nil
}

// migrate applies pending migrations one transaction each and returns the
// versions before and after.
func (s *Store) migrate(ctx context.Context) (from, to int, err error) {
	from = -1
	for {
		before, applied, err := s.migrateStep(ctx)
		if from < 0 {
			from = before
		}
		if err != nil {
			return from, before, err
		}
		if !applied {
			return from, before, nil
		}
	}
}

// migrateStep applies the one migration after the database's version, if
// any. The version is read inside the locked transaction, so two processes
// opening the same database cannot both apply it.
func (s *Store) migrateStep(ctx context.Context) (before int, applied bool, err error) {
	known := len(s.migrations)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if s.dialect.LockMigrations != "" {
			if _, err := tx.ExecContext(ctx, s.dialect.LockMigrations); err != nil {
				return fmt.Errorf("lock schema_migrations: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.dialect.CreateMigrationsTable); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&before)
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if before > known {
			return tooNewError{have: before, known: known}
		}
		if before == known {
			return nil
		}
		m := s.migrations[before]
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("apply migration %s: %w", m.name, err)
		}
		_, err = tx.ExecContext(ctx, s.rebind("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
			m.version, timeArg(time.Now()))
		if err != nil {
			return fmt.Errorf("record migration %s: %w", m.name, err)
		}
		applied = true
		return nil
	})
	return before, applied, err
}
