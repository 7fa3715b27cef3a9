package cli

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Control characters in what users and sources wrote (file names, notes,
// reasons, URLs) reach the terminal escaped, never raw.
func TestPrintedDataIsEscaped(t *testing.T) {
	r := newReviewTeam(t)
	f1 := r.subject(0)
	const hostile = "\x1b]0;owned\x07\x1b[2J\u202e"
	name := filepath.Join(t.TempDir(), "crater"+hostile+".png")
	if err := os.WriteFile(name, []byte("\x89PNG\r\n\x1a\n a crater"), 0o644); err != nil {
		t.Fatal(err)
	}
	eve := r.alice // user names allow no control characters at all
	outputs := map[string]string{
		"evidence add": r.as(eve).want(0, nil, "evidence", "add", f1, "--file", name, "--notes", "notes"+hostile, "--chronolocation", "dawn"+hostile),
		"review set":   r.as(eve).want(0, nil, "review", "set", f1, "inconclusive", "--from", "alleged", "--reason", "reason"+hostile),
	}
	for _, args := range [][]string{
		{"review", "show", f1}, {"review", "list"}, {"evidence", "list", f1}, {"audit", "list"},
	} {
		outputs[strings.Join(args, " ")] = r.as(r.root).want(0, nil, args...)
	}
	for what, out := range outputs {
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s prints control characters raw:\n%q", what, out)
		}
	}
	for what, want := range map[string]string{
		"evidence add":        `crater\x1b]0;owned\x07\x1b[2J\u202e.png`,
		"review show " + f1:   `reason\x1b]0;owned\x07\x1b[2J\u202e`,
		"evidence list " + f1: `notes\x1b]0;owned\x07\x1b[2J\u202e`,
		"audit list":          `dawn\u001b]0;owned\u0007\u001b[2J\u202e`,
	} {
		if !strings.Contains(outputs[what], want) {
			t.Errorf("%s lacks %q:\n%s", what, want, outputs[what])
		}
	}
	// Errors quote what they were given, escaped too.
	code, _, errOut := r.as(r.root).run("review", "show", "finding/"+hostile)
	if code != 2 || strings.ContainsAny(errOut, "\x1b\x07\u202e") {
		t.Errorf("error printed raw (exit %d): %q", code, errOut)
	}
}

// An agreement file is input too: a title with terminal controls is refused
// when the file is read (strictyaml), and the refusal itself prints them
// escaped, never raw.
func TestAgreementShowEscapes(t *testing.T) {
	src, err := os.ReadFile(moratorium)
	if err != nil {
		t.Fatal(err)
	}
	const title = "\ntitle: 30-day moratorium on strikes against energy infrastructure (March-April 2025)\n"
	hostile := strings.Replace(string(src), title, "\ntitle: \"\\e]0;owned\\a\\e[2J\\u202e moratorium\"\n", 1)
	if hostile == string(src) {
		t.Fatal("no title line to replace")
	}
	file := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(file, []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, filepath.Join(t.TempDir(), "t.db"), "agreement", "show", file)
	if code != 1 || !strings.Contains(errOut, "title: contains the control character \\x1b") {
		t.Fatalf("agreement show: exit %d: %s", code, errOut)
	}
	if strings.ContainsAny(out+errOut, "\x1b\x07\u202e") {
		t.Errorf("agreement show printed a control character:\n%q\n%q", out, errOut)
	}
}

// A zip member's name is chosen by whoever made the archive: the messages
// that name it (its rows' errors, the refusal) reach the terminal escaped.
func TestIngestMessagesEscaped(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("evil\x1b[2J\u202e.csv")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("not,a,known\nformat,at,all\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, filepath.Join(t.TempDir(), "t.db"), "ingest", "--format", "acled", file)
	if code == 0 || !strings.Contains(errOut, `evil\x1b[2J\u202e.csv`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.ContainsAny(out+errOut, "\x1b\u202e") {
		t.Errorf("ingest printed a control character raw:\n%q\n%q", out, errOut)
	}
	// A member that imports is named in the summary on stdout: escaped too.
	buf.Reset()
	zw = zip.NewWriter(&buf)
	w, _ = zw.Create("ok\x1b[2J.csv")
	sample, err := os.ReadFile("../../examples/evidence/moratorium-2025-claims.csv")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(sample)
	zw.Close()
	os.WriteFile(file, buf.Bytes(), 0o644)
	code, out, errOut = run(t, filepath.Join(t.TempDir(), "t.db"), "ingest", "--format", "claims",
		"--mapping", "../../examples/mappings/scenario-claims.yaml", file)
	if code != 0 || strings.ContainsAny(out+errOut, "\x1b") || !strings.Contains(out, `ok\x1b[2J.csv`) {
		t.Errorf("exit %d:\n%q\n%q", code, out, errOut)
	}
}
