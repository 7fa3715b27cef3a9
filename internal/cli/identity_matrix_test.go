package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The identity rules of issue 12 (docs/review.md "Published"), command by
// command, on both stores, on one store that starts without users:
//
//	(a) without users, every command works without a token and its
//	    changes are recorded as "local";
//	(b) once users exist, every command that changes state refuses no
//	    token and a role auth.Permitted refuses, leaving no trace, and works
//	    for a role it permits, recorded under the user's name;
//	(c) read commands: review list/show and evidence list/get show a viewer
//	    published subjects only and answer "not found" for the others as for
//	    a missing one; findings, incident list/show, record show, imports
//	    and audit read the store without a token.
//
// 'user recover' and a token alone on stdout are in recover_test.go.
func TestIdentityMatrix(t *testing.T) { onBothStores(t, testIdentityMatrix) }

// identityFixture is what the cases act on, read from the demo's store.
type identityFixture struct {
	t                  *testing.T
	f0, f1             string // findings: f0 is taken through (a), f1 through (b)
	incident           string // an incident id
	record             string // a record reference
	splitA, splitB     string // two records one incident holds together
	photo, sum         string // an evidence file and its SHA-256
	deletions, mapping string
	events             string
	users              map[vocab.Role]string // role -> user name, in (b)
	tokens             map[string]string     // user name -> token
	session            *session
}

// agreement writes the moratorium under a new id, so that each import
// stores something.
func (fx *identityFixture) agreement(run string) string {
	b, err := os.ReadFile(moratorium)
	if err != nil {
		fx.t.Fatal(err)
	}
	body := strings.Replace(string(b), "\nid: energy-moratorium-2025\n", "\nid: identity-"+run+"\n", 1)
	if body == string(b) {
		fx.t.Fatal("the moratorium's id line moved: fix agreement()")
	}
	return writeFile(fx.t, "agreement-"+run+".yaml", body)
}

// identityCase is one command of the tree.
type identityCase struct {
	cmd string // its path below truce
	// action is what it takes once the store has users (auth.Permitted
	// decides which roles may); "" for a command that changes nothing.
	action auth.Action
	// args are its arguments after cmd; run is "local" on a store without
	// users, else the name of the user who runs it.
	args func(fx *identityFixture, run string) []string
	// audit is the audit action a change is recorded under; "" for an
	// import, recorded as its batch's imported_by ('truce imports' BY).
	audit string
	// nobody: a change to a user's account; a store without users has
	// nobody to act on ("no user"), and a user may act on their own.
	nobody bool
	stdin  string
}

func fixed(args ...string) func(*identityFixture, string) []string {
	return func(*identityFixture, string) []string { return args }
}

