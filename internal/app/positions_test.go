package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/positions"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

const bundledPositions = "../../examples/positions/ceasefire-2025.yaml"

func readPositions(t *testing.T) app.PositionsFile {
	t.Helper()
	src, err := os.ReadFile(bundledPositions)
	if err != nil {
		t.Fatal(err)
	}
	f, err := app.ParsePositions(bundledPositions, src, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Importing positions takes the right to import once the store has users;
// the store numbers the versions; a set or version not stored is not found.
func TestImportPositions(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	f := readPositions(t)
	for _, created := range []bool{true, false} {
		done, err := a.ImportPositions(ctx, []app.PositionsFile{f})
		if err != nil || len(done) != 1 || done[0].Created != created || done[0].Version != 1 || done[0].ID != "ceasefire-positions-2025" {
			t.Fatalf("import: %+v, %v; want version 1, created %v", done, err, created)
		}
	}
	st := a.Store()
	for _, u := range []auth.User{{Name: "mo", Role: vocab.RoleMonitor}, {Name: "vi", Role: vocab.RoleViewer}, {Name: "ann", Role: vocab.RoleAnalyst}} {
		if _, err := st.AddUser(ctx, u, "test"); err != nil {
			t.Fatal(err)
		}
	}
	edited := f
	edited.Source = append(append([]byte(nil), f.Source...), "# edited\n"...)
	if _, err := a.ImportPositions(ctx, []app.PositionsFile{edited}); app.KindOf(err) != app.KindUnauthenticated {
		t.Errorf("import without a token: %v (kind %v)", err, app.KindOf(err))
	}
	for _, who := range []string{"mo", "vi"} {
		if _, err := a.As(addToken(t, st, who)).ImportPositions(ctx, []app.PositionsFile{edited}); app.KindOf(err) != app.KindDenied {
			t.Errorf("import as %s: %v (kind %v), want denied", who, err, app.KindOf(err))
		}
	}
	done, err := a.As(addToken(t, st, "ann")).ImportPositions(ctx, []app.PositionsFile{edited})
	if err != nil || done[0].Version != 2 || !done[0].Created {
		t.Fatalf("import as an analyst: %+v, %v", done, err)
	}
	vs, err := a.PositionsVersions(ctx, "ceasefire-positions-2025")
	if err != nil || len(vs) != 2 || vs[0].StoredBy != app.LocalActor || vs[1].StoredBy != "ann" || vs[0].Hash == vs[1].Hash {
		t.Errorf("versions: %+v, %v", vs, err)
	}
	sets, err := a.PositionSets(ctx)
	if err != nil || len(sets) != 1 || sets[0].Version != 2 {
		t.Errorf("sets: %+v, %v", sets, err)
	}
	for _, q := range []app.PositionsQuery{{ID: "nope"}, {ID: "ceasefire-positions-2025", Version: 3}} {
		_, err := a.PositionsTimeline(ctx, q)
		if app.KindOf(err) != app.KindNotFound || !errors.Is(err, app.ErrPositionsNotStored) {
			t.Errorf("%+v: %v (kind %v), want not found", q, err, app.KindOf(err))
		}
	}
	if _, err := a.PositionsVersions(ctx, "nope"); app.KindOf(err) != app.KindNotFound {
		t.Errorf("versions of a set not stored: %v", err)
	}
}

// A stored version answers as the file does; the mistakes of a request are
// invalid, those of its wording (date, party, term, top) argument errors.
func TestPositionsUseCases(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	f := readPositions(t)
	if _, err := a.ImportPositions(ctx, []app.PositionsFile{f}); err != nil {
		t.Fatal(err)
	}
	q := app.PositionsQuery{ID: "ceasefire-positions-2025"}
	req := app.MatrixRequest{At: "2025-03-18", Parties: []string{"RU", "UA"}, Terms: []string{"ceasefire-30d", "arms-pause"}}
	stored, err := a.PositionsMatrix(ctx, q, req)
	if err != nil {
		t.Fatal(err)
	}
	file, err := app.PositionsMatrixOf(f.File, req)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Set == nil || stored.Set.Version != 1 || !sameJSON(t, stored.Cells, file.Cells) || len(stored.Cells) != 4 {
		t.Errorf("stored matrix %+v differs from the file's %+v", stored, file)
	}
	if c := stored.Cell(0, 0); c.Party != "RU" || c.Term != "ceasefire-30d" || c.Condition != "verification AND mobilisation-halt AND arms-pause" || c.Since != "2025-03-18" {
		t.Errorf("RU on the ceasefire: %+v", c)
	}
	if c := stored.Cell(1, 1); c.Party != "UA" || c.Stance != positions.Rejects || c.Source != "zelensky-2025-03-15" {
		t.Errorf("UA on the arms pause: %+v", c)
	}
	g, err := a.PositionsGround(ctx, q, app.GroundRequest{At: "2025-03-18"})
	if err != nil || g.Count != "16" || len(g.Packages) != 1 || g.MorePackages != 0 {
		t.Fatalf("common ground: %+v, %v", g, err)
	}
	tl, err := a.PositionsTimeline(ctx, q)
	if err != nil || len(tl.Steps) != len(f.File.Dates()) {
		t.Fatalf("timeline: %d steps, %v", len(tl.Steps), err)
	}

	for _, c := range []struct {
		name     string
		err      error
		argument bool
		want     string
	}{
		{"no date", errOf(a.PositionsGround(ctx, q, app.GroundRequest{})), true, "a date is required"},
		{"not a date", errOf(a.PositionsGround(ctx, q, app.GroundRequest{At: "18.3.2025"})), true, `date "18.3.2025"`},
		{"too early", errOf(a.PositionsGround(ctx, q, app.GroundRequest{At: "2025-01-01"})), false, "its first position is dated 2025-02-12"},
		{"top", errOf(a.PositionsGround(ctx, q, app.GroundRequest{At: "2025-03-18", Top: -1})), true, "top -1: want 1 to 1000"},
		{"party", errOf(a.PositionsMatrix(ctx, q, app.MatrixRequest{At: "2025-03-18", Parties: []string{"UK"}})), true, `unknown party "UK"`},
		{"term", errOf(a.PositionsMatrix(ctx, q, app.MatrixRequest{At: "2025-03-18", Terms: []string{"truce"}})), true, `unknown term "truce"`},
	} {
		var arg *app.ArgumentError
		if app.KindOf(c.err) != app.KindInvalid || errors.As(c.err, &arg) != c.argument || !strings.Contains(fmt.Sprint(c.err), c.want) {
			t.Errorf("%s: %v (kind %v), want invalid (argument %v) saying %q", c.name, c.err, app.KindOf(c.err), c.argument, c.want)
		}
	}
}

// The largest packages are kept, the rest counted; a search past its time
// is refused as too entangled, not answered in part.
func TestPositionsGroundBounds(t *testing.T) {
	f := pairsFile(t, 15) // 2^15 maximal packages
	g, err := app.PositionsGroundOf(t.Context(), f, app.GroundRequest{At: "2025-03-18", Top: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Packages) != 3 || g.MorePackages != 1<<15-3 || len(g.Packages[2].Include) != 15 {
		t.Errorf("%d packages shown, %d more; want 3 and %d", len(g.Packages), g.MorePackages, 1<<15-3)
	}
	ctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	_, err = app.PositionsGroundOf(ctx, f, app.GroundRequest{At: "2025-03-18"})
	if app.KindOf(err) != app.KindInvalid || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(fmt.Sprint(err), "stopped at its time limit (10s at most)") {
		t.Errorf("past its time: %v (kind %v)", err, app.KindOf(err))
	}
	_, err = app.PositionsGroundOf(t.Context(), pairsFile(t, 17), app.GroundRequest{At: "2025-03-18"})
	if app.KindOf(err) != app.KindInvalid || !errors.Is(err, positions.ErrTooHard) {
		t.Errorf("too many packages: %v (kind %v)", err, app.KindOf(err))
	}
}

// pairsFile is n pairs of terms "a only without b, b only without a".
func pairsFile(t *testing.T, n int) *positions.File {
	t.Helper()
	var b strings.Builder
	b.WriteString("format: 1\nid: pairs\ntitle: Pairs\nparties: [{id: P, name: P}]\nterms:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: a%d, title: a}\n  - {id: b%d, title: b}\n", i, i)
	}
	b.WriteString("sources: [{id: s, title: S}]\npositions:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {party: P, term: a%d, date: 2025-03-18, stance: conditional, condition: NOT b%d, source: s}\n", i, i)
		fmt.Fprintf(&b, "  - {party: P, term: b%d, date: 2025-03-18, stance: conditional, condition: NOT a%d, source: s}\n", i, i)
	}
	f, err := positions.Parse("pairs.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func errOf[T any](_ T, err error) error { return err }

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}
