package sqlstore

import (
	"context"
	"time"
)

// ImportTx is the one transaction an import batch runs in. The shared
// Importer decides what to write; the backend decides how rows reach the
// database in bulk (multi-row statements, COPY).
//
// Rows are passed as vals holding n rows one after another, each in
// t.Columns order, all of one source and with no key twice.
type ImportTx interface {
	// Exec runs a statement written with ? placeholders and returns the
	// number of rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// QueryRow runs a query written with ? placeholders.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Stored calls fn with the hash and deleted flag of each record of t
	// stored under source and one of ids.
	Stored(ctx context.Context, t *Table, source string, ids []string, fn func(id, hash string, deleted bool)) error
	// Insert writes rows that Stored found no record for.
	Insert(ctx context.Context, t *Table, vals []any, n int) error
	// Upsert merges rows with t.OnConflict and returns how many it
	// inserted and how many it updated.
	Upsert(ctx context.Context, t *Table, vals []any, n int) (inserted, updated int, err error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Row is what QueryRow returns.
type Row interface{ Scan(dest ...any) error }

// ImportOptions tune an Importer to its backend.
type ImportOptions struct {
	// ChunkRows is how many rows the writer takes at a time: one lookup,
	// one bulk insert.
	ChunkRows int
	// BindTime turns a time into the argument the backend's driver takes.
	BindTime func(time.Time) any
	// PackedRaw is what the raw column holds for a record stored packed
	// in raw_packed (rawpack.go): "" where the column cannot be NULL
	// (SQLite), nil where it can.
	PackedRaw any
	// Lock, if set, runs before anything else in the transaction: the
	// dialect's LockImport.
	Lock string
	// SourceLock, if set, runs next with the batch's source as its one
	// argument: it makes two imports of one source wait for each other
	// instead of racing to insert the same keys.
	SourceLock string
	// Exclusive says that no one else can write the tables until the
	// transaction ends (SQLite's write lock).
	Exclusive bool
	// Indexes, if set, is a query that lists the indexes of table ? that
	// a first batch drops, as one row: a JSON array of objects, each with
	// the index's "name", the statement that builds it ("create"), the
	// one that drops it ("drop", "" for DROP INDEX name) and, true for
	// the unique index on the records' keys, "key". The first batch into
	// an empty table drops them and builds them again before it commits:
	// one sort instead of a random insert per row and index. Without its
	// key index the batch keeps the hashes of the keys it wrote, and
	// builds the index again as soon as one comes again. The table was empty, so the build
	// costs no more than the batch, and the rollback of a failed batch
	// brings the indexes back with the empty table. Without Exclusive the
	// DROP must lock the table against everyone until the commit
	// (PostgreSQL): readers of the empty table then wait for the first
	// batch instead of seeing nothing. The batch index stays: the batch
	// appends to it in order, which costs less than the table scan of a
	// build (1M ACLED rows, one run each: 43.6 s against 47.9 s).
	Indexes string
	// RebuildSetup, if set, runs before the dropped indexes are built
	// again (PostgreSQL gives the sorts more memory).
	RebuildSetup string
	// PrepareLock, if set, runs before a batch looks at whether a table
	// is empty, and holds until its end: without Exclusive, two first
	// batches could both find a table empty, both read it, and then each
	// wait for the other to let its DROP INDEX in (a deadlock PostgreSQL
	// breaks by failing one). With it the second waits for the first to
	// commit, and then finds the table filled.
	PrepareLock string
}

// ownsSource says whether no one else can write records of the batch's
// source until the transaction ends: SQLite's write lock keeps out every
// writer, PostgreSQL's source lock every import of the source, and only
// imports write records. A table with no record of the source when the
// batch begins can then only hold keys of the source that this batch
// wrote, so the writer looks up only keys it may have written before.
func (o ImportOptions) ownsSource() bool { return o.Exclusive || o.SourceLock != "" }
