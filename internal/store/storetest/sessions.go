package storetest

import (
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Sessions: created for a user, found by hash with the user (disabled or
// not), touched, deleted; purged when expired or idle; never for an
// unknown user or a hash that is not SHA-256; not audited.
func testSessions(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUser(t, s, "alice", vocab.RoleAdmin, "alice")
	addUser(t, s, "bob", vocab.RoleMonitor, "alice")
	auditBefore, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}

	now := time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)
	mk := func(token, user string, seen, expires time.Time) store.Session {
		ss := store.Session{Hash: tokenHash(token), User: user, CreatedAt: seen, SeenAt: seen, ExpiresAt: expires}
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatalf("CreateSession(%s): %v", token, err)
		}
		return ss
	}
	bob := mk("bob-1", "bob", now, now.Add(7*24*time.Hour))
	mk("bob-old", "bob", now.Add(-8*24*time.Hour), now.Add(-time.Hour))
	mk("alice-idle", "alice", now.Add(-13*time.Hour), now.Add(24*time.Hour))

	got, u, err := s.SessionByHash(ctx, bob.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if got != bob || u.Name != "bob" || u.Role != vocab.RoleMonitor || u.Disabled {
		t.Errorf("SessionByHash = %+v, %+v; want %+v of bob", got, u, bob)
	}
	_, _, err = s.SessionByHash(ctx, tokenHash("nope"))
	checkErr(t, err, store.ErrNotFound)

	checkErr(t, s.CreateSession(ctx, bob), store.ErrExists)
	checkErr(t, s.CreateSession(ctx, store.Session{Hash: tokenHash("x"), User: "mallory", CreatedAt: now, SeenAt: now, ExpiresAt: now}), store.ErrNotFound)
	checkErr(t, s.CreateSession(ctx, store.Session{Hash: "bob-2", User: "bob", CreatedAt: now, SeenAt: now, ExpiresAt: now}), store.ErrInvalid)

	later := now.Add(time.Hour)
	if err := s.TouchSession(ctx, bob.Hash, later); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.SessionByHash(ctx, bob.Hash); !got.SeenAt.Equal(later) || !got.CreatedAt.Equal(now) {
		t.Errorf("after a touch: %+v; want seen at %v", got, later)
	}
	checkErr(t, s.TouchSession(ctx, tokenHash("nope"), later), store.ErrNotFound)

	// A disabled user's session is still found, with the flag: the caller
	// refuses it.
	if err := s.SetUserDisabled(ctx, "bob", true, "alice", "left"); err != nil {
		t.Fatal(err)
	}
	if _, u, err := s.SessionByHash(ctx, bob.Hash); err != nil || !u.Disabled {
		t.Errorf("a disabled user's session: %+v, %v", u, err)
	}

	n, err := s.PurgeSessions(ctx, now, now.Add(-12*time.Hour))
	if err != nil || n != 2 {
		t.Errorf("PurgeSessions = %d, %v; want the expired and the idle one, 2", n, err)
	}
	for _, tok := range []string{"bob-old", "alice-idle"} {
		_, _, err := s.SessionByHash(ctx, tokenHash(tok))
		checkErr(t, err, store.ErrNotFound)
	}
	if err := s.DeleteSession(ctx, bob.Hash); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionByHash(ctx, bob.Hash)
	checkErr(t, err, store.ErrNotFound)
	if err := s.DeleteSession(ctx, bob.Hash); err != nil {
		t.Errorf("deleting an ended session: %v", err)
	}

	auditAfter, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(auditAfter) != len(auditBefore)+1 { // the disable only
		t.Errorf("audit entries: %d before, %d after; sessions are not audited", len(auditBefore), len(auditAfter))
	}
}
