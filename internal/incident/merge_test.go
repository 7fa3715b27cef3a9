package incident

import (
	"encoding/csv"
	"os"
	"testing"
)

// labelledPair is one row of testdata/merge_pairs.csv: two records of the
// shared samples and whether they describe one occurrence, labelled by
// reading both.
type labelledPair struct {
	a, b   string // "source:source_id"
	same   bool
	reason string
}

func readPairs(t *testing.T, name string) []labelledPair {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []labelledPair
	for i, r := range rows[1:] {
		if len(r) != 6 || (r[4] != "same" && r[4] != "different") || r[5] == "" {
			t.Fatalf("%s line %d: %q", name, i+2, r)
		}
		out = append(out, labelledPair{a: r[0] + ":" + r[1], b: r[2] + ":" + r[3], same: r[4] == "same", reason: r[5]})
	}
	return out
}

// stratum names the kind of pair, for the breakdown.
func stratum(p labelledPair) string {
	src := func(k string) string {
		for i := range k {
			if k[i] == ':' {
				return k[:i]
			}
		}
		return k
	}
	return src(p.a) + " / " + src(p.b)
}

// TestMergeQuality merges the shared samples (ACLED and UCDP GED Ukraine
// rows, the Air Force's daily strike reports, the Russian MoD's Telegram
// posts: 7,753 records) and scores "same incident" on the labelled pairs.
func TestMergeQuality(t *testing.T) {
	pairs := readPairs(t, "testdata/merge_pairs.csv")
	recs := loadSamples(t)
	res := Build(recs, nil, Defaults())
	cluster := map[string]int{}
	for ci, c := range res.Clusters {
		for _, m := range c.Members {
			cluster[m.Record.Key()] = ci
		}
	}
	type tally struct{ tp, fp, fn, tn int }
	var all tally
	by := map[string]*tally{}
	for _, p := range pairs {
		ca, okA := cluster[p.a]
		cb, okB := cluster[p.b]
		if !okA || !okB {
			t.Fatalf("labelled pair %s / %s: record not in the samples", p.a, p.b)
		}
		got := ca == cb
		s := by[stratum(p)]
		if s == nil {
			s = &tally{}
			by[stratum(p)] = s
		}
		for _, x := range []*tally{&all, s} {
			switch {
			case got && p.same:
				x.tp++
			case got:
				x.fp++
			case p.same:
				x.fn++
			default:
				x.tn++
			}
		}
		if got != p.same && testing.Verbose() {
			t.Logf("wrong: %s / %s labelled same=%v (%s)", p.a, p.b, p.same, p.reason)
		}
	}
	prec := float64(all.tp) / float64(max(1, all.tp+all.fp))
	rec := float64(all.tp) / float64(max(1, all.tp+all.fn))
	t.Logf("%d records, %d clusters; %d labelled pairs (%d same, %d different)",
		len(recs), len(res.Clusters), len(pairs), all.tp+all.fn, all.fp+all.tn)
	t.Logf("precision %.3f (%d/%d), recall %.3f (%d/%d)", prec, all.tp, all.tp+all.fp, rec, all.tp, all.tp+all.fn)
	for k, s := range by {
		t.Logf("  %-50s tp %3d fp %3d fn %3d tn %3d", k, s.tp, s.fp, s.fn, s.tn)
	}
	if len(pairs) < 150 || all.tp+all.fn < 50 || all.fp+all.tn < 50 {
		t.Errorf("labelled set too small or one-sided: %d pairs", len(pairs))
	}
	// Measured: precision 1.000 (65/65), recall 0.707 (65/92) on 218 pairs.
	const minPrecision, minRecall = 0.95, 0.65
	if prec < minPrecision || rec < minRecall {
		t.Errorf("precision %.3f, recall %.3f: below the floors %.2f, %.2f", prec, rec, minPrecision, minRecall)
	}
}
