package sqlite

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	lib "modernc.org/sqlite/lib"
)

// cconn is a connection of the store's own, for an import's writes and a
// whole-table scan's reads, opened through SQLite's C API as modernc
// translates it to Go. It binds a statement's values without a C
// allocation each: zombiezen, used before, copied every string into memory
// of its own, byte by byte, for SQLite to free, and cleared every binding
// after each execution, which for a million rows of thirty values was a
// quarter of the import's writer (binding 1.6 s, freeing 0.8 s, clearing
// 0.5 s). Here the values of one execution are copied into one buffer,
// which the connection keeps, and bound in place (SQLITE_STATIC): every
// execution binds every parameter again, so no binding outlives the
// buffer's contents.
//
// A cconn is used by one goroutine at a time.
type cconn struct {
	tls   *libc.TLS
	db    uintptr
	stmts map[string]*cstmt // prepared once, finalized at close
	buf   uintptr           // the values bound for the execution under way
	cap   int
}

// A cstmt is a statement prepared on a cconn.
type cstmt struct {
	c      *cconn
	p      uintptr
	params int
}

// The open flags of an import's connection and of a reader's.
const (
	openReadWrite = lib.SQLITE_OPEN_READWRITE | lib.SQLITE_OPEN_URI
	openReadOnly  = lib.SQLITE_OPEN_READONLY | lib.SQLITE_OPEN_URI
)

// SQLite's result codes that the connection tells apart.
const (
	sqliteOK   = 0
	sqliteRow  = 100
	sqliteDone = 101
)

