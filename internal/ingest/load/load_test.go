package load

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/sqlite"
)

type rig struct {
	t   *testing.T
	ctx context.Context
	st  store.Store
	enr *pipeline.Enricher
	dir string
	// rejects, when set, receives the bad rows of importFile.
	rejects *pipeline.RejectsFile
}

func newRig(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ag, err := agreement.ParseFile("../../../examples/agreements/energy-moratorium-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, ctx: context.Background(), st: st, dir: dir,
		enr: pipeline.NewEnricher(classify.New(), geo.Builtin(), pipeline.NewParties(ag))}
}

func (r *rig) importFile(path string, strict bool) (Summary, error) {
	r.t.Helper()
	in, err := openOne(path, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	defer in.Close()
	f, _ := pipeline.Lookup("acled")
	return ImportFile(r.ctx, r.st, in, r.enr, Options{Format: f, Strict: strict, Rejects: r.rejects})
}

// ukraineRows returns the header and rows of the real ACLED Ukraine sample.
func ukraineRows(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open(ingesttest.File(t, "acled-sample-acledR", "acled_sample_ukraine_2022H1.csv"))
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

func writeCSV(t *testing.T, path string, rows [][]string) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(rows)
	f.Close()
	return path
}

func col(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	panic(name)
}

func TestImportIdempotentAndUpstreamEdit(t *testing.T) {
	r := newRig(t)
	rows := ukraineRows(t)
	orig := writeCSV(t, filepath.Join(r.dir, "v1.csv"), rows)

	sum, err := r.importFile(orig, false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 690 || sum.New != 690 || sum.Rejected != 0 {
		t.Fatalf("first import %+v", sum)
	}
	sum, err = r.importFile(orig, false)
	if err != nil || sum.New != 0 || sum.Unchanged != 690 || sum.Updated != 0 {
		t.Fatalf("second import of the same file %+v %v", sum, err)
	}

	// Upstream edit of one record: new version, old one kept.
	notes, id := col(rows[0], "notes"), col(rows[0], "event_id_cnty")
	edited := rows[1][id]
	rows[1][notes] += " A substation was damaged."
	v2 := writeCSV(t, filepath.Join(r.dir, "v2.csv"), rows)
	sum, err = r.importFile(v2, false)
	if err != nil || sum.Updated != 1 || sum.Unchanged != 689 {
		t.Fatalf("import with one edit %+v %v", sum, err)
	}
	cur, err := r.st.GetEvent(r.ctx, "acled", edited)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := r.st.EventHistory(r.ctx, "acled", edited)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history %v %v", hist, err)
	}
	if cur.Version != 2 || hist[0].Version != 1 || !strings.HasSuffix(cur.Text, "substation was damaged.") || strings.Contains(hist[0].Text, "substation was damaged") {
		t.Errorf("current v%d %q, old v%d", cur.Version, cur.Text, hist[0].Version)
	}
	// The edit is classified: the new words give an energy category, with its reason.
	found := false
	for _, tr := range cur.Targets {
		if tr.Term == "energy.electricity.transmission" && tr.Field == "notes" && strings.EqualFold(tr.Match, "substation") {
			found = true
		}
	}
	if !found {
		t.Errorf("edited event targets %+v", cur.Targets)
	}
	// Parties mapped through the agreement's ACLED aliases; place resolved.
	if cur.Actors[0].Party == "" || cur.Place.Admin1ID == "" {
		t.Errorf("actors %+v place %+v", cur.Actors, cur.Place)
	}
}

func TestImportBadRowsAndStrict(t *testing.T) {
	r := newRig(t)
	rows := ukraineRows(t)
	date := col(rows[0], "event_date")
	rows[5][date] = "2022-02-30"
	rows[9][date] = "yesterday"
	bad := writeCSV(t, filepath.Join(r.dir, "bad.csv"), rows)

	// Strict: the first bad row fails the file, and nothing is written.
	_, err := r.importFile(bad, true)
	if !errors.Is(err, ErrStrict) || !strings.Contains(err.Error(), `bad.csv:6: field "event_date"`) {
		t.Fatalf("strict import: %v", err)
	}
	if n, _ := r.st.CountEvents(r.ctx, store.EventFilter{}); n != 0 {
		t.Fatalf("strict import left %d events", n)
	}

	sum, err := r.importFile(bad, false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 690 || sum.New != 688 || sum.Rejected != 2 {
		t.Fatalf("summary %+v", sum)
	}
	if m, _ := filepath.Glob(filepath.Join(r.dir, "*rejects*")); len(m) != 0 {
		t.Fatalf("without a rejects file asked for, %v written", m)
	}
	// --rejects FILE: written there, and only if it does not exist yet.
	rp := filepath.Join(r.dir, "rejects.csv")
	if r.rejects, err = pipeline.CreateRejectsFile(rp); err != nil {
		t.Fatal(err)
	}
	if _, err := r.importFile(bad, false); err != nil {
		t.Fatal(err)
	}
	if err := r.rejects.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.CreateRejectsFile(rp); err == nil {
		t.Fatal("an existing rejects file was opened again")
	}
	link := filepath.Join(r.dir, "planted.csv")
	if err := os.Symlink(filepath.Join(r.dir, "victim"), link); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.CreateRejectsFile(link); err == nil {
		t.Fatal("a rejects file was written through a planted symlink")
	}
	if _, err := os.Stat(filepath.Join(r.dir, "victim")); err == nil {
		t.Fatal("the symlink's target was created")
	}
	f, err := os.Open(rp)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rej, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 3 || rej[1][1] != "6" || rej[1][2] != "event_date" || rej[1][4] != "2022-02-30" || rej[2][1] != "10" || !strings.Contains(rej[1][5], rows[5][col(rows[0], "event_id_cnty")]) {
		t.Fatalf("rejects file:\n%v", rej)
	}
}

func TestImportClaimsNeverInventsEvents(t *testing.T) {
	r := newRig(t)
	path := ingesttest.File(t, "russian-mod-telegram-2023-2024", "mod_russia_posts_2023_2024.csv")
	m, err := loadMapping("../../../examples/mappings/mod-russia-telegram.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := openOne(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	f, _ := pipeline.Lookup("claims")
	sum, err := ImportFile(r.ctx, r.st, in, r.enr, Options{Format: f, Mapping: m})
	if err != nil || sum.New != 3452 {
		t.Fatalf("%+v %v", sum, err)
	}
	if n, _ := r.st.CountEvents(r.ctx, store.EventFilter{}); n != 0 {
		t.Errorf("a claims feed created %d events", n)
	}
	if n, _ := r.st.CountClaims(r.ctx, store.EventFilter{}); n != 3452 {
		t.Errorf("%d claims stored", n)
	}
}

func loadMapping(path string) (*mapped.Mapping, error) { return mapped.Load(path) }

// The progress line quotes what a name could hold to move the cursor.
func TestProgressString(t *testing.T) {
	p := pipeline.Progress{File: "a\x1b[2J.csv", Bytes: 1e6, Size: 4e6, Rows: 20, Elapsed: 2 * time.Second}
	want := `a\x1b[2J.csv: 1.0 MB of 4.0 MB (25%), 0.5 MB/s, 20 rows, 10 rows/s`
	if got := p.String(); got != want {
		t.Errorf("progress line %q, want %q", got, want)
	}
}

// openOne opens a path that holds one input.
func openOne(path string, stdin io.Reader) (*pipeline.Input, error) {
	ins, err := pipeline.Open(context.Background(), path, stdin, pipeline.Limits{})
	if err != nil {
		return nil, err
	}
	if len(ins) != 1 {
		return nil, fmt.Errorf("%s: %d inputs, want 1", path, len(ins))
	}
	return ins[0], nil
}
