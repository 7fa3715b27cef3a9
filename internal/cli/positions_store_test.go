package cli

import (
	"fmt"
	"strings"
	"testing"
)

// Imported positions are versioned by the store, and the commands answer
// from a stored version (--set) as they do from the file (--file): the
// same use cases.
func TestPositionsImportAndStoredSet(t *testing.T) {
	db := t.TempDir() + "/t.db"
	code, out, errOut := run(t, db, "positions", "import", bundledPositions)
	if code != 0 || out != "stored ceasefire-positions-2025 version 1\n" {
		t.Fatalf("import: exit %d %q %s", code, out, errOut)
	}
	if code, out, _ = run(t, db, "positions", "import", bundledPositions); code != 0 || out != "unchanged ceasefire-positions-2025 version 1\n" {
		t.Fatalf("import again: exit %d %q", code, out)
	}
	edited := writeFile(t, "edited.yaml", mustRead(t, bundledPositions)+"# edited\n")
	if code, out, _ = run(t, db, "positions", "import", edited); code != 0 || out != "stored ceasefire-positions-2025 version 2\n" {
		t.Fatalf("import edited: exit %d %q", code, out)
	}
	if code, out, _ = run(t, db, "positions", "list"); code != 0 || !strings.Contains(out, "ceasefire-positions-2025  2 ") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	for _, cmd := range [][]string{
		{"common-ground", "--at", "2025-03-18"},
		{"matrix", "--at", "2025-03-27", "--party", "GB,FR"},
		{"timeline"},
	} {
		_, fromFile, _ := run(t, db, append(append([]string{"positions"}, cmd...), "--file", bundledPositions)...)
		code, fromStore, errOut := run(t, db, append(append([]string{"positions"}, cmd...), "--set", "ceasefire-positions-2025", "--version", "1")...)
		fromFile = strings.ReplaceAll(fromFile, bundledPositions, "ceasefire-positions-2025")
		if code != 0 || fromStore != fromFile || fromStore == "" {
			t.Errorf("%v from the store (exit %d, %s) differs from the file:\n%s\n---\n%s", cmd, code, errOut, fromStore, fromFile)
		}
	}
	code, _, errOut = run(t, db, "positions", "timeline", "--set", "elsewhere")
	if code != 1 || !strings.Contains(errOut, `positions "elsewhere" are not in the store (truce positions import FILE`) {
		t.Errorf("unknown set: exit %d: %s", code, errOut)
	}
	code, _, errOut = run(t, db, "positions", "timeline", "--set", "x", "--file", bundledPositions)
	if code != 2 || !strings.Contains(errOut, "give --file or --set, not both") {
		t.Errorf("both: exit %d: %s", code, errOut)
	}
}

// Many maximal packages: the largest --top are printed, then how many more.
func TestPositionsGroundTop(t *testing.T) {
	var b strings.Builder
	b.WriteString("format: 1\nid: pairs\ntitle: Pairs\nparties: [{id: P, name: P}]\nterms:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "  - {id: a%d, title: a}\n  - {id: b%d, title: b}\n", i, i)
	}
	b.WriteString("sources: [{id: s, title: S}]\npositions:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "  - {party: P, term: a%d, date: 2025-03-18, stance: conditional, condition: NOT b%d, source: s}\n", i, i)
		fmt.Fprintf(&b, "  - {party: P, term: b%d, date: 2025-03-18, stance: conditional, condition: NOT a%d, source: s}\n", i, i)
	}
	file := writeFile(t, "pairs.yaml", b.String())
	db := t.TempDir() + "/none.db"
	code, out, errOut := run(t, db, "positions", "common-ground", "--file", file, "--at", "2025-03-18", "--top", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"81, the empty one included; 16 maximal", "\n3. 4 term(s)", "... and 13 more maximal package(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\n4. ") {
		t.Errorf("printed more than --top 3:\n%s", out)
	}
	if code, _, errOut = run(t, db, "positions", "common-ground", "--file", file, "--at", "2025-03-18", "--top=1001"); code != 2 || !strings.Contains(errOut, "top 1001: want 1 to 1000") {
		t.Errorf("--top 1001: exit %d %s", code, errOut)
	}
}
