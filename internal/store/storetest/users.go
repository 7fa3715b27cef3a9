package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// A PHC string as internal/auth makes them; the store only keeps it.
const testPasswordHash = "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU"

// tokenHash is what the store keeps of a made-up token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func testUsers(t *testing.T, b Backend) {
	t.Run("AddGetList", func(t *testing.T) { testAddUsers(t, b) })
	t.Run("AddRefuses", func(t *testing.T) { testAddUserRefuses(t, b) })
	t.Run("FirstUser", func(t *testing.T) { testFirstUser(t, b) })
	t.Run("DisableEnable", func(t *testing.T) { testDisableUser(t, b) })
	t.Run("Password", func(t *testing.T) { testUserPassword(t, b) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, b) })
	t.Run("Audited", func(t *testing.T) { testUsersAudited(t, b) })
}

func addUser(t *testing.T, s store.Store, name string, role vocab.Role, by string) auth.User {
	t.Helper()
	u, err := s.AddUser(t.Context(), auth.User{Name: name, Role: role}, by)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testAddUsers(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on a new store = %d, %v; want 0", n, err)
	}
	before := time.Now()
	added, err := s.AddUser(ctx, auth.User{Name: "alice", Role: vocab.RoleAdmin, PasswordHash: testPasswordHash}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	addUser(t, s, "carol", vocab.RoleViewer, "alice")
	addUser(t, s, "bob", vocab.RoleMonitor, "alice")
	addUser(t, s, "dan.o-k@ngo", vocab.RoleAnalyst, "alice")

	got, err := s.GetUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, added) {
		t.Errorf("GetUser = %+v, AddUser returned %+v", got, added)
	}
	if got.Role != vocab.RoleAdmin || got.PasswordHash != testPasswordHash || got.Disabled {
		t.Errorf("stored %+v", got)
	}
	if got.CreatedAt.Before(before.Add(-time.Second)) || got.CreatedAt.After(time.Now().Add(time.Second)) || !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Errorf("created %v, updated %v; want both about now", got.CreatedAt, got.UpdatedAt)
	}
	_, err = s.GetUser(ctx, "mallory")
	checkErr(t, err, store.ErrNotFound)

	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name+":"+string(u.Role))
	}
	want := []string{"alice:admin", "bob:monitor", "carol:viewer", "dan.o-k@ngo:analyst"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("ListUsers = %v, want %v (by name)", names, want)
	}
	if n, err := s.CountUsers(ctx); err != nil || n != 4 {
		t.Errorf("CountUsers = %d, %v; want 4", n, err)
	}
}

func testAddUserRefuses(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUser(t, s, "alice", vocab.RoleAdmin, "alice")
	tests := []struct {
		name string
		u    auth.User
		want error
	}{
		{"name taken", auth.User{Name: "alice", Role: vocab.RoleViewer}, store.ErrExists},
		{"unknown role", auth.User{Name: "bob", Role: "root"}, store.ErrInvalid},
		{"no role", auth.User{Name: "bob"}, store.ErrInvalid},
		{"no name", auth.User{Role: vocab.RoleViewer}, store.ErrInvalid},
		{"space in name", auth.User{Name: "bob smith", Role: vocab.RoleViewer}, store.ErrInvalid},
		{"slash in name", auth.User{Name: "bob/x", Role: vocab.RoleViewer}, store.ErrInvalid},
		{"name starts with a dot", auth.User{Name: ".bob", Role: vocab.RoleViewer}, store.ErrInvalid},
		{"name too long", auth.User{Name: strings.Repeat("b", 65), Role: vocab.RoleViewer}, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddUser(ctx, tt.u, "alice")
			checkErr(t, err, tt.want)
		})
	}
	// Nothing refused was stored, nor audited.
	if n, err := s.CountUsers(ctx); err != nil || n != 1 {
		t.Errorf("CountUsers = %d, %v; want 1", n, err)
	}
	got, err := s.GetUser(ctx, "alice")
	if err != nil || got.Role != vocab.RoleAdmin {
		t.Errorf("alice after a duplicate add: %+v, %v", got, err)
	}
	if entries := auditActions(t, s); !reflect.DeepEqual(entries, []string{"alice user.add user/alice"}) {
		t.Errorf("audit log %v, want only the one add", entries)
	}
}