// cptr is the pointer to C memory that p holds. modernc's C memory is
// outside the Go heap, so that the garbage collector neither moves nor
// frees it: it can be held as a uintptr.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// openCConn opens the database file at name (a path or a "file:" URI) with
// SQLite's open flags and runs pragmas on it.
func openCConn(name string, flags int32, pragmas []string) (_ *cconn, err error) {
	tls := libc.NewTLS()
	lib.Xsqlite3_initialize(tls)
	cname, err := libc.CString(name)
	if err != nil {
		tls.Close()
		return nil, err
	}
	defer libc.Xfree(tls, cname)
	pdb := libc.Xmalloc(tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if pdb == 0 {
		tls.Close()
		return nil, errors.New("open: out of memory")
	}
	defer libc.Xfree(tls, pdb)
	*(*uintptr)(cptr(pdb)) = 0
	rc := lib.Xsqlite3_open_v2(tls, cname, pdb, flags|lib.SQLITE_OPEN_NOMUTEX, 0)
	c := &cconn{tls: tls, db: *(*uintptr)(cptr(pdb)), stmts: map[string]*cstmt{}}
	if rc != sqliteOK {
		if c.db == 0 {
			tls.Close()
			return nil, fmt.Errorf("open: %s", libc.GoString(lib.Xsqlite3_errstr(tls, rc)))
		}
		err := c.err(rc)
		c.close()
		return nil, fmt.Errorf("open: %w", err)
	}
	lib.Xsqlite3_extended_result_codes(tls, c.db, 1)
	for _, q := range pragmas {
		if err := c.exec(q); err != nil {
			c.close()
			return nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	return c, nil
}

// err is the connection's last error, for result code rc.
func (c *cconn) err(rc int32) error {
	msg := libc.GoString(lib.Xsqlite3_errmsg(c.tls, c.db))
	return fmt.Errorf("sqlite: %s (%d)", msg, lib.Xsqlite3_extended_errcode(c.tls, c.db))
}

// exec runs a statement that is not kept prepared.
func (c *cconn) exec(query string) error {
	st, err := c.prepareOnce(query)
	if err != nil {
		return err
	}
	defer lib.Xsqlite3_finalize(c.tls, st.p)
	for {
		more, err := st.Step()
		if err != nil || !more {
			return err
		}
	}
}

// queryText runs a statement that is not kept prepared and returns the
// first column of its first row as text ("" if it has no row).
func (c *cconn) queryText(query string) (string, error) {
	st, err := c.prepareOnce(query)
	if err != nil {
		return "", err
	}
	defer lib.Xsqlite3_finalize(c.tls, st.p)
	row, err := st.Step()
	if err != nil || !row {
		return "", err
	}
	return st.ColumnText(0), nil
}

// prepare returns query prepared, kept until the connection closes.
func (c *cconn) prepare(query string) (*cstmt, error) {
	if st := c.stmts[query]; st != nil {
		return st, nil
	}
	st, err := c.prepareOnce(query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *cconn) prepareOnce(query string) (*cstmt, error) {
	if c.db == 0 {
		return nil, errors.New("import connection closed")
	}
	q, err := libc.CString(query)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, q)
	pst := libc.Xmalloc(c.tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if pst == 0 {
		return nil, errors.New("prepare: out of memory")
	}
	defer libc.Xfree(c.tls, pst)
	*(*uintptr)(cptr(pst)) = 0
	if rc := lib.Xsqlite3_prepare_v3(c.tls, c.db, q, -1, 0, pst, 0); rc != sqliteOK {
		return nil, c.err(rc)
	}
	p := *(*uintptr)(cptr(pst))
	if p == 0 {
		return nil, fmt.Errorf("prepare: no statement in %q", query)
	}
	return &cstmt{c: c, p: p, params: int(lib.Xsqlite3_bind_parameter_count(c.tls, p))}, nil
}

// bind binds args, of the types the store's statements pass, to the
// statement's parameters: strings and byte slices copied, all together,
// into the connection's buffer.
func (s *cstmt) bind(args []any) error {
	if s.params != len(args) {
		return fmt.Errorf("query takes %d arguments, not %d", s.params, len(args))
	}
	c := s.c
	size := 1 // an empty value still needs an address: NULL would bind NULL
	for _, a := range args {
		switch v := a.(type) {
		case string:
			size += len(v)
		case *string:
			size += len(*v)
		case []byte:
			size += len(v)
		}
	}
	if size > c.cap {
		if err := c.grow(size); err != nil {
			return err
		}
	}
	mem := unsafe.Slice((*byte)(cptr(c.buf)), c.cap)
	off := 0
	for i, a := range args {
		p := int32(i + 1)
		var rc int32
		switch v := a.(type) {
		case nil:
			rc = lib.Xsqlite3_bind_null(c.tls, s.p, p)
		case string:
			rc, off = s.bindText(p, v, mem, off)
		case *string: // sqlstore's rows box their strings' addresses
			rc, off = s.bindText(p, *v, mem, off)
		case []byte: // empty or nil, an empty BLOB, never NULL
			n := copy(mem[off:], v)
			rc = lib.Xsqlite3_bind_blob(c.tls, s.p, p, c.buf+uintptr(off), int32(n), 0)
			off += n
		case int64:
			rc = lib.Xsqlite3_bind_int64(c.tls, s.p, p, v)
		case int:
			rc = lib.Xsqlite3_bind_int64(c.tls, s.p, p, int64(v))
		case bool:
			b := int64(0)
			if v {
				b = 1
			}
			rc = lib.Xsqlite3_bind_int64(c.tls, s.p, p, b)
		case float64:
			rc = lib.Xsqlite3_bind_double(c.tls, s.p, p, v)
		default:
			return fmt.Errorf("argument %d: cannot bind a %T", p, a)
		}
		if rc != sqliteOK {
			return fmt.Errorf("argument %d: %w", p, c.err(rc))
		}
	}
	return nil
}

// bindText copies v into the connection's buffer at off and binds it there
// to parameter p; it returns SQLite's result and where the next value goes.
func (s *cstmt) bindText(p int32, v string, mem []byte, off int) (int32, int) {
	n := copy(mem[off:], v)
	return lib.Xsqlite3_bind_text(s.c.tls, s.p, p, s.c.buf+uintptr(off), int32(n), 0), off + n
}

// grow makes the value buffer at least size bytes. Nothing is bound into
// it at this point (bind grows it before binding anything).
func (c *cconn) grow(size int) error {
	size = max(size, 2*c.cap, 64<<10)
	p := libc.Xmalloc(c.tls, types.Size_t(size))
	if p == 0 {
		return fmt.Errorf("bind: out of memory for %d bytes of values", size)
	}
	if c.buf != 0 {
		libc.Xfree(c.tls, c.buf)
	}
	c.buf, c.cap = p, size
	return nil
}

// Step runs the statement to its next row; false at its end.
func (s *cstmt) Step() (bool, error) {
	switch rc := lib.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqliteRow:
		return true, nil
	case sqliteDone:
		return false, nil
	default:
		return false, s.c.err(rc)
	}
}

// Reset readies the statement to run again; its bindings stay.
func (s *cstmt) Reset() error {
	if rc := lib.Xsqlite3_reset(s.c.tls, s.p); rc != sqliteOK {
		return s.c.err(rc)
	}
	return nil
}

// The columns of the current row (see stmtScanner).
func (s *cstmt) ColumnCount() int { return int(lib.Xsqlite3_column_count(s.c.tls, s.p)) }
func (s *cstmt) ColumnType(i int) int32 {
	return lib.Xsqlite3_column_type(s.c.tls, s.p, int32(i))
}
func (s *cstmt) ColumnName(i int) string {
	return libc.GoString(lib.Xsqlite3_column_name(s.c.tls, s.p, int32(i)))
}
func (s *cstmt) ColumnInt64(i int) int64 { return lib.Xsqlite3_column_int64(s.c.tls, s.p, int32(i)) }
func (s *cstmt) ColumnFloat(i int) float64 {
	return lib.Xsqlite3_column_double(s.c.tls, s.p, int32(i))
}
func (s *cstmt) ColumnText(i int) string {
	p := lib.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	n := lib.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	if p == 0 || n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(cptr(p)), n))
}
func (s *cstmt) ColumnLen(i int) int { return int(lib.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))) }
func (s *cstmt) ColumnBytes(i int, buf []byte) int {
	p := lib.Xsqlite3_column_blob(s.c.tls, s.p, int32(i))
	n := lib.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	if p == 0 || n == 0 {
		return 0
	}
	return copy(buf, unsafe.Slice((*byte)(cptr(p)), n))
}

