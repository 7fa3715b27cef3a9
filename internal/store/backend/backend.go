// Package backend opens the store a DSN names. It is apart from package
// store because it imports both backends, which import store.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/postgres"
	"github.com/truce-monitor/truce/internal/store/sqlite"
)

// Open opens and migrates the database dsn names: PostgreSQL for a
// postgres:// or postgresql:// URL, SQLite for anything else ("truce.db",
// "sqlite:truce.db", "file:truce.db?mode=rw"). PostgreSQL's key=value form
// would read as a file name here: use a URL. Errors name the DSN with any
// password redacted.
func Open(ctx context.Context, dsn string) (store.Store, error) {
	kind, err := Kind(dsn)
	if err != nil {
		return nil, err
	}
	// Each Open names the DSN in its errors. The nil checks keep a nil
	// *Store from becoming a non-nil store.Store.
	if kind == "postgres" {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OpenReplica opens a database truce may only read, to answer reads from:
// a PostgreSQL streaming replica of the database Open opens. It migrates
// nothing and refuses a schema other than this truce's.
func OpenReplica(ctx context.Context, dsn string) (store.Store, error) {
	kind, err := Kind(dsn)
	if err != nil {
		return nil, err
	}
	if kind != "postgres" {
		return nil, fmt.Errorf("a read replica is a PostgreSQL streaming replica (a postgres:// URL), not %s", store.RedactDSN(dsn))
	}
	s, err := postgres.OpenReplica(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ErrNoDatabase means a SQLite file that a command would only read does
// not exist.
var ErrNoDatabase = errors.New("no database")

// OpenExisting is Open for commands that only read or change what is
// stored: a SQLite file that does not exist is ErrNoDatabase, never created
// (a typo in --db would otherwise give an empty database and an empty
// answer). A PostgreSQL database is never created by truce anyway.
func OpenExisting(ctx context.Context, dsn string) (store.Store, error) {
	kind, err := Kind(dsn)
	if err != nil {
		return nil, err
	}
	if path := sqlite.FilePath(dsn); kind == "sqlite" && path != "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s: create one with 'truce migrate --db %s', or import into it ('truce agreement import', 'truce ingest')",
				ErrNoDatabase, path, path)
		}
	}
	return Open(ctx, dsn)
}

// Kind is the backend dsn names, "postgres" or "sqlite", without opening it.
func Kind(dsn string) (string, error) {
	if dsn == "" {
		return "", errors.New("no database given: pass a SQLite file path or a postgres:// URL")
	}
	scheme, _, ok := strings.Cut(dsn, "://")
	if !ok || !isScheme(scheme) {
		return "sqlite", nil // a path, "sqlite:path" or "file:path"
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return "postgres", nil
	case "sqlite", "file":
		return "sqlite", nil
	}
	// Better than creating a SQLite file named "mysql://...".
	return "", fmt.Errorf("open database %s: unknown scheme %q: use a SQLite file path or a postgres:// URL",
		store.RedactDSN(dsn), scheme)
}

// isScheme reports whether s can be a URL scheme (RFC 3986 section 3.1),
// so that a path such as "./a://b" stays a path.
func isScheme(s string) bool {
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}