func testDisableUser(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUser(t, s, "alice", vocab.RoleAdmin, "alice")
	bob := addUser(t, s, "bob", vocab.RoleAnalyst, "alice")
	hash := tokenHash("bob's token")
	if _, err := s.AddToken(ctx, auth.APIToken{User: "bob", Hash: hash}, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, "bob", true, "alice", "left the project"); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUser(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Disabled || got.UpdatedAt.Before(bob.UpdatedAt) {
		t.Errorf("after disable: %+v", got)
	}
	// The token still names its user; the caller refuses a disabled one.
	byToken, err := s.UserByToken(ctx, hash)
	if err != nil || byToken.Name != "bob" || !byToken.Disabled {
		t.Errorf("UserByToken of a disabled user = %+v, %v; want bob, disabled", byToken, err)
	}
	if users, err := s.ListUsers(ctx); err != nil || len(users) != 2 {
		t.Errorf("ListUsers after disable = %d users, %v; want 2 (disabled ones listed)", len(users), err)
	}
	if err := s.SetUserDisabled(ctx, "bob", false, "alice", ""); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetUser(ctx, "bob"); err != nil || got.Disabled {
		t.Errorf("after enable: %+v, %v", got, err)
	}
	checkErr(t, s.SetUserDisabled(ctx, "mallory", true, "alice", "x"), store.ErrNotFound)
}

func testUserPassword(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUser(t, s, "alice", vocab.RoleAdmin, "alice")
	if err := s.SetUserPassword(ctx, "alice", testPasswordHash, "alice"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetUser(ctx, "alice"); err != nil || got.PasswordHash != testPasswordHash {
		t.Errorf("password hash %q, %v; want %q", got.PasswordHash, err, testPasswordHash)
	}
	checkErr(t, s.SetUserPassword(ctx, "mallory", testPasswordHash, "alice"), store.ErrNotFound)
}

func testTokens(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUser(t, s, "alice", vocab.RoleAdmin, "alice")
	addUser(t, s, "bob", vocab.RoleMonitor, "alice")
	first, err := s.AddToken(ctx, auth.APIToken{User: "bob", Label: "laptop", Hash: tokenHash("one")}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.AddToken(ctx, auth.APIToken{User: "bob", Label: "ci", Hash: tokenHash("two")}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == 0 || second.ID == first.ID || first.Label != "laptop" || first.CreatedAt.IsZero() {
		t.Errorf("tokens %+v, %+v", first, second)
	}
	tests := []struct {
		name string
		t    auth.APIToken
		want error
	}{
		{"unknown user", auth.APIToken{User: "mallory", Hash: tokenHash("three")}, store.ErrNotFound},
		{"hash taken", auth.APIToken{User: "alice", Hash: tokenHash("one")}, store.ErrExists},
		{"not a hash", auth.APIToken{User: "alice", Hash: "truce_plaintext"}, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.AddToken(ctx, tt.t, "alice")
			checkErr(t, err, tt.want)
		})
	}

	for _, token := range []string{"one", "two"} {
		u, err := s.UserByToken(ctx, tokenHash(token))
		if err != nil || u.Name != "bob" || u.Role != vocab.RoleMonitor {
			t.Errorf("UserByToken(%s) = %+v, %v; want bob", token, u, err)
		}
	}
	_, err = s.UserByToken(ctx, tokenHash("unknown"))
	checkErr(t, err, store.ErrNotFound)
	// A token is looked up by its hash only, never by the token itself.
	_, err = s.UserByToken(ctx, "one")
	checkErr(t, err, store.ErrNotFound)

	// Revoked: at once, and only that token; listed still, and audited.
	checkErr(t, s.RevokeToken(ctx, "alice", first.ID, "alice"), store.ErrNotFound) // not alice's
	checkErr(t, s.RevokeToken(ctx, "bob", first.ID+100, "alice"), store.ErrNotFound)
	before := time.Now().Add(-time.Second)
	if err := s.RevokeToken(ctx, "bob", first.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, "bob", first.ID, "alice"); err != nil {
		t.Errorf("revoking again: %v, want nothing done", err)
	}
	_, err = s.UserByToken(ctx, tokenHash("one"))
	checkErr(t, err, store.ErrNotFound)
	if u, err := s.UserByToken(ctx, tokenHash("two")); err != nil || u.Name != "bob" {
		t.Errorf("the other token after a revocation: %+v, %v", u, err)
	}
	tokens, err := s.ListTokens(ctx, "bob")
	if err != nil || len(tokens) != 2 || tokens[0].ID != first.ID || tokens[0].RevokedAt.Before(before) || !tokens[1].RevokedAt.IsZero() ||
		tokens[0].Label != "laptop" || tokens[0].Hash != "" {
		t.Errorf("ListTokens(bob) = %+v, %v", tokens, err)
	}
	_, err = s.ListTokens(ctx, "mallory")
	checkErr(t, err, store.ErrNotFound)
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	revokes := 0
	for _, e := range entries {
		if e.Action == "token.revoke" {
			revokes++
		}
	}
	if revokes != 1 {
		t.Errorf("%d token.revoke audit entries, want 1", revokes)
	}
}

// auditActions lists the log as "actor action subject" lines.
func auditActions(t *testing.T, s store.Store) []string {
	t.Helper()
	entries, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Actor+" "+e.Action+" "+e.Subject)
	}
	return out
}

func testUsersAudited(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	secretHash := tokenHash("secret")
	steps := []func() error{
		func() error {
			_, err := s.AddUser(ctx, auth.User{Name: "alice", Role: vocab.RoleAdmin, PasswordHash: testPasswordHash}, "alice")
			return err
		},
		func() error {
			_, err := s.AddUser(ctx, auth.User{Name: "bob", Role: vocab.RoleAnalyst}, "alice")
			return err
		},
		func() error {
			_, err := s.AddToken(ctx, auth.APIToken{User: "bob", Label: "laptop", Hash: secretHash}, "alice")
			return err
		},
		func() error { return s.SetUserPassword(ctx, "bob", testPasswordHash, "bob") },
		func() error { return s.SetUserDisabled(ctx, "bob", true, "alice", "left the project") },
		func() error { return s.SetUserDisabled(ctx, "bob", false, "alice", "") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	// Refused changes write no entry.
	if err := s.SetUserDisabled(ctx, "mallory", true, "alice", "x"); err == nil {
		t.Error("disabled an unknown user")
	}
	if _, err := s.AddToken(ctx, auth.APIToken{User: "mallory", Hash: tokenHash("x")}, "alice"); err == nil {
		t.Error("added a token for an unknown user")
	}
	want := []string{
		"alice user.add user/alice",
		"alice user.add user/bob",
		"alice token.add user/bob",
		"bob user.password user/bob",
		"alice user.disable user/bob",
		"alice user.enable user/bob",
	}
	if got := auditActions(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	verifyChain(t, entries)
	details := map[string]string{}
	for _, e := range entries {
		// No secret, nor anything derived from one, is ever logged.
		if strings.Contains(string(e.Detail), secretHash) || strings.Contains(string(e.Detail), "argon2") {
			t.Errorf("entry %d detail %s holds a secret's hash", e.Seq, e.Detail)
		}
		details[e.Action] = string(e.Detail)
	}
	for action, want := range map[string]string{
		"user.disable": `"reason":"left the project"`,
		"token.add":    `"label":"laptop"`,
	} {
		if !strings.Contains(details[action], want) {
			t.Errorf("%s detail %s lacks %s", action, details[action], want)
		}
	}
	if !strings.Contains(details["user.add"], `"role":"analyst"`) {
		t.Errorf("user.add detail %s lacks the role", details["user.add"])
	}
}

// The first user of a store is an admin added once, even when two try at
// the same moment.
func testFirstUser(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	_, err := s.AddFirstUser(ctx, auth.User{Name: "vic", Role: vocab.RoleViewer})
	checkErr(t, err, store.ErrInvalid)
	const n = 4
	var (
		wg   sync.WaitGroup
		errs [n]error
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.AddFirstUser(ctx, auth.User{Name: fmt.Sprintf("admin%d", i), Role: vocab.RoleAdmin})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		}
	}
	if count, err := s.CountUsers(ctx); won != 1 || err != nil || count != 1 {
		t.Fatalf("%d first users added (%v), %d stored (%v); want exactly one", won, errs, count, err)
	}
	_, err = s.AddFirstUser(ctx, auth.User{Name: "late", Role: vocab.RoleAdmin})
	checkErr(t, err, store.ErrConflict)
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil || len(entries) != 1 || entries[0].Action != "user.add" || entries[0].Actor != entries[0].Subject[len("user/"):] {
		t.Errorf("audit log after the first user: %+v, %v", entries, err)
	}
}