// identityCases are every command but 'serve' and 'user recover', in the
// order (a) runs them; (b) runs those with an action in the same order.
var identityCases = []identityCase{
	{cmd: "migrate", args: fixed()},
	{cmd: "agreement lint", args: fixed(moratorium)},
	{cmd: "agreement show", args: fixed(moratorium)},
	{cmd: "agreement schema", args: fixed()},
	{cmd: "agreement test", args: fixed(filepath.Join("..", "..", "examples", "tests", "energy-moratorium-2025.test.yaml"))},
	{cmd: "agreement diff", args: func(fx *identityFixture, _ string) []string { return []string{moratorium, fx.agreement("diff")} }},
	{cmd: "positions matrix", args: fixed("--file", bundledPositions, "--at", "2025-03-18")},
	{cmd: "positions common-ground", args: fixed("--file", bundledPositions, "--at", "2025-03-18")},
	{cmd: "positions timeline", args: fixed("--file", bundledPositions)},
	{cmd: "positions lint", args: fixed(bundledPositions)},
	{cmd: "positions list", args: fixed()},
	{cmd: "check", args: func(fx *identityFixture, _ string) []string {
		return []string{"--agreement", moratorium, "--format", "csv", "--mapping", fx.mapping, fx.events}
	}},
	{cmd: "agreement import", action: auth.Import, audit: "agreement.import",
		args: func(fx *identityFixture, run string) []string { return []string{fx.agreement(run)} }},
	{cmd: "positions import", action: auth.Import, audit: "positions.import",
		args: func(fx *identityFixture, run string) []string {
			// Other content each run: the next version of the set.
			return []string{writeFile(fx.t, "positions-"+run+".yaml", mustRead(fx.t, bundledPositions)+"# imported by "+run+"\n")}
		}},
	{cmd: "ingest", action: auth.Import, args: func(fx *identityFixture, run string) []string {
		return []string{"--format", "csv", "--mapping", fx.mapping, "--source", "copy-" + run, "--progress", "never", fx.events}
	}},
	{cmd: "ingest --deletions", action: auth.Import, args: func(fx *identityFixture, run string) []string {
		return []string{"--format", "acled", "--source", "acled-" + run, "--progress", "never", fx.deletions}
	}},
	{cmd: "imports", args: fixed()},
	{cmd: "imports rejects", args: fixed("1")},
	{cmd: "evaluate", action: auth.Import, audit: "evaluate", args: fixed()},
	{cmd: "findings", args: fixed()},
	{cmd: "report", args: fixed("--agreement", "energy-moratorium-2025")},
	{cmd: "report daily", args: fixed("--agreement", "energy-moratorium-2025", "--date", "2025-03-27")},
	{cmd: "incident build", action: auth.EditIncidents, audit: "incident.save", args: fixed()},
	{cmd: "incident list", args: fixed()},
	{cmd: "incident show", args: func(fx *identityFixture, _ string) []string { return []string{fx.incident} }},
	{cmd: "record show", args: func(fx *identityFixture, _ string) []string { return []string{fx.record} }},
	{cmd: "incident split", action: auth.EditIncidents, audit: "incident.split", args: func(fx *identityFixture, run string) []string {
		return []string{fx.splitA, fx.splitB, "--reason", "split by " + run}
	}},
	{cmd: "incident join", action: auth.EditIncidents, audit: "incident.join", args: func(fx *identityFixture, run string) []string {
		return []string{fx.splitA, fx.splitB, "--reason", "joined by " + run}
	}},
	{cmd: "review list", args: fixed()},
	{cmd: "review show", args: func(fx *identityFixture, _ string) []string { return []string{fx.f0} }},
	{cmd: "review set", action: auth.Review, audit: "review.transition", args: func(fx *identityFixture, run string) []string {
		subj := fx.f1
		if run == app.LocalActor {
			subj = fx.f0
		}
		return []string{subj, "corroborated", "--from", "alleged", "--reason", "checked by " + run}
	}},
	{cmd: "evidence add", action: auth.AddEvidence, audit: "evidence.add", args: func(fx *identityFixture, run string) []string {
		if run == app.LocalActor {
			return []string{fx.f0, "--file", fx.photo, "--notes", "by " + run}
		}
		return []string{fx.f1, "--notes", "by " + run}
	}},
	{cmd: "evidence list", args: func(fx *identityFixture, _ string) []string { return []string{fx.f0} }},
	{cmd: "evidence get", args: func(fx *identityFixture, _ string) []string { return []string{fx.f0, fx.sum} }},
	{cmd: "audit list", args: fixed()},
	{cmd: "audit verify", args: fixed("--state")},
	{cmd: "audit head", args: fixed()},
	{cmd: "user list", args: fixed()},
	{cmd: "user tokens", nobody: true, args: fixed("nobody")},
	{cmd: "user token", action: auth.ManageUsers, audit: "token.add", nobody: true, args: fixed("tess")},
	{cmd: "user password", action: auth.ManageUsers, audit: "user.password", nobody: true, stdin: "a passphrase\n", args: fixed("tess")},
	{cmd: "user revoke", action: auth.ManageUsers, audit: "token.revoke", nobody: true, args: func(fx *identityFixture, run string) []string {
		if run == app.LocalActor {
			return []string{"tess", "1"}
		}
		return []string{"tess", fx.lastToken("tess")}
	}},
	{cmd: "user disable", action: auth.ManageUsers, audit: "user.disable", nobody: true, args: fixed("tess", "--reason", "on leave")},
	{cmd: "user enable", action: auth.ManageUsers, audit: "user.enable", nobody: true, args: fixed("tess")},
	{cmd: "demo", action: auth.Import, audit: "evaluate", args: fixed()},
	// Last: on a store without users, it adds the first (an admin), who is
	// recorded as adding themselves.
	{cmd: "user add", action: auth.ManageUsers, audit: "user.add", args: func(_ *identityFixture, run string) []string {
		if run == app.LocalActor {
			return []string{"root", "--role", "admin"}
		}
		return []string{"new-" + run, "--role", "viewer"}
	}},
}

// notInMatrix are the commands the matrix leaves to other tests.
var notInMatrix = map[string]string{
	"serve":        "the server; not a command-line use case",
	"user recover": "works without a token by design: recover_test.go",
}

// argv is the command line of c run as run.
func (c identityCase) argv(fx *identityFixture, run string) []string {
	words := strings.Fields(c.cmd)
	return append(words, c.args(fx, run)...)
}

