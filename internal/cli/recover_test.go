package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/auth"
)

// With every admin token lost (revoked here), whoever can open the
// database gets a new admin token with 'user recover', without a token;
// each step is audited under "(recovery)" and the state check still holds.
func TestUserRecover(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *session) {
		alice := s.addUser("alice", "admin")
		bob := s.as(alice).addUser("bob", "monitor")
		s.as(alice).want(0, nil, "user", "revoke", "alice", "1")
		s.as(alice).want(1, []string{"TRUCE_TOKEN is not a valid token"}, "user", "add", "carol", "--role", "viewer")

		// Recovery refuses to turn a non-admin into an admin.
		if out := s.as("").want(1, []string{`"bob" is a monitor`}, "user", "recover", "bob"); out != "" {
			t.Errorf("a failed recover printed %q on stdout", out)
		}
		tok := strings.TrimSpace(s.as("").want(0, []string{`new token for admin "alice"`, "shown only this once"}, "user", "recover", "alice"))
		if !auth.LooksLikeToken(tok) {
			t.Fatalf("user recover printed %q, not a token alone", tok)
		}
		s.as(tok).addUser("carol", "viewer")

		// A new name becomes an admin; a disabled admin is enabled.
		rescue := strings.TrimSpace(s.as("").want(0, []string{`added admin "rescue"`}, "user", "recover", "rescue"))
		s.as(rescue).want(0, nil, "user", "disable", "alice", "--reason", "laptop stolen")
		s.as("").want(0, []string{`enabled admin "alice"`}, "user", "recover", "alice")

		audit := s.as(bob).want(0, nil, "audit", "list", "--output", "json")
		var recovers, byRecovery int
		for _, line := range strings.Split(strings.TrimSpace(audit), "\n") {
			var e struct{ Actor, Action string }
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("audit line %q: %v", line, err)
			}
			if e.Action == "user.recover" {
				recovers++
			}
			if e.Actor == "(recovery)" {
				byRecovery++
			}
		}
		// Three recoveries; each a user.recover entry and a token.add, plus
		// rescue's user.add and alice's user.enable.
		if recovers != 3 || byRecovery != 3+3+2 {
			t.Errorf("audit: %d user.recover entries (want 3), %d by (recovery) (want 8):\n%s", recovers, byRecovery, audit)
		}
		s.as(bob).want(0, nil, "audit", "verify", "--state")
	})
}

// A token goes to stdout alone, or the command fails with nothing on
// stdout: `export TRUCE_TOKEN=$(truce user add ...)` never captures a
// message, and a failed re-run is visible by its status.
func TestTokenAloneOnStdout(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *session) {
		alice := s.addUser("alice", "admin")
		for _, args := range [][]string{
			{"user", "add", "alice", "--role", "admin"},
			{"user", "add", "bob", "--role", "root"},
			{"user", "token", "nobody"},
			{"user", "recover", "no body"},
		} {
			code, out, errOut := s.as(alice).run(args...)
			if code == 0 || out != "" {
				t.Errorf("truce %s: exit %d, stdout %q (want a failure and nothing on stdout); stderr %s", strings.Join(args, " "), code, out, errOut)
			}
		}
		for _, args := range [][]string{{"user", "token", "alice"}, {"user", "add", "bob", "--role", "viewer"}, {"user", "recover", "alice"}} {
			out := s.as(alice).want(0, nil, args...)
			if tok := strings.TrimSuffix(out, "\n"); !auth.LooksLikeToken(tok) {
				t.Errorf("truce %s: stdout %q is not a token alone", strings.Join(args, " "), out)
			}
		}
	})
}

func TestVersion(t *testing.T) {
	s := newSession(t)
	out := s.want(0, nil, "--version")
	if !strings.HasPrefix(out, "truce ") || !strings.Contains(out, "go1.") {
		t.Errorf("truce --version printed %q", out)
	}
}
