package classify

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// sharedData finds <repo>/../shared/data by walking up to go.mod.
func sharedData(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data folder %s is absent: the labelled sample cannot be read", data)
	}
	return data
}

// readCSV reads a headed CSV file into maps keyed by column name.
func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var rows []map[string]string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		rows = append(rows, row)
	}
}

type labelled struct {
	source, file, key string
	protest           bool // an ACLED peaceful protest: never a violation, whatever it names
	text              string
	gold              []string
}

// loadLabelled joins testdata/labels.csv with the real rows it points to.
func loadLabelled(t *testing.T, data string) []labelled {
	labels, err := readCSV(filepath.Join("testdata", "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]map[string]string{}
	byID := map[string]map[string]string{}
	var out []labelled
	for n, l := range labels {
		file := l["file"]
		rows, ok := files[file]
		if !ok {
			rows, err = readCSV(filepath.Join(data, filepath.FromSlash(file)))
			if err != nil {
				t.Fatalf("labels.csv line %d: %v", n+2, err)
			}
			files[file] = rows
			for _, r := range rows {
				if id := r["event_id_cnty"]; id != "" {
					byID[file+"\x00"+id] = r
				}
			}
		}
		key := l["source_id_or_row_key"]
		var text string
		var protest bool
		switch l["source"] {
		case "acled":
			r, ok := byID[file+"\x00"+key]
			if !ok {
				t.Fatalf("labels.csv line %d: ACLED event %s not in %s", n+2, key, file)
			}
			text = r["notes"]
			protest = r["event_type"] == "Protests"
		case "mod_telegram":
			// Row index plus its datetime, so a reordered file fails loudly.
			idx, when, ok := strings.Cut(key, "@")
			i, err := strconv.Atoi(idx)
			if !ok || err != nil || i < 0 || i >= len(rows) {
				t.Fatalf("labels.csv line %d: bad row key %q for %s", n+2, key, file)
			}
			if rows[i]["datetime"] != when {
				t.Fatalf("labels.csv line %d: row %d of %s is dated %s, label says %s", n+2, i, file, rows[i]["datetime"], when)
			}
			text = rows[i]["text_snippet"]
		default:
			t.Fatalf("labels.csv line %d: unknown source %q", n+2, l["source"])
		}
		var gold []string
		for _, g := range strings.Split(l["energy_labels"], ";") {
			if g = strings.TrimSpace(g); g == "" {
				continue
			}
			if !taxonomy.Targets.Has(g) || !taxonomy.Covers("energy", g) {
				t.Fatalf("labels.csv line %d: %q is not an energy category", n+2, g)
			}
			gold = append(gold, g)
		}
		out = append(out, labelled{source: l["source"], file: filepath.Base(file), key: key, protest: protest, text: text, gold: gold})
	}
	return out
}

// leaves drops every id that has a descendant in the set: a text that says
// "energy facilities and substations" is about substations.
func leaves(ids []string) []string {
	var out []string
	for _, a := range ids {
		general := false
		for _, b := range ids {
			if a != b && taxonomy.Covers(a, b) {
				general = true
				break
			}
		}
		if !general && !contains(out, a) {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

type counts struct{ tp, fp, fn int }

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (c *counts) add(gold, pred bool) {
	switch {
	case gold && pred:
		c.tp++
	case pred:
		c.fp++
	case gold:
		c.fn++
	}
}

func coveredBy(cat string, ids []string) bool {
	for _, id := range ids {
		if taxonomy.Covers(cat, id) {
			return true
		}
	}
	return false
}

// TestPrecisionRecall measures the energy categories against hand labels of
// real rows (see docs/classifier.md for how the sample was drawn). Figures are
// in-sample: the vocabulary was written while reading the same sources.
func TestPrecisionRecall(t *testing.T) {
	data := sharedData(t)
	rows := loadLabelled(t, data)
	c := New()

	var cats []string
	for _, id := range taxonomy.Targets.IDs() {
		if taxonomy.Covers("energy", id) {
			cats = append(cats, id)
		}
	}
	perCat := map[string]*counts{}
	for _, id := range cats {
		perCat[id] = &counts{}
	}
	perFile := map[string]*counts{}
	var files []string
	var exact, inScope counts
	positives := 0
	var buf []event.Reason
	for _, r := range rows {
		buf = c.Classify("text", r.text, buf[:0])
		var pred []string
		for _, reason := range buf {
			if taxonomy.Covers("energy", reason.Term) {
				pred = append(pred, reason.Term)
			}
		}
		gold, predL := leaves(r.gold), leaves(pred)
		if len(gold) > 0 {
			positives++
		}
		if perFile[r.file] == nil {
			perFile[r.file] = &counts{}
			files = append(files, r.file)
		}
		perFile[r.file].add(len(gold) > 0, len(predL) > 0)
		if !r.protest {
			inScope.add(len(gold) > 0, len(predL) > 0)
		}
		for _, id := range cats {
			perCat[id].add(coveredBy(id, gold), coveredBy(id, predL))
		}
		for _, g := range gold {
			exact.add(true, contains(predL, g))
		}
		for _, p := range predL {
			if !contains(gold, p) {
				exact.fp++
			}
		}
		if strings.Join(gold, ";") != strings.Join(predL, ";") {
			var why []string
			for _, reason := range buf {
				if taxonomy.Covers("energy", reason.Term) {
					why = append(why, fmt.Sprintf("%s<-%q", reason.Term, reason.Match))
				}
			}
			t.Logf("disagree %-12s %-28s gold=%v pred=%v %s", r.source, r.key, gold, predL, strings.Join(why, " "))
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%d labelled rows, %d with an energy target\n", len(rows), positives)
	fmt.Fprintf(&b, "%-42s %5s %5s %5s %9s %7s\n", "category (hierarchical)", "TP", "FP", "FN", "precision", "recall")
	for _, id := range cats {
		k := perCat[id]
		fmt.Fprintf(&b, "%-42s %5d %5d %5d %9.3f %7.3f\n", id, k.tp, k.fp, k.fn, k.precision(), k.recall())
	}
	fmt.Fprintf(&b, "%-42s %5d %5d %5d %9.3f %7.3f\n", "exact leaf category (micro)", exact.tp, exact.fp, exact.fn, exact.precision(), exact.recall())
	for _, f := range files {
		k := perFile[f]
		fmt.Fprintf(&b, "%-42s %5d %5d %5d %9.3f %7.3f\n", "energy vs not, "+strings.TrimSuffix(f, ".csv"), k.tp, k.fp, k.fn, k.precision(), k.recall())
	}
	fmt.Fprintf(&b, "%-42s %5d %5d %5d %9.3f %7.3f\n", "energy vs not, without ACLED protests", inScope.tp, inScope.fp, inScope.fn, inScope.precision(), inScope.recall())
	t.Log(b.String())

	// Floors: what the vocabulary reaches on this sample, minus a margin, so
	// an edit that costs precision or recall fails here.
	energy := perCat["energy"]
	floors := []struct {
		name      string
		got, want float64
	}{
		{"energy precision", energy.precision(), 0.70},
		{"energy recall", energy.recall(), 0.88},
		{"exact category precision", exact.precision(), 0.67},
		{"exact category recall", exact.recall(), 0.85},
		{"energy precision without protests", inScope.precision(), 0.75},
		{"energy precision, MoD claims", perFile["mod_russia_posts_2023_2024.csv"].precision(), 0.87},
		{"energy recall, MoD claims", perFile["mod_russia_posts_2023_2024.csv"].recall(), 0.97},
	}
	for _, f := range floors {
		if f.got < f.want {
			t.Errorf("%s = %.3f, below the floor %.2f", f.name, f.got, f.want)
		}
	}
	if len(rows) < 300 {
		t.Errorf("only %d labelled rows, want at least 300", len(rows))
	}
}