// lastToken is the id of user name's newest token, as an admin lists it.
func (fx *identityFixture) lastToken(name string) string {
	s := fx.session
	defer s.as(s.token)
	out := s.as(fx.tokens[fx.users[vocab.RoleAdmin]]).want(0, nil, "user", "tokens", name)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.Fields(lines[len(lines)-1])[0]
}

// leafCommands returns the path below truce of every runnable command.
func leafCommands() []string {
	root := (&invocation{env: Env{Getenv: func(string) string { return "" }}}).rootCommand()
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c != root {
			out = append(out, strings.TrimPrefix(c.CommandPath(), "truce "))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// Every command is in the matrix or says where its rules are tested.
func TestIdentityMatrixCoversEveryCommand(t *testing.T) {
	leaves := leafCommands()
	covered := map[string]bool{}
	for _, c := range identityCases {
		cmd := strings.TrimSpace(strings.TrimSuffix(c.cmd, "--deletions"))
		if !slices.Contains(leaves, cmd) {
			t.Errorf("case %q: no such command", c.cmd)
		}
		covered[cmd] = true
	}
	for _, l := range leaves {
		if _, ok := notInMatrix[l]; !covered[l] && !ok {
			t.Errorf("truce %s is not in identityCases: add it, with the action it takes once the store has users", l)
		}
	}
}

// auditAfter returns the audit entries after seq (read without a token).
func auditAfter(t *testing.T, s *session, seq int64) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	for _, e := range jsonLines[store.AuditEntry](t, "audit list", s.as("").want(0, nil, "audit", "list", "--limit", "0", "--output", "json")) {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

func lastSeq(t *testing.T, s *session) int64 {
	t.Helper()
	e := auditAfter(t, s, 0)
	if len(e) == 0 {
		return 0
	}
	return e[len(e)-1].Seq
}

// batches returns the last import batch, who made it and how many there are.
func batches(t *testing.T, s *session) (last, by string, n int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(s.as("").want(0, nil, "imports")), "\n")
	f := strings.Fields(lines[len(lines)-1])
	if len(lines) < 2 || len(f) < 3 {
		t.Fatalf("imports:\n%s", strings.Join(lines, "\n"))
	}
	return f[0], f[2], len(lines) - 1
}

// checkRecorded checks that what c did since seq (or batch) is recorded
// as by.
func checkRecorded(t *testing.T, s *session, c identityCase, seq int64, batch, by string) {
	t.Helper()
	if c.audit == "" {
		last, got, _ := batches(t, s)
		if last == batch || got != by {
			t.Errorf("truce %s as %s: last import batch %s by %q, want a new one by %q", c.cmd, by, last, got, by)
		}
		return
	}
	entries := auditAfter(t, s, seq)
	found := false
	for _, e := range entries {
		found = found || e.Action == c.audit
		if e.Actor != by {
			t.Errorf("truce %s as %s: audit entry %d %s %s by %q, want %q", c.cmd, by, e.Seq, e.Action, e.Subject, e.Actor, by)
		}
	}
	if !found {
		t.Errorf("truce %s as %s: no %s entry in the audit log (new entries: %+v)", c.cmd, by, c.audit, entries)
	}
}

func testIdentityMatrix(t *testing.T, s *session) {
	s.want(0, nil, "demo")
	photo := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR identity"
	sum := sha256.Sum256([]byte(photo))
	fx := &identityFixture{
		t: t, session: s,
		mapping:   filepath.Join("..", "..", "examples", "mappings", "scenario-events.yaml"),
		events:    filepath.Join("..", "..", "examples", "evidence", "moratorium-2025-events.csv"),
		deletions: writeFile(t, "deleted.csv", "event_id_cnty,deleted_timestamp\nNOSUCH1,1700000000\n"),
		photo:     writeFile(t, "photo.png", photo),
		sum:       hex.EncodeToString(sum[:]),
		users:     map[vocab.Role]string{},
		tokens:    map[string]string{},
	}
	items := jsonLines[reviewListed](t, "review list", s.want(0, nil, "review", "list", "--type", "finding", "--output", "json"))
	if len(items) < 2 {
		t.Fatalf("the demo has %d findings to review", len(items))
	}
	fx.f0, fx.f1 = items[0].Subject, items[1].Subject
	for _, inc := range incidents(t, s) {
		if fx.incident == "" {
			fx.incident = fmt.Sprint(inc.ID)
			fx.record = ref(inc.Members[0].Record)
		}
		if len(inc.Members) == 2 && fx.splitA == "" {
			m := inc.Members
			fx.splitA, fx.splitB = m[0].Source+":"+m[0].SourceID, m[1].Source+":"+m[1].SourceID
		}
	}
	if fx.incident == "" || fx.splitA == "" {
		t.Fatal("the demo built no two-member incident")
	}

	t.Run("a/no users, no token", func(t *testing.T) {
		s.t = t
		fx.t = t
		for _, c := range identityCases {
			seq := lastSeq(t, s)
			batch, _, _ := batches(t, s)
			s.stdin = c.stdin
			args := c.argv(fx, app.LocalActor)
			code, out, errOut := s.as("").run(args...)
			s.stdin = ""
			if strings.Contains(errOut, "TRUCE_TOKEN is not") {
				t.Errorf("truce %s on a store without users asks for a token:\n%s", c.cmd, errOut)
			}
			if c.nobody {
				if code != 1 || !strings.Contains(errOut, `no user "`) {
					t.Errorf("truce %s on a store without users: exit %d, stderr %q; want 1, no such user", c.cmd, code, errOut)
				}
				continue
			}
			if code != 0 {
				t.Errorf("truce %s on a store without users, without a token: exit %d\nstdout:\n%s\nstderr:\n%s", c.cmd, code, out, errOut)
				continue
			}
			if c.action != "" {
				by := app.LocalActor
				if c.cmd == "user add" {
					by = "root" // the first user adds themselves
					fx.users[vocab.RoleAdmin], fx.tokens["root"] = "root", strings.TrimSpace(out)
				}
				checkRecorded(t, s, c, seq, batch, by)
			}
		}
	})
	if t.Failed() {
		return
	}
	s.t = t
	fx.t = t

	// The team: one user of each role, and tess to act on.
	root := fx.tokens["root"]
	for _, r := range vocab.Roles() {
		if r == vocab.RoleAdmin {
			continue
		}
		name := string(r) + "-user"
		fx.users[r], fx.tokens[name] = name, s.as(root).addUser(name, string(r))
	}
	s.as(root).addUser("tess", "viewer")

	t.Run("b/changes take a permitted token", func(t *testing.T) {
		s.t = t
		fx.t = t
		for _, c := range identityCases {
			if c.action == "" {
				continue
			}
			seq := lastSeq(t, s)
			batch, _, nb := batches(t, s)
			args := c.argv(fx, "nobody")
			s.stdin = c.stdin
			if out := s.as("").want(1, []string{"TRUCE_TOKEN is not set"}, args...); out != "" {
				t.Errorf("truce %s refused printed %q", c.cmd, out)
			}
			var permitted, refused []vocab.Role
			for _, r := range vocab.Roles() {
				if auth.Permitted(r, c.action) {
					permitted = append(permitted, r)
					continue
				}
				refused = append(refused, r)
				name := fx.users[r]
				args := c.argv(fx, name)
				s.as(fx.tokens[name]).want(1, []string{"permission denied", fmt.Sprintf("%s %q may not %s", r, name, c.action)}, args...)
			}
			if e := auditAfter(t, s, seq); len(e) != 0 {
				t.Errorf("truce %s refused, yet audited: %+v", c.cmd, e)
			}
			if _, _, n := batches(t, s); n != nb {
				t.Errorf("truce %s refused, yet %d import batches were made", c.cmd, n-nb)
			}
			if len(permitted) == 0 {
				t.Fatalf("no role may %s", c.action)
			}
			// The least trusted role that may.
			name := fx.users[permitted[len(permitted)-1]]
			args = c.argv(fx, name)
			s.as(fx.tokens[name]).want(0, nil, args...)
			s.stdin = ""
			checkRecorded(t, s, c, seq, batch, name)
			t.Logf("truce %s (%s): refused without a token and for %v; done by %s (%s)", c.cmd, c.action, refused, name, permitted[len(permitted)-1])
		}

		// A user acts on their own account whatever their role.
		for _, r := range vocab.Roles() {
			name := fx.users[r]
			seq := lastSeq(t, s)
			out := s.as(fx.tokens[name]).want(0, nil, "user", "token", name)
			if !auth.LooksLikeToken(strings.TrimSpace(out)) {
				t.Errorf("user token %s printed %q", name, out)
			}
			checkRecorded(t, s, identityCase{cmd: "user token (own)", audit: "token.add"}, seq, "", name)
		}
	})
	if t.Failed() {
		return
	}
	s.t = t
	fx.t = t

	t.Run("c/reading", func(t *testing.T) {
		s.t = t
		fx.t = t
		admin, monitor, viewer := root, fx.tokens[fx.users[vocab.RoleMonitor]], fx.tokens[fx.users[vocab.RoleViewer]]
		// f1 is corroborated by the monitor in (b); an admin confirms it:
		// published. f0 stays corroborated: not.
		s.as(admin).want(0, nil, "review", "set", fx.f1, "confirmed", "--from", "corroborated", "--reason", "second look", "--yes")
		s.as(admin).want(0, nil, "evidence", "add", fx.f1, "--file", fx.photo, "--notes", "published")

		seen := jsonLines[reviewListed](t, "review list", s.as(viewer).want(0, nil, "review", "list", "--output", "json"))
		if !slices.ContainsFunc(seen, func(it reviewListed) bool { return it.Subject == fx.f1 }) {
			t.Errorf("a viewer's review list lacks the published %s: %v", fx.f1, seen)
		}
		for _, it := range seen {
			if !it.Published {
				t.Errorf("a viewer's review list shows %s, %s, unpublished", it.Subject, it.Status)
			}
		}
		if all := jsonLines[reviewListed](t, "review list", s.as(monitor).want(0, nil, "review", "list", "--output", "json")); len(all) <= len(seen) {
			t.Errorf("a monitor lists %d subjects, a viewer %d: the monitor should see the unpublished too", len(all), len(seen))
		}

		// Unpublished reads as missing, for a viewer; others see it.
		var inc string
		for _, it := range jsonLines[reviewListed](t, "review list", s.as(monitor).want(0, nil, "review", "list", "--type", "incident", "--output", "json")) {
			if !it.Published {
				inc = it.Subject
				break
			}
		}
		if inc == "" {
			t.Fatal("no unpublished incident")
		}
		for _, hidden := range []string{fx.f0, inc} {
			missing := strings.SplitN(hidden, "/", 2)[0] + "/999999"
			for _, args := range [][]string{{"review", "show", "SUBJECT"}, {"evidence", "list", "SUBJECT"}, {"evidence", "get", "SUBJECT", fx.sum}} {
				with := func(subj string) []string {
					a := slices.Clone(args)
					a[2] = subj
					return a
				}
				codeH, outH, errH := s.as(viewer).run(with(hidden)...)
				codeM, outM, errM := s.as(viewer).run(with(missing)...)
				if codeH != 1 || outH != "" || !strings.Contains(errH, hidden+" not found") {
					t.Errorf("viewer: truce %s: exit %d, stdout %q, stderr %q; want 1, %s not found", strings.Join(with(hidden), " "), codeH, outH, errH, hidden)
				}
				if codeH != codeM || outH != outM || strings.ReplaceAll(errH, hidden, missing) != errM {
					t.Errorf("viewer: truce %s answers unlike a missing subject:\n%d %q %q\n%d %q %q", strings.Join(args[:2], " "), codeH, outH, errH, codeM, outM, errM)
				}
			}
			s.as(monitor).want(0, nil, "review", "show", hidden)
			s.as(monitor).want(0, nil, "evidence", "list", hidden)
		}
		if out := s.as(viewer).want(0, nil, "review", "show", fx.f1); !strings.Contains(out, fx.f1+": confirmed") {
			t.Errorf("viewer's review show %s:\n%s", fx.f1, out)
		}
		if out := s.as(viewer).want(0, nil, "evidence", "list", fx.f1); !strings.Contains(out, "published") {
			t.Errorf("viewer's evidence list %s:\n%s", fx.f1, out)
		}
		s.as(viewer).want(0, nil, "evidence", "get", fx.f1, fx.sum)

		// Reading the store directly needs no token and shows everything.
		f0 := strings.TrimPrefix(fx.f0, "finding/")
		if !slices.ContainsFunc(jsonLines[listed](t, "findings", s.as("").want(0, nil, "findings", "--output", "json")), func(f listed) bool {
			return fmt.Sprint(f.Stored.ID) == f0
		}) {
			t.Errorf("findings without a token lacks the unpublished %s", fx.f0)
		}
		if len(incidents(t, s.as(""))) == 0 {
			t.Error("incident list without a token lists nothing")
		}
		for _, args := range [][]string{
			{"incident", "show", strings.TrimPrefix(inc, "incident/")},
			{"record", "show", fx.record},
			{"imports"},
			{"imports", "rejects", "1"},
			{"audit", "list"},
			{"audit", "verify", "--state"},
		} {
			s.as("").want(0, nil, args...)
		}
	})
}