// changes is how many rows the last statement changed.
func (c *cconn) changes() int64 { return lib.Xsqlite3_changes64(c.tls, c.db) }

// autocommit reports whether no transaction is open.
func (c *cconn) autocommit() bool { return lib.Xsqlite3_get_autocommit(c.tls, c.db) != 0 }

// interrupt makes ctx's end interrupt the statements run until the
// returned function is called, which waits for the watcher to end.
// sqlite3_interrupt may be called from another thread; the watcher has a
// TLS of its own.
func (c *cconn) interrupt(ctx context.Context) func() {
	if ctx.Done() == nil {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	db := c.db
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
			tls := libc.NewTLS()
			lib.Xsqlite3_interrupt(tls, db)
			tls.Close()
		case <-stop:
		}
	}()
	return func() { close(stop); <-done }
}

// close finalizes the statements and closes the connection, which rolls
// back an open transaction.
func (c *cconn) close() {
	if c.db == 0 {
		return
	}
	for _, st := range c.stmts {
		lib.Xsqlite3_finalize(c.tls, st.p)
	}
	c.stmts = nil
	lib.Xsqlite3_close_v2(c.tls, c.db)
	c.db = 0
	if c.buf != 0 {
		libc.Xfree(c.tls, c.buf)
		c.buf, c.cap = 0, 0
	}
	c.tls.Close()
}
