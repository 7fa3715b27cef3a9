package cli

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/vocab"
)

// reviewTeam is a database with users of every role and the findings of
// one real strike report (the first of 1 April 2025, inside both readings'
// windows): one finding per reading.
type reviewTeam struct {
	*session
	root, alice, bob, carol, dave string
	strikes                       string   // the full strike reports file
	findings                      []listed // as first evaluated
}

func newReviewTeam(t *testing.T) *reviewTeam { return newReviewTeamOn(t, newSession(t)) }

// newReviewTeamOn is newReviewTeam on the store of s.
func newReviewTeamOn(t *testing.T, s *session) *reviewTeam {
	r := &reviewTeam{session: s, strikes: ingesttest.File(t, "missile-attacks-ukraine", "missile_attacks_daily.csv")}
	r.root = s.addUser("root", "admin")
	r.alice = s.as(r.root).addUser("alice", "monitor")
	r.bob = s.as(r.root).addUser("bob", "monitor")
	r.carol = s.as(r.root).addUser("carol", "analyst")
	r.dave = s.as(r.root).addUser("dave", "viewer")
	s.as(r.root).want(0, nil, "agreement", "import", moratorium)
	s.as(r.root).want(0, nil, "ingest", "--format", "strikes", "--progress", "never", strikeRow(t, r.strikes, "2025-04-01"))
	s.as(r.root).want(0, nil, "evaluate")
	r.findings = r.list(t)
	if len(r.findings) != 2 {
		t.Fatalf("%d findings on one strike report, want 2 (one per reading)", len(r.findings))
	}
	return r
}

// list returns the stored findings, as 'truce findings' lists them.
func (r *reviewTeam) list(t *testing.T) []listed {
	t.Helper()
	return jsonLines[listed](t, "findings", r.as(r.root).want(0, nil, "findings", "--output", "json"))
}

func (r *reviewTeam) subject(i int) string { return fmt.Sprintf("finding/%d", r.findings[i].Stored.ID) }

// strikeRow writes the strike report file with one row only, the first of
// day, as published.
func strikeRow(t *testing.T, src, day string) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	start := slices.Index(rows[0], "time_start")
	for _, row := range rows[1:] {
		if start >= 0 && strings.HasPrefix(row[start], day) {
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.WriteAll([][]string{rows[0], row})
			return writeFile(t, "row.csv", b.String())
		}
	}
	t.Fatalf("no row of %s in %s", day, src)
	return ""
}

// reviewListed is one line of 'review list --output json'.
type reviewListed struct {
	Subject     string
	Status      string
	NeedsReview bool `json:"needs_review"`
	Published   bool
}

func (r *reviewTeam) reviewList(t *testing.T, token string, args ...string) []reviewListed {
	t.Helper()
	return jsonLines[reviewListed](t, "review list", r.as(token).want(0, nil, append([]string{"review", "list", "--output", "json"}, args...)...))
}

func subjects(items []reviewListed) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Subject+" "+it.Status)
	}
	return strings.Join(out, ", ")
}

