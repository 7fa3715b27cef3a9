// Package sqlite is truce's single-file store: modernc.org/sqlite (pure Go,
// so the binary still builds with CGO_ENABLED=0) under the shared SQL core.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/store/sqlstore"

	sqlite "modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a store.Store on a SQLite database.
type Store struct {
	*sqlstore.Store
	name   string // the file as the driver was given it
	memory bool   // a private in-memory database: one connection only
}

// busyTimeout is how long a statement waits for another connection's lock.
const busyTimeout = 5 * time.Second

// mmapSize is how much of the file reads map: SQLite's ceiling, just under
// 2 GiB (an import's connection maps none while it writes, and this again
// after).
const mmapSize = "2147418112"

// connParams are applied by the driver to every new connection. busy_timeout
// comes first (the driver sees to that) so the others wait for locks instead
// of failing. _txlock=immediate takes the write lock at BEGIN: a deferred
// transaction that reads and then writes fails at once with SQLITE_BUSY when
// another wrote in between, which the busy timeout cannot help. The journal
// mode is kept in the file, so setWAL sets it once.
//
// page_size only acts on a new, empty database (the driver runs the pragmas
// before setWAL). 64 KB pages, SQLite's largest, hold some sixty 1 KB
// events each and cut the system calls of a bulk import (each page is
// written to the log, then read back and written to the file), which on a
// virtual machine are a large part of its cost: 1M ACLED rows into a new
// file took 18.0 s against 20.2 s with 16 KB pages, the re-import 6.7 s
// against 7.0 s, evaluate's scan 4.2 s against 4.45 s. A database keeps
// the page size it was made with. journal_size_limit shrinks the write-ahead log back after
// the checkpoint that follows a large import, which grew it to the size of
// the import. mmap_size lets reads map the file instead of copying each
// page into every connection's cache: a server's many connections share
// the operating system's page cache. Its size is SQLite's ceiling (just
// under 2 GiB): a store of a million events is near that, and the pages
// past the mapping are copied with a read and an allocation each.
const connParams = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_size_limit(67108864)" +
	"&_pragma=page_size(65536)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_pragma=mmap_size(" + mmapSize + ")" +
	"&_pragma=foreign_keys(1)" +
	"&_txlock=immediate"

// maxIdleConns is how many connections the pool keeps open between
// statements.
const maxIdleConns = 32

// Open opens or creates the database at path and migrates it. path is a
// file path ("truce.db"), the same with a "sqlite:" prefix, a SQLite URI
// ("file:truce.db?mode=rw") or ":memory:" for a private in-memory database.
func Open(ctx context.Context, path string) (*Store, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	return s, nil
}

// driverName is the name path gives the driver: without a "sqlite:"
// prefix.
func driverName(path string) string {
	if rest, ok := strings.CutPrefix(path, "sqlite:"); ok {
		return strings.TrimPrefix(rest, "//") // sqlite://x.db, sqlite:///abs/x.db
	}
	return path
}

// FilePath is the file that path, as Open takes it, names: "" for an
// in-memory database.
func FilePath(path string) string {
	name := driverName(path)
	if rest, ok := strings.CutPrefix(name, "file:"); ok {
		rest, query, _ := strings.Cut(rest, "?")
		if strings.Contains(query, "mode=memory") {
			return ""
		}
		name = strings.TrimPrefix(rest, "//")
	}
	if name == ":memory:" {
		return ""
	}
	return name
}

func open(ctx context.Context, path string) (*Store, error) {
	name := driverName(path)
	if name == "" {
		return nil, errors.New("no file name given")
	}
	sep := "?"
	if strings.HasPrefix(name, "file:") && strings.Contains(name, "?") {
		sep = "&"
	}
	db, err := sql.Open("sqlite", name+sep+connParams)
	if err != nil {
		return nil, err
	}
	memory := name == ":memory:"
	if memory {
		// Every connection to ":memory:" is a new, empty database.
		db.SetMaxOpenConns(1)
	} else {
		// database/sql keeps 2 idle connections by default: under a
		// server's concurrent reads every other connection would be
		// closed after one statement and a cold one opened (its page
		// cache empty) for the next.
		db.SetMaxIdleConns(maxIdleConns)
	}
	if err := setWAL(ctx, db, memory); err != nil {
		db.Close()
		return nil, err
	}
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		db.Close()
		return nil, err
	}
	// Another connection's commit changes data_version. An in-memory
	// database may have one connection only: no stamp, nothing cached.
	stampQuery := "PRAGMA data_version"
	wholeReader := func(context.Context) (sqlstore.RowReader, error) { return openReader(name) }
	if FilePath(path) == "" {
		stampQuery, wholeReader = "", nil
	}
	s, err := sqlstore.New(ctx, db, sqlstore.Dialect{
		Name: "sqlite",
		JSONMember: func(col, key string) string {
			return "EXISTS (SELECT 1 FROM json_each(" + col + ") WHERE json_extract(value, '$." + key + "') LIKE ? ESCAPE '\\')"
		},
		Migrations: files,
		CreateMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at TEXT NOT NULL
		) STRICT`,
		// An in-memory database imports through database/sql (a file
		// through BeginImport, import.go), in one write transaction that
		// holds the write lock throughout (BEGIN IMMEDIATE, see
		// connParams): so new rows go in with a plain INSERT, as there.
		InsertNew:     "INSERT OR ROLLBACK",
		ImportIndexes: importIndexes,
		IndexedBy:     true,
		// modernc's driver parses each statement it is given; prepared
		// once, the reads of a busy server skip that.
		CacheStatements: true,
		ChangeStamp:     stampQuery,
		StampOwnConn:    true,
		// Not for an in-memory database: a connection of its own would
		// be another, empty database.
		WholeReader: wholeReader,
	})
	if err != nil {
		return nil, err
	}
	return &Store{Store: s, name: name, memory: FilePath(path) == ""}, nil
}

// setWAL puts the database in WAL mode, so readers do not wait for writers.
// Only a new database has anything to switch, and when two connections
// switch it at once SQLite fails one with SQLITE_BUSY without waiting for
// the busy timeout: so retry until it would have passed.
func setWAL(ctx context.Context, db *sql.DB, memory bool) error {
	deadline := time.Now().Add(busyTimeout)
	for {
		var mode string
		err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode)
		var serr *sqlite.Error
		if errors.As(err, &serr) && serr.Code()&0xff == sqlite3.SQLITE_BUSY && time.Now().Before(deadline) {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
			continue
		}
		switch {
		case errors.As(err, &serr) && serr.Code()&0xff == sqlite3.SQLITE_BUSY:
			// A new file that another connection holds locked for this
			// long: most likely a first import holding it alone.
			return fmt.Errorf("another process has held the file locked for %s: a first import into a new file (truce ingest) holds it alone until it ends; try again then: %w", busyTimeout, err)
		case err != nil:
			return fmt.Errorf("set WAL mode: %w", err)
		case !memory && !strings.EqualFold(mode, "wal"):
			// An in-memory database has no WAL; any other refusal matters.
			return fmt.Errorf("journal mode is %q, not WAL", mode)
		}
		return nil
	}
}
