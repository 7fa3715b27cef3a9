package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxStmts bounds the prepared statements a store keeps. Queries are built
// from a fixed set of shapes (a filter adds a condition or not), so a few
// hundred cover them; past the bound a query is parsed each time, as
// without a cache.
const maxStmts = 256

// stmtCache keeps the read queries' prepared statements, by their text, so
// that a query asked again (a page of a list, the caller's user) is not
// parsed again: SQLite parses every statement database/sql hands it, and
// on a busy server that parse was a tenth of each request. A *sql.Stmt
// prepares itself on each connection it runs on, once.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmt returns query's prepared statement, preparing it the first time;
// nil when the cache is full or the query does not prepare (the caller
// then runs the query itself, and gets its error from there).
func (c *stmtCache) stmt(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxStmts {
		return nil
	}
	// Prepared with no deadline of the caller's: the statement outlives
	// the request that first asked for it.
	st, err := db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}

// close closes the statements kept.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// query runs a read query (? placeholders), prepared once where the
// dialect caches statements.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = s.rebind(query)
	if s.dialect.CacheStatements {
		if st := s.stmts.stmt(ctx, s.db, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return s.db.QueryContext(ctx, query, args...)
}

// queryRow is query for one row.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query = s.rebind(query)
	if s.dialect.CacheStatements {
		if st := s.stmts.stmt(ctx, s.db, query); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return s.db.QueryRowContext(ctx, query, args...)
}