// The workflow on the command line: two monitors, the second reviewer
// rule, evidence for refuted, what a viewer sees, who may act.
func TestReviewWorkflowCommands(t *testing.T) {
	r := newReviewTeam(t)
	f1, f2 := r.subject(0), r.subject(1)

	if got := subjects(r.reviewList(t, r.alice, "--type", "finding")); got != f1+" alleged, "+f2+" alleged" {
		t.Errorf("monitor lists %q", got)
	}
	if got := r.reviewList(t, r.dave, "--type", "finding"); len(got) != 0 {
		t.Errorf("viewer lists unpublished findings: %v", got)
	}
	r.as(r.dave).want(1, []string{f1 + " not found"}, "review", "show", f1)

	// Corroborated by alice, confirmed by bob, never by alice herself.
	out := r.as(r.alice).want(0, nil, "review", "set", f1, "corroborated", "--from", "alleged", "--reason", "two outlets report it")
	if !strings.Contains(out, f1+": alleged -> corroborated by alice") {
		t.Errorf("set prints %q", out)
	}
	r.as(r.alice).want(1, []string{"confirming needs a second reviewer: alice moved it to corroborated"},
		"review", "set", f1, "confirmed", "--from", "corroborated", "--reason", "sure")
	r.as(r.bob).want(0, nil, "review", "set", f1, "confirmed", "--from", "corroborated", "--revision", "1", "--reason", "geolocation checked", "--yes")

	// Refuting needs evidence; an analyst adds a file.
	r.as(r.bob).want(1, []string{"refuting needs at least one piece of evidence", "truce evidence add " + f2},
		"review", "set", f2, "refuted", "--from", "alleged", "--reason", "no such strike")
	photo := writeFile(t, "crater.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a crater")
	sum := sha256.Sum256([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a crater"))
	out = r.as(r.carol).want(0, nil, "evidence", "add", f2, "--file", photo, "--lat", "48.8512", "--lon", "37.6031",
		"--geo-method", "skyline matched", "--notes", "the crater is from 2023")
	if !strings.Contains(out, "sha256 "+hex.EncodeToString(sum[:])) || !strings.Contains(out, "image/png") || !strings.Contains(out, "by carol") {
		t.Errorf("evidence add prints %q", out)
	}

	// Before the refutation, a viewer sees the confirmed finding only.
	if got := subjects(r.reviewList(t, r.dave, "--type", "finding")); got != f1+" confirmed" {
		t.Errorf("viewer lists %q, want only the confirmed %s", got, f1)
	}
	r.as(r.dave).want(1, []string{f2 + " not found"}, "evidence", "list", f2)
	r.as(r.dave).want(1, []string{f2 + " not found"}, "evidence", "get", f2, hex.EncodeToString(sum[:]))
	// The file comes back as it went in, to stdout or a file.
	if got := r.as(r.bob).want(0, nil, "evidence", "get", f2, hex.EncodeToString(sum[:])); got != "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a crater" {
		t.Errorf("evidence get wrote %q", got)
	}
	r.as(r.bob).want(1, []string{"no evidence file"}, "evidence", "get", f1, hex.EncodeToString(sum[:]))
	r.as(r.bob).want(2, []string{"is not a SHA-256"}, "evidence", "get", f2, "abc")
	// A file altered in the database past truce is refused, not written.
	out = filepath.Join(t.TempDir(), "crater.png")
	r.tamper("DROP TRIGGER evidence_files_no_update", "UPDATE evidence_files SET content = X'00'")
	r.as(r.bob).want(1, []string{"altered in the database; not written"}, "evidence", "get", f2, hex.EncodeToString(sum[:]), "--out", out)
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an altered file was written: %v", err)
	}
	r.as(r.bob).want(0, nil, "review", "set", f2, "refuted", "--from", "alleged", "--reason", "the photo predates the moratorium")

	show := r.as(r.dave).want(0, nil, "review", "show", f1)
	for _, w := range []string{f1 + ": confirmed, revision 2, published", "alice", "alleged -> corroborated", "two outlets report it",
		"bob", "corroborated -> confirmed", "geolocation checked", "energy-moratorium-2025", "explanation:"} {
		if !strings.Contains(show, w) {
			t.Errorf("review show lacks %q:\n%s", w, show)
		}
	}
	show = r.as(r.alice).want(0, nil, "review", "show", f2)
	for _, w := range []string{"refuted", "crater.png sha256 " + hex.EncodeToString(sum[:]), "geolocation: 48.8512, 37.6031 by carol: skyline matched",
		"notes: the crater is from 2023"} {
		if !strings.Contains(show, w) {
			t.Errorf("review show lacks %q:\n%s", w, show)
		}
	}

	// A step on a state its author did not see is refused, naming whose
	// step came between; nothing changes.
	r.as(r.alice).want(1, []string{f1 + " is no longer as you saw it (corroborated)", "bob moved it from corroborated to confirmed at ", `("geolocation checked")`, "show it again"},
		"review", "set", f1, "inconclusive", "--from", "corroborated", "--reason", "second thoughts")
	r.as(r.alice).want(1, []string{"(confirmed at revision 1)", "is confirmed at revision 2"},
		"review", "set", f1, "inconclusive", "--from", "confirmed", "--revision", "1", "--reason", "second thoughts")
	r.as(r.alice).want(2, []string{"say what you decided on: --from STATUS and/or --revision N, as 'truce review show " + f1 + "' prints them"},
		"review", "set", f1, "inconclusive", "--reason", "second thoughts")
	r.as(r.alice).want(2, []string{`unknown --from status "confimed"`}, "review", "set", f1, "inconclusive", "--from", "confimed", "--reason", "r")

	// Who may act.
	r.as(r.dave).want(1, []string{"permission denied", `viewer "dave" may not review`}, "review", "set", f1, "alleged", "--from", "confirmed", "--reason", "r")
	r.as(r.carol).want(1, []string{`analyst "carol" may not review`}, "review", "set", f1, "alleged", "--from", "confirmed", "--reason", "r")
	r.as(r.dave).want(1, []string{`viewer "dave" may not add evidence`}, "evidence", "add", f1, "--notes", "n")
	r.as("").want(1, []string{"TRUCE_TOKEN is not set"}, "review", "list")
	r.as(r.root).want(0, nil, "user", "disable", "alice", "--reason", "left")
	r.as(r.alice).want(1, []string{`user "alice" is disabled`}, "review", "set", f1, "corroborated", "--from", "confirmed", "--reason", "reopen")
	r.as(r.alice).want(1, []string{`user "alice" is disabled`}, "evidence", "add", f1, "--notes", "n")

	// Mistakes of usage exit 2 and say what to write.
	r.as(r.bob).want(2, []string{`"finding/x" is not a review subject: write finding/ID or incident/ID`}, "review", "set", "finding/x", "alleged", "--from", "alleged", "--reason", "r")
	r.as(r.bob).want(2, []string{`unknown status "verified"`}, "review", "set", f1, "verified", "--from", "alleged", "--reason", "r")
	r.as(r.bob).want(2, []string{`required flag(s) "reason" not set`}, "review", "set", f1, "alleged")
	r.as(r.bob).want(2, []string{"--lat, --lon and --geo-method together"}, "evidence", "add", f1, "--lat", "48")
	r.as(r.bob).want(2, []string{"nothing to add"}, "evidence", "add", f1)
	r.as(r.bob).want(2, []string{`--url "example.org/x" is not an absolute URL`}, "evidence", "add", f1, "--url", "example.org/x")
	r.as(r.bob).want(1, []string{"finding/999 not found"}, "review", "set", "finding/999", "alleged", "--from", "alleged", "--reason", "r")
	r.as(r.bob).want(1, []string{"already refuted and not flagged for review"}, "review", "set", f2, "refuted", "--from", "refuted", "--reason", "again")

	// Evidence is superseded, never replaced.
	r.as(r.bob).want(0, nil, "evidence", "add", f2, "--notes", "the crater is from May 2023", "--supersedes", "1")
	out = r.as(r.bob).want(0, nil, "evidence", "list", f2, "--all")
	if !strings.Contains(out, "#1 ") || !strings.Contains(out, "(superseded by #2)") || !strings.Contains(out, "(supersedes #1)") {
		t.Errorf("evidence list --all:\n%s", out)
	}
	r.as(r.bob).want(1, []string{"already superseded by item 2"}, "evidence", "add", f2, "--notes", "x", "--supersedes", "1")
}

// An upstream edit sends findings back for review, and 'review show' puts
// the version judged beside the current one; a deletion is called out.
func TestReviewShowsUpstreamChanges(t *testing.T) {
	r := newReviewTeam(t)
	f1, f2 := r.subject(0), r.subject(1)
	r.as(r.alice).want(0, nil, "review", "set", f1, "corroborated", "--from", "alleged", "--reason", "matches the air force report")

	edited := editedStrikeRow(t, r.strikes, "2025-04-01")
	r.as(r.root).want(0, nil, "ingest", "--format", "strikes", "--progress", "never", edited)
	flagged := r.reviewList(t, r.alice, "--type", "finding", "--needs-review")
	if got := subjects(flagged); got != f1+" corroborated, "+f2+" alleged" {
		t.Fatalf("flagged after an upstream edit: %q", got)
	}

	oldN, newN := destroyedCounts(t, r.strikes, edited)
	wantDiff := func(t *testing.T, subj string) {
		t.Helper()
		show := r.as(r.alice).want(0, nil, "review", "show", subj)
		for _, w := range []string{"flagged for review", "changed upstream since judged", "version 1 (judged) -> version 2 (now)", "raw.destroyed", "  text:\n    judged: "} {
			if !strings.Contains(show, w) {
				t.Errorf("review show %s lacks %q:\n%s", subj, w, show)
			}
		}
		line := lineWith(show, "raw.destroyed")
		if !strings.Contains(line, oldN) || !strings.Contains(line, newN) || strings.Index(line, oldN) > strings.Index(line, newN) {
			t.Errorf("review show %s: %q does not give %s then %s", subj, line, oldN, newN)
		}
	}
	wantDiff(t, f1)
	wantDiff(t, f2)

	// Evaluation moves the findings on to version 2; no one has judged it,
	// so the difference still shows.
	r.as(r.root).want(0, nil, "evaluate")
	wantDiff(t, f1)
	wantDiff(t, f2)

	// Re-affirming at the current status judges version 2 and clears the
	// flag: nothing has changed since.
	r.as(r.bob).want(0, nil, "review", "set", f1, "corroborated", "--from", "corroborated", "--reason", "the count changed, not the strike")
	show := r.as(r.alice).want(0, nil, "review", "show", f1)
	if strings.Contains(show, "upstream since judged") || strings.Contains(show, "flagged for review") {
		t.Errorf("after re-affirming, show still reports a change:\n%s", show)
	}
	var js struct {
		Upstream struct {
			JudgedVersion int `json:"judged_version"`
			Version       int
		}
		Next []string
	}
	if err := json.Unmarshal([]byte(r.as(r.alice).want(0, nil, "review", "show", f1, "--output", "json")), &js); err != nil {
		t.Fatal(err)
	}
	if js.Upstream.JudgedVersion != 2 || js.Upstream.Version != 2 {
		t.Errorf("show --output json: %+v", js)
	}

	// Deleted upstream.
	dels := writeFile(t, "deleted.csv", "event_id_cnty,deleted_timestamp\n"+r.findings[0].SourceID+",1744000000\n")
	r.as(r.root).want(0, nil, "ingest", "--format", "strikes", "--deletions", dels)
	show = r.as(r.alice).want(0, nil, "review", "show", f1)
	for _, w := range []string{"DELETED upstream since judged", "version 2 (judged) -> version 3 (now)", "deleted upstream"} {
		if !strings.Contains(show, w) {
			t.Errorf("after a deletion, review show lacks %q:\n%s", w, show)
		}
	}

	if line := lineWith(show, "  deleted:"); line != "  deleted: false -> true" {
		t.Errorf("deleted field: %q", line)
	}
}

// destroyedCounts reads the destroyed column of the first data row of the
// original and the edited file, for the row editedStrikeRow changed.
func destroyedCounts(t *testing.T, original, edited string) (string, string) {
	t.Helper()
	read := func(name string) [][]string {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	ed := read(edited)
	col := -1
	for i, h := range ed[0] {
		if h == "destroyed" {
			col = i
		}
	}
	for _, row := range read(original)[1:] {
		same := true
		for i := range row {
			if i != col && row[i] != ed[1][i] {
				same = false
				break
			}
		}
		if same {
			return row[col], ed[1][col]
		}
	}
	t.Fatal("edited row not found in the original")
	return "", ""
}

func lineWith(text, part string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}

// Incidents go through the same workflow: listed with findings, shown with
// their members, published only with a verdict.
func TestReviewIncidentCommands(t *testing.T) {
	r := newReviewTeam(t)
	ctx := t.Context()
	st, err := backend.Open(ctx, r.db)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := st.GetEvent(ctx, r.findings[0].Source, r.findings[0].SourceID)
	if err != nil {
		t.Fatal(err)
	}
	incs, err := st.SaveIncidents(ctx, []incident.Incident{{
		TimeStart: ev.Time.Start, TimeEnd: ev.Time.End, Country: "UA", Grade: vocab.GradeWeak, GradeReason: json.RawMessage(`{"sources":1}`),
		Summary: "drone wave", Members: []incident.Membership{{Record: vocab.Ref{Kind: vocab.KindEvent, ID: ev.ID},
			Role: vocab.MemberReport, Reason: json.RawMessage(`{"seed":true}`)}},
	}}, "root")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	inc := fmt.Sprintf("incident/%d", incs[0].ID)
	f1, f2 := r.subject(0), r.subject(1)

	if got := subjects(r.reviewList(t, r.alice)); !strings.Contains(got, inc+" alleged") || !strings.Contains(got, f1+" alleged") || !strings.Contains(got, f2) {
		t.Errorf("monitor lists %q, want the incident and both findings", got)
	}
	if got := subjects(r.reviewList(t, r.alice, "--type", "incident")); got != inc+" alleged" {
		t.Errorf("--type incident lists %q", got)
	}
	show := r.as(r.carol).want(0, nil, "review", "show", inc)
	for _, w := range []string{inc + ": alleged, revision 0, not published", "grade weak", "drone wave", "members (1):", "report event " + fmt.Sprint(ev.ID) + " strikes/" + ev.SourceID} {
		if !strings.Contains(show, w) {
			t.Errorf("review show %s lacks %q:\n%s", inc, w, show)
		}
	}
	r.as(r.dave).want(1, []string{inc + " not found"}, "review", "show", inc)

	r.as(r.alice).want(0, nil, "review", "set", inc, "corroborated", "--from", "alleged", "--reason", "the air force report")
	r.as(r.alice).want(1, []string{"confirming needs a second reviewer: alice moved it to corroborated"}, "review", "set", inc, "confirmed", "--from", "corroborated", "--reason", "r")
	r.as(r.bob).want(0, nil, "review", "set", inc, "confirmed", "--from", "corroborated", "--reason", "video geolocated", "--yes")
	if got := subjects(r.reviewList(t, r.dave)); got != inc+" confirmed" {
		t.Errorf("viewer lists %q, want only the confirmed incident", got)
	}
	if got := subjects(r.reviewList(t, r.alice, "--status", "alleged")); got != f1+" alleged, "+f2+" alleged" {
		t.Errorf("--status alleged lists %q", got)
	}
	show = r.as(r.dave).want(0, nil, "review", "show", inc)
	if !strings.Contains(show, "corroborated -> confirmed") || !strings.Contains(show, "video geolocated") {
		t.Errorf("viewer's review show:\n%s", show)
	}

	// The member is edited upstream: the incident goes back for review,
	// out of the viewer's sight, and shows what changed.
	r.as(r.root).want(0, nil, "ingest", "--format", "strikes", "--progress", "never", editedStrikeRow(t, r.strikes, "2025-04-01"))
	r.as(r.dave).want(1, []string{inc + " not found"}, "review", "show", inc)
	show = r.as(r.alice).want(0, nil, "review", "show", inc)
	for _, w := range []string{inc + ": confirmed, revision 2, flagged for review", "member changed upstream, last change: event strikes/" + ev.SourceID + " version 1 -> version 2 (now)", "raw.destroyed"} {
		if !strings.Contains(show, w) {
			t.Errorf("review show %s after an upstream edit lacks %q:\n%s", inc, w, show)
		}
	}
}
