package sqlstore

import (
	"database/sql"
	"fmt"
	"testing"

	_ "modernc.org/sqlite"
)

// The cache keeps the maxStmts statements used last, whatever a caller
// varies in its queries' text, and a statement dropped from it still runs
// for whoever was just given it.
func TestStmtCacheBounded(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var c stmtCache
	defer c.close()
	ctx := t.Context()
	first := c.stmt(ctx, db, "SELECT 0")
	if first == nil {
		t.Fatal("no statement")
	}
	for i := 1; i <= 3*maxStmts; i++ {
		if c.stmt(ctx, db, fmt.Sprintf("SELECT %d", i)) == nil {
			t.Fatalf("query %d did not prepare", i)
		}
	}
	if len(c.stmts) != maxStmts || c.order.Len() != maxStmts {
		t.Fatalf("%d statements kept (%d in order), want %d", len(c.stmts), c.order.Len(), maxStmts)
	}
	if _, ok := c.stmts["SELECT 0"]; ok {
		t.Error("the least recently used statement is still kept")
	}
	if _, ok := c.stmts[fmt.Sprintf("SELECT %d", 3*maxStmts)]; !ok {
		t.Error("the last statement is not kept")
	}
	var v int
	if err := first.QueryRowContext(ctx).Scan(&v); err != nil || v != 0 {
		t.Errorf("a dropped statement just handed out: %d, %v", v, err)
	}
	// Asked again, a kept statement is the same one.
	q := fmt.Sprintf("SELECT %d", 3*maxStmts)
	if c.stmt(ctx, db, q) != c.stmts[q].Value.(*cachedStmt).stmt {
		t.Error("a kept statement was prepared again")
	}
	if c.stmts[q] != c.order.Front() {
		t.Error("the statement used last is not first in line")
	}
}
