package sqlstore

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
	"time"
)

// maxStmts bounds the prepared statements a store keeps. Queries are built
// from a fixed set of shapes (a filter adds a condition or not), so a few
// dozen cover a server's steady reads; a query whose text varies with its
// input (a list's length) takes a slot until newer ones push it out. Each
// is prepared on each connection it runs on, so the bound is also one on
// memory.
const maxStmts = 64

// stmtGrace is how long a dropped statement stays open.
const stmtGrace = time.Minute

// stmtCache keeps the read queries' prepared statements, by their text,
// the least recently used dropped first, so that a query asked again (a
// page of a list, the caller's user) is not parsed again: SQLite parses
// every statement database/sql hands it, and on a busy server that parse
// was a tenth of each request. A *sql.Stmt prepares itself on each
// connection it runs on, once.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*list.Element // of *cachedStmt
	order list.List                // most recently used first
}

type cachedStmt struct {
	query string
	stmt  *sql.Stmt
}

// stmt returns query's prepared statement, preparing it the first time;
// nil when it does not prepare (the caller then runs the query itself,
// and gets its error from there).
func (c *stmtCache) stmt(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	if e, ok := c.stmts[query]; ok {
		c.order.MoveToFront(e)
		st := e.Value.(*cachedStmt).stmt
		c.mu.Unlock()
		return st
	}
	c.mu.Unlock()
	// Prepared outside the lock, on the caller's context: a prepare that
	// waits for a connection holds up no other query.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.stmts[query]; ok { // prepared meanwhile by another caller
		st.Close() // never handed out
		return e.Value.(*cachedStmt).stmt
	}
	if c.stmts == nil {
		c.stmts = map[string]*list.Element{}
	}
	c.stmts[query] = c.order.PushFront(&cachedStmt{query, st})
	for c.order.Len() > maxStmts {
		old := c.order.Remove(c.order.Back()).(*cachedStmt)
		delete(c.stmts, old.query)
		// Closed a while later, not now: a caller may have just been given
		// it and not yet run it (Close then waits for running queries).
		time.AfterFunc(stmtGrace, func() { old.stmt.Close() })
	}
	return st
}

// close closes the statements kept.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.order.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.stmts = nil
	c.order.Init()
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
