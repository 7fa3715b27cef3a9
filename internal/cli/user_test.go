package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" driver, to tamper with the file directly

	"github.com/truce-monitor/truce/internal/auth"
)

// session runs commands against one SQLite file as whoever's token is set.
type session struct {
	t     *testing.T
	db    string
	token string
	stdin string
}

func newSession(t *testing.T) *session {
	return &session{t: t, db: filepath.Join(t.TempDir(), "t.db")}
}

func (s *session) run(args ...string) (code int, stdout, stderr string) {
	s.t.Helper()
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(s.stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		switch k {
		case "TRUCE_DB":
			return s.db
		case "TRUCE_TOKEN":
			return s.token
		}
		return ""
	}}
	code = Run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

// as sets the token commands act with ("" for none).
func (s *session) as(token string) *session { s.token = token; return s }

// want runs args and checks the exit code and that stderr holds each of
// wantStderr; it returns stdout.
func (s *session) want(code int, wantStderr []string, args ...string) string {
	s.t.Helper()
	got, out, errOut := s.run(args...)
	if got != code {
		s.t.Fatalf("truce %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, out, errOut)
	}
	for _, w := range wantStderr {
		if !strings.Contains(errOut, w) {
			s.t.Errorf("truce %s: stderr lacks %q:\n%s", strings.Join(args, " "), w, errOut)
		}
	}
	return out
}

// addUser adds a user and returns the token it printed.
func (s *session) addUser(name, role string) string {
	s.t.Helper()
	out := s.want(0, []string{"shown only this once", "TRUCE_TOKEN"}, "user", "add", name, "--role", role)
	token := strings.TrimSpace(out)
	if !auth.LooksLikeToken(token) {
		s.t.Fatalf("user add %s printed %q, not a token alone", name, out)
	}
	return token
}

func TestUserBootstrapAndRoles(t *testing.T) {
	s := newSession(t)
	// A new database: the first user needs no token but must be an admin.
	s.want(1, []string{"no users yet: the first must be an admin", "truce user add bob --role admin"}, "user", "add", "bob", "--role", "viewer")
	alice := s.addUser("alice", "admin")

	// After that, adding a user needs an admin's token.
	s.as("").want(1, []string{"TRUCE_TOKEN is not set", "truce user token"}, "user", "add", "bob", "--role", "monitor")
	s.as(auth.TokenPrefix+strings.Repeat("0", 64)).want(1, []string{"TRUCE_TOKEN is not a valid token for this database"}, "user", "add", "bob", "--role", "monitor")
	s.as("truce_mistyped").want(1, []string{"does not look like a truce token"}, "user", "add", "bob", "--role", "monitor")
	bob := s.as(alice).addUser("bob", "monitor")
	carol := s.as(alice).addUser("carol", "viewer")

	// A viewer, and a monitor, cannot add users.
	s.as(carol).want(1, []string{`permission denied: viewer "carol" may not manage users (roles that may: admin)`}, "user", "add", "dan", "--role", "analyst")
	s.as(bob).want(1, []string{`monitor "bob" may not manage users`}, "user", "add", "dan", "--role", "admin")

	s.as(alice).want(1, []string{`user "alice" already exists`}, "user", "add", "alice", "--role", "viewer")
	s.as(alice).want(2, []string{`unknown role "root"`}, "user", "add", "dan", "--role", "root")
	s.as(alice).want(2, []string{`user name "dan smith"`}, "user", "add", "dan smith", "--role", "viewer")
	s.as(alice).want(2, []string{`required flag(s) "role" not set`}, "user", "add", "dan")

	// Any enabled user may list; tokens and hashes never show.
	out := s.as(carol).want(0, nil, "user", "list")
	for _, w := range []string{"alice  admin", "bob    monitor", "carol  viewer", "active"} {
		if !strings.Contains(out, w) {
			t.Errorf("user list lacks %q:\n%s", w, out)
		}
	}
	out = s.as(carol).want(0, nil, "user", "list", "--output", "json")
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var u struct {
			Name, Role string
			Disabled   bool
		}
		if err := json.Unmarshal([]byte(line), &u); err != nil {
			t.Fatalf("user list --output json line %q: %v", line, err)
		}
		names = append(names, u.Name+":"+u.Role)
	}
	if got := strings.Join(names, " "); got != "alice:admin bob:monitor carol:viewer" {
		t.Errorf("json users %s", got)
	}
	if strings.Contains(out, "hash") || strings.Contains(out, "truce_") {
		t.Errorf("user list shows a secret:\n%s", out)
	}
	s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "user", "list")

	// Tokens: for yourself, or as an admin for anyone.
	s.as(carol).want(1, []string{"may not manage users", "users may act on themselves only"}, "user", "token", "bob")
	bob2 := strings.TrimSpace(s.as(bob).want(0, []string{"shown only this once"}, "user", "token", "bob", "--label", "laptop"))
	if !auth.LooksLikeToken(bob2) || bob2 == bob {
		t.Fatalf("user token printed %q", bob2)
	}
	s.as(alice).want(0, nil, "user", "token", "carol")
	s.as(alice).want(1, []string{`no user "dan"`}, "user", "token", "dan")
}

