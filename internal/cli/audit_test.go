package cli

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/store"
)

// tamper runs SQL on the session's SQLite file past truce, as someone with
// the file could, after dropping the triggers that stop accidents.
func (s *session) tamper(queries ...string) {
	s.t.Helper()
	db, err := sql.Open("sqlite", s.db)
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}, queries...) {
		if _, err := db.Exec(q); err != nil {
			s.t.Fatalf("%s: %v", q, err)
		}
	}
}

// auditedSession is a database whose log has 6 entries: two users added,
// each with a token, and one disabled and enabled again.
func auditedSession(t *testing.T) *session {
	s := newSession(t)
	alice := s.addUser("alice", "admin")
	s.as(alice).addUser("bob", "analyst")
	s.as(alice).want(0, nil, "user", "disable", "bob", "--reason", "on leave")
	s.as(alice).want(0, nil, "user", "enable", "bob")
	s.as("")
	return s
}

func TestAuditVerifyCatchesTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string
		head   bool // verify against the head printed before tampering
		want   string
	}{
		{"edit", []string{"UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"}, false,
			"audit log broken at entry 3: edited: hash does not match its content (the 2 entries before it are sound)"},
		{"edit of the detail", []string{`UPDATE audit_log SET detail = '{"reason":"misconduct"}' WHERE seq = 5`}, false,
			"audit log broken at entry 5: edited: hash does not match its content"},
		{"deletion", []string{"DELETE FROM audit_log WHERE seq = 4"}, false,
			"audit log broken at entry 4: missing entries between 3 and 5 (deleted?)"},
		{"reorder", []string{"UPDATE audit_log SET seq = 100 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 100"}, false,
			"audit log broken at entry 2: prev_hash does not match entry 1 (reordered or deleted?)"},
		{"tail deleted, against the head kept", []string{"DELETE FROM audit_log WHERE seq > 4"}, true,
			"audit log broken at entry 5: missing: the log ends at entry 4 but the head you kept is entry 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := auditedSession(t)
			head := strings.TrimSpace(s.want(0, nil, "audit", "head"))
			anchor, err := store.ParseAuditAnchor(head)
			if err != nil || anchor.Seq != 6 {
				t.Fatalf("audit head printed %q: %v", head, err)
			}
			args := []string{"audit", "verify"}
			if tt.head {
				args = append(args, "--head", strings.Replace(head, " ", ":", 1))
			}
			if out := s.want(0, nil, args...); out != "audit log intact: 6 entries, head "+head+"\n" {
				t.Errorf("before tampering: %q", out)
			}
			s.tamper(tt.tamper...)
			s.want(1, []string{tt.want}, args...)
			if !tt.head {
				// A broken log has no head to keep.
				s.want(1, []string{"audit log broken at entry"}, "audit", "head")
			}
		})
	}
}

func TestAuditCommands(t *testing.T) {
	s := newSession(t)
	s.want(0, nil, "migrate")
	if out := s.want(0, nil, "audit", "verify"); !strings.Contains(out, "audit log intact: 0 entries") {
		t.Errorf("verify of an empty log: %q", out)
	}
	s.want(1, []string{"the audit log is empty"}, "audit", "head")
	s = auditedSession(t)
	out := s.want(0, nil, "audit", "list", "--after", "2", "--limit", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SEQ") || !strings.HasPrefix(lines[1], "3 ") || !strings.HasPrefix(lines[2], "4 ") ||
		!strings.Contains(lines[1], "alice  user.add") || !strings.Contains(lines[1], `{"disabled":false,"password":false,"role":"analyst"}`) {
		t.Errorf("audit list --after 2 --limit 2:\n%s", out)
	}
	s.want(2, []string{"--head: head \"12\": want SEQ:HASH"}, "audit", "verify", "--head", "12")
	s.want(2, []string{"unknown output"}, "audit", "list", "--output", "xml")
	if out := s.want(0, nil, "audit", "--help"); !strings.Contains(out, "truce audit verify --head") {
		t.Errorf("audit --help has no example of --head:\n%s", out)
	}
	if out := s.want(0, nil, "user", "--help"); !strings.Contains(out, "truce user add alice --role admin") {
		t.Errorf("user --help has no example:\n%s", out)
	}
}
