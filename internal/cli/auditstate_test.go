package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// 'audit verify --state' names what was edited in the database past truce;
// 'audit head --out' keeps heads in a file that 'verify --head' checks.
func TestAuditVerifyStateAndHeadFile(t *testing.T) {
	r := newReviewTeam(t)
	f1 := r.subject(0)
	heads := filepath.Join(t.TempDir(), "heads.txt")
	r.as(r.root).want(0, []string{"added to " + heads}, "audit", "head", "--out", heads)
	r.as(r.alice).want(0, nil, "review", "set", f1, "corroborated", "--from", "alleged", "--reason", "two outlets")
	r.as(r.root).want(0, nil, "audit", "head", "--out", heads)
	kept, err := os.ReadFile(heads)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(kept)), "\n"); len(lines) != 2 {
		t.Fatalf("heads file:\n%s", kept)
	}
	out := r.as(r.root).want(0, nil, "audit", "verify", "--head", heads, "--state")
	if !strings.Contains(out, "audit log intact") || !strings.Contains(out, "state matches the log: 2 findings and incidents, 5 users, 1 review steps replayed") {
		t.Errorf("verify --state on an untouched database:\n%s", out)
	}
	if out := r.as(r.root).want(0, nil, "audit", "head"); !strings.HasSuffix(string(kept), out) {
		t.Errorf("head prints %q; the file's last line is not it:\n%s", out, kept)
	}

	// Edits past truce: a status, a role, a disabled user enabled.
	r.tamper("UPDATE findings SET status = 'confirmed' WHERE id = "+strings.TrimPrefix(f1, "finding/"),
		"UPDATE users SET role = 'admin' WHERE name = 'dave'")
	r.as(r.root).want(0, nil, "audit", "verify", "--head", heads) // the log itself is intact
	code, out, errOut := r.as(r.root).run("audit", "verify", "--state")
	if code != 1 || !strings.Contains(errOut, "the database does not match the audit log: 2 mismatches") {
		t.Fatalf("verify --state after edits: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		f1 + ": status confirmed in the database, but the log says corroborated (entry ",
		"alleged -> corroborated by alice): edited in the database?",
		"user/dave: role admin in the database, but the log says viewer (entry ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify --state lacks %q:\n%s", want, out)
		}
	}

	// --after past the end names nothing; after the last entry, it is empty.
	r.as(r.root).want(1, []string{"--after 999 is past the end of the log"}, "audit", "list", "--after", "999")
	last := strings.Fields(r.as(r.root).want(0, nil, "audit", "head"))[0]
	if out := r.as(r.root).want(0, nil, "audit", "list", "--after", last); strings.Count(out, "\n") != 1 {
		t.Errorf("audit list after the last entry:\n%s", out)
	}

	// A head file whose entry was rewritten, or a malformed one.
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("# kept on paper\n1 "+strings.Repeat("0", 64)+"\n"), 0o644)
	r.as(r.root).want(1, []string{"audit log broken at entry 1: hash", "is not the head you kept (000000000000)"}, "audit", "verify", "--head", bad)
	os.WriteFile(bad, []byte("12\n"), 0o644)
	r.as(r.root).want(2, []string{"bad.txt:1: head \"12\": want SEQ:HASH"}, "audit", "verify", "--head", bad)
}
