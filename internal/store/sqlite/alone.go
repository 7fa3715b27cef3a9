package sqlite

import "fmt"

// A first import into an empty database file that no other connection has
// open, by a caller that says nothing else will use the store meanwhile
// (store.ImportMeta.Sole: the command line's ingest), writes the file
// directly: the connection switches the file from the write-ahead log to
// a rollback journal for the batch, and back after it. In WAL mode every
// page of an import is written twice, to the log and then, by the
// checkpoint at the commit, into the file, and synced twice; with a
// rollback journal the pages a batch appends to the file are written once
// (SQLite journals only the pages that were there before, a few here).
// 1M ACLED rows into a new file: 17.5-18.3 s through the log, 12.6 s
// direct.
//
// The journal keeps every guarantee: the batch is one transaction, and a
// process killed in it leaves a hot journal that the next connection to
// open the file rolls back, before truce puts it in WAL mode again. What
// it gives up is that readers see the last commit while the batch runs:
// it holds the file alone, and a reader that opens it meanwhile waits
// (up to the busy timeout) for its commit. So it is taken only when SQLite
// can switch the journal, which it refuses while any other connection, of
// any process, has the file open: a running server keeps every import on
// the log.

// takeAlone switches conn's database to a rollback journal if the batch
// may hold it alone: no event or claim stored yet, and no connection to
// it but conn. The pool's idle connections are closed for the switch.
// It fails only if it cannot put conn back as it was.
func (s *Store) takeAlone(conn *cconn) (bool, error) {
	empty, err := conn.queryText("SELECT NOT EXISTS (SELECT 1 FROM events) AND NOT EXISTS (SELECT 1 FROM claims)")
	if err != nil || empty != "1" {
		return false, nil
	}
	db := s.Store.DB()
	db.SetMaxIdleConns(0) // closes them: they would keep the file open
	defer db.SetMaxIdleConns(maxIdleConns)
	if err := conn.exec("PRAGMA busy_timeout = 0"); err != nil {
		return false, err
	}
	// With another connection open the switch fails at once (SQLITE_BUSY):
	// the batch then goes through the log.
	mode, _ := conn.queryText("PRAGMA journal_mode = DELETE")
	if err := conn.exec(importPragmas[0]); err != nil { // the busy timeout back
		return false, fmt.Errorf("busy timeout: %w", err)
	}
	return mode == "delete", nil
}

// leaveAlone puts the database back in WAL mode after a batch that held it
// alone ended. A reader that opened the file meanwhile can keep it from
// switching until the busy timeout; then the file stays in rollback mode
// until truce next opens it (Open puts it in WAL mode), which costs
// readers their concurrency with writers, not data.
func (t *connTx) leaveAlone() {
	if t.alone && t.conn != nil {
		_ = t.conn.exec("PRAGMA journal_mode = WAL")
		t.alone = false
	}
}
