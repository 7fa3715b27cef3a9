package storetest

import (
	"context"
	"testing"
)

// stamped is a store that tells whether anything was committed between
// two reads (sqlstore's ChangeStamp): what a cache of answers keys on.
type stamped interface {
	ChangeStamp(ctx context.Context) (string, error)
}

// testChangeStamp: the stamp stays while nothing is written, and changes
// once anything is committed, through the store itself or by another
// opener of the database (another server), or past truce altogether.
func testChangeStamp(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	st, ok := s.(stamped)
	if !ok {
		t.Fatalf("%T has no ChangeStamp", s)
	}
	stamp := func(what string) string {
		t.Helper()
		v, err := st.ChangeStamp(ctx)
		if err != nil || v == "" {
			t.Fatalf("%s: stamp %q, %v", what, v, err)
		}
		return v
	}
	first := stamp("first")
	if _, err := s.ListAgreements(ctx); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL's snapshot is the whole cluster's: a commit in another
	// database (the other tests') changes it too, which costs a cache miss,
	// never a stale answer. Only SQLite's stamp is the database's own.
	if again := stamp("after a read"); again != first && b.Name == "sqlite" {
		t.Fatalf("a read changed the stamp: %q, then %q", first, again)
	}
	addUsers(t, s, "ada:monitor")
	afterOwn := stamp("after a write through the store")
	if afterOwn == first {
		t.Fatalf("a write through the store left the stamp at %q", first)
	}
	other := reopen(t, b, dsn)
	addUsers(t, other, "bea:analyst")
	afterOther := stamp("after another opener's write")
	if afterOther == afterOwn {
		t.Fatalf("another opener's write left the stamp at %q", afterOwn)
	}
	if err := b.Exec(ctx, dsn, "UPDATE users SET role = 'viewer' WHERE name = 'bea'"); err != nil {
		t.Fatal(err)
	}
	if past := stamp("after a write past truce"); past == afterOther {
		t.Fatalf("a write past truce left the stamp at %q", afterOther)
	}
}