func TestDisabledUserRefused(t *testing.T) {
	s := newSession(t)
	alice := s.addUser("alice", "admin")
	bob := s.as(alice).addUser("bob", "analyst")
	bob2 := strings.TrimSpace(s.as(bob).want(0, nil, "user", "token", "bob"))

	s.as(bob).want(1, []string{"may not manage users"}, "user", "disable", "alice", "--reason", "coup")
	s.as(alice).want(2, []string{`required flag(s) "reason" not set`}, "user", "disable", "bob")
	s.as(alice).want(1, []string{"you cannot disable yourself"}, "user", "disable", "alice", "--reason", "tired")
	out := s.as(alice).want(0, nil, "user", "disable", "bob", "--reason", "left the project")
	if !strings.Contains(out, `disabled user "bob"`) {
		t.Errorf("disable says %q", out)
	}
	// Every token of a disabled user is refused, even for what any user may do.
	for _, token := range []string{bob, bob2} {
		s.as(token).want(1, []string{`user "bob" is disabled`, "truce user enable bob"}, "user", "list")
		s.as(token).want(1, []string{`user "bob" is disabled`}, "user", "token", "bob")
	}
	if out := s.as(alice).want(0, nil, "user", "list"); !strings.Contains(out, "bob    analyst  disabled") {
		t.Errorf("user list does not show bob disabled:\n%s", out)
	}
	s.as(alice).want(1, []string{`user "bob" is disabled: enable them first`}, "user", "token", "bob")

	s.as(alice).want(0, nil, "user", "enable", "bob")
	s.as(bob).want(0, nil, "user", "list")

	// Each change is in the audit log, with who made it, and the log verifies.
	out = s.as("").want(0, nil, "audit", "list", "--output", "json", "--limit", "0")
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct {
			Seq                    int64
			Actor, Action, Subject string
			Detail                 json.RawMessage
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s %s %s", e.Seq, e.Actor, e.Action, e.Subject))
	}
	want := []string{
		"1 alice user.add user/alice", "2 alice token.add user/alice",
		"3 alice user.add user/bob", "4 alice token.add user/bob",
		"5 bob token.add user/bob",
		"6 alice user.disable user/bob", "7 alice user.enable user/bob",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if out := s.want(0, nil, "audit", "verify"); !strings.HasPrefix(out, "audit log intact: 7 entries, head 7 ") {
		t.Errorf("audit verify says %q", out)
	}
}

func TestUserPassword(t *testing.T) {
	s := newSession(t)
	s.stdin = "first secret\n"
	alice := strings.TrimSpace(s.want(0, nil, "user", "add", "alice", "--role", "admin", "--password-stdin"))
	s.stdin = "second secret\r\n"
	bob := strings.TrimSpace(s.as(alice).want(0, nil, "user", "add", "bob", "--role", "viewer"))
	s.as(bob).want(0, nil, "user", "password", "bob")
	s.as(bob).want(1, []string{"may not manage users"}, "user", "password", "alice")
	s.stdin = ""
	s.as(bob).want(2, []string{"standard input has no password"}, "user", "password", "bob")

	// What is stored is an argon2id hash of the line read, newline dropped.
	db, err := sql.Open("sqlite", s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, password := range map[string]string{"alice": "first secret", "bob": "second secret"} {
		var hash string
		if err := db.QueryRow("SELECT password_hash FROM users WHERE name = ?", name).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if ok, err := auth.CheckPassword(hash, password); err != nil || !ok {
			t.Errorf("%s's stored hash %q does not check against %q: %v", name, hash, password, err)
		}
	}
	if out := s.as(bob).want(0, nil, "user", "list"); !strings.Contains(out, "bob    viewer  active  yes") {
		t.Errorf("user list does not show bob's password set:\n%s", out)
	}
}

// A leaked token is revoked by id: it stops working at once, the user's
// other tokens do not, and only the user or an admin may revoke it.
func TestRevokeToken(t *testing.T) {
	s := newSession(t)
	alice := s.addUser("alice", "admin")
	bob := s.as(alice).addUser("bob", "monitor")
	carol := s.as(alice).addUser("carol", "analyst")
	laptop := strings.TrimSpace(s.as(bob).want(0, nil, "user", "token", "bob", "--label", "laptop"))

	out := s.as(bob).want(0, nil, "user", "tokens", "bob")
	line := lineWith(out, "laptop")
	if line == "" || !strings.HasSuffix(strings.TrimSpace(line), "-") || strings.Contains(out, laptop) {
		t.Fatalf("user tokens bob:\n%s", out)
	}
	id := strings.Fields(line)[0]
	s.as(carol).want(1, []string{"permission denied"}, "user", "tokens", "bob")
	s.as(carol).want(1, []string{"permission denied"}, "user", "revoke", "bob", id)
	s.as(bob).want(2, []string{`"x" is not a token id`}, "user", "revoke", "bob", "x")
	s.as(bob).want(1, []string{`"bob" has no token 999`}, "user", "revoke", "bob", "999")

	s.as(bob).want(0, []string{"revoked token " + id + " of bob"}, "user", "revoke", "bob", id)
	s.as(laptop).want(1, []string{"TRUCE_TOKEN"}, "user", "list")
	s.as(bob).want(0, nil, "user", "list") // the first token still works
	if line := lineWith(s.as(alice).want(0, nil, "user", "tokens", "bob"), "laptop"); strings.HasSuffix(strings.TrimSpace(line), "-") {
		t.Errorf("a revoked token is listed as standing: %q", line)
	}
	if !strings.Contains(s.want(0, nil, "audit", "list"), "token.revoke") {
		t.Error("the revocation is not in the audit log")
	}
}

// A store without users is run by whoever holds it: no token needed, and
// changes are recorded as "local". Once it has users, changes take the
// token of a user whose role may make them, and imports record who made
// them.
func TestSingleUserThenRoles(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "demo")
	s.want(0, nil, "incident", "build")
	events := filepath.Join("..", "..", "examples", "evidence", "moratorium-2025-events.csv")
	mapping := filepath.Join("..", "..", "examples", "mappings", "scenario-events.yaml")
	s.want(0, nil, "ingest", "--format", "csv", "--mapping", mapping, "--source", "copy-1", "--progress", "never", events)

	root := s.addUser("root", "admin")
	monitor := s.as(root).addUser("mona", "monitor")
	analyst := s.as(root).addUser("carol", "analyst")
	s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "ingest", "--format", "csv", "--mapping", mapping, "--source", "copy-2", events)
	s.as(monitor).want(1, []string{`monitor "mona" may not import`}, "ingest", "--format", "csv", "--mapping", mapping, "--source", "copy-2", events)
	s.as(monitor).want(1, []string{`monitor "mona" may not import`}, "agreement", "import", moratorium)
	s.as(analyst).want(0, nil, "ingest", "--format", "csv", "--mapping", mapping, "--source", "copy-2", "--progress", "never", events)
	s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "incident", "build")

	db, err := sql.Open("sqlite", s.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for source, want := range map[string]string{"copy-1": "local", "copy-2": "carol", "scenario-reports": "local"} {
		var by string
		if err := db.QueryRow("SELECT imported_by FROM import_batches WHERE source = ?", source).Scan(&by); err != nil || by != want {
			t.Errorf("batch of %s imported by %q (%v), want %q", source, by, err, want)
		}
	}
}
