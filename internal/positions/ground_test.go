package positions

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// stance is one line of a hand-made case: "A a supports", "B a conditional b AND c".
func build(t testing.TB, terms []string, parties []string, stances ...string) *File {
	t.Helper()
	var b strings.Builder
	b.WriteString("format: 1\nid: case\ntitle: A case\nparties:\n")
	for _, p := range parties {
		fmt.Fprintf(&b, "  - {id: %s, name: %s}\n", p, p)
	}
	b.WriteString("terms:\n")
	for _, id := range terms {
		fmt.Fprintf(&b, "  - {id: %s, title: %s}\n", id, id)
	}
	b.WriteString("sources:\n  - {id: s, title: A source}\npositions:\n")
	for _, s := range stances {
		f := strings.SplitN(s, " ", 4)
		fmt.Fprintf(&b, "  - {party: %s, term: %s, date: 2025-03-18, stance: %s, source: s", f[0], f[1], f[2])
		if len(f) == 4 {
			fmt.Fprintf(&b, ", condition: %q", f[3])
		}
		b.WriteString("}\n")
	}
	file, err := Parse("case.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return file
}

var day = time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)

func ground(t testing.TB, f *File) Result {
	t.Helper()
	r, err := CommonGround(f.At(day))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func includes(r Result) [][]string {
	var out [][]string
	for _, p := range r.Packages {
		out = append(out, p.Include)
	}
	return out
}

func TestCommonGroundKnownAnswers(t *testing.T) {
	cases := []struct {
		name    string
		terms   []string
		stances []string
		want    [][]string // the maximal packages, largest first
		count   string
	}{
		{"none: each term rejected by someone", []string{"a", "b"},
			[]string{"A a supports", "B a rejects", "A b rejects", "B b supports"},
			[][]string{{}}, "1"},
		{"one: the supported term, without the rejected one", []string{"a", "b"},
			[]string{"A a supports", "B a supports", "A b supports", "B b rejects"},
			[][]string{{"a"}}, "2"},
		{"one, by a condition: b only with a", []string{"a", "b"},
			[]string{"A a supports", "B a supports", "A b supports", "B b conditional a"},
			[][]string{{"a", "b"}}, "3"}, // {}, {a}, {a,b}
		{"many: a only without b, b only without a", []string{"a", "b", "c"},
			[]string{"A a conditional NOT b", "B b conditional NOT a", "A c supports", "B c supports"},
			[][]string{{"a", "c"}, {"b", "c"}}, "6"}, // {},{a},{b},{c},{a,c},{b,c}
		{"contradictory conditions: a needs b and needs no b", []string{"a", "b"},
			[]string{"A a conditional b", "B a conditional NOT b", "A b supports", "B b supports"},
			[][]string{{"b"}}, "2"},
		{"contradiction within one condition", []string{"a", "b"},
			[]string{"A a conditional b AND NOT b", "B b supports"},
			[][]string{{"b"}}, "2"},
		{"condition on a term no one else mentions", []string{"a", "g", "idle"},
			[]string{"A a supports", "B a conditional g"},
			[][]string{{"a", "g"}}, "3"}, // g is on the table by the mention alone; idle is not
		{"mutual conditions", []string{"a", "b"},
			[]string{"A a conditional b", "B b conditional a"},
			[][]string{{"a", "b"}}, "2"}, // {} and {a,b}
		{"OR", []string{"a", "b", "c"},
			[]string{"A a conditional b OR c", "B b rejects", "B c supports", "A c supports"},
			[][]string{{"a", "c"}}, "3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ground(t, build(t, c.terms, []string{"A", "B"}, c.stances...))
			if got := includes(r); !slices.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("packages %v, want %v", got, c.want)
			}
			if r.Count != c.count {
				t.Errorf("count %s, want %s", r.Count, c.count)
			}
		})
	}
}

func TestUnknownStanceDoesNotBlockButIsShown(t *testing.T) {
	r := ground(t, build(t, []string{"a", "g", "idle"}, []string{"A", "B"}, "A a supports", "B a conditional g"))
	if slices.Contains(r.Terms, "idle") || !slices.Contains(r.Idle, "idle") {
		t.Errorf("terms %v idle %v: a term no one mentions is idle", r.Terms, r.Idle)
	}
	p := r.Packages[0]
	var unknown []string
	for _, u := range p.Unknown {
		unknown = append(unknown, u.Party+"/"+u.Term)
	}
	if !slices.Equal(unknown, []string{"A/g", "B/g"}) {
		t.Errorf("rests on %v, want A/g B/g", unknown)
	}
	if len(p.Met) != 1 || p.Met[0].Party != "B" || p.Met[0].Why != "g included" {
		t.Errorf("conditions met %+v", p.Met)
	}
}

func TestBlockedNamesPartyAndCondition(t *testing.T) {
	r := ground(t, build(t, []string{"a", "b", "c"}, []string{"A", "B"},
		"A a supports", "B a supports", "A b rejects", "B c conditional b"))
	if got := includes(r); !slices.EqualFunc(got, [][]string{{"a"}}, slices.Equal) {
		t.Fatalf("packages %v", got)
	}
	var got []string
	for _, b := range r.Blocked {
		for _, x := range b.Blocks {
			got = append(got, fmt.Sprintf("%v: %s %s %s %s [%s]", b.Include, x.Party, x.Stance, x.Term, x.Condition, x.Why))
		}
	}
	want := []string{
		"[a b c]: A rejects b  []",
		"[a b]: A rejects b  []",
		"[a c]: B conditional c b [b excluded]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("blocked\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestOpeningsWhenOnlyEmpty(t *testing.T) {
	r := ground(t, build(t, []string{"a", "b", "c"}, []string{"A", "B", "C"},
		"A a rejects", "B a rejects", "C b rejects", "A c conditional b", "B c rejects"))
	if !r.OnlyEmpty {
		t.Fatalf("want only the empty package, got %v", includes(r))
	}
	if !r.OpeningsExact || len(r.Openings) != 1 {
		t.Fatalf("openings %+v exact %v", r.Openings, r.OpeningsExact)
	}
	o := r.Openings[0]
	if len(o.Changes) != 1 || o.Changes[0].Party != "C" || o.Changes[0].Term != "b" || !slices.Equal(o.Include, []string{"b"}) {
		t.Errorf("opening %+v: want C's rejection of b, opening {b}", o)
	}
}

// The search agrees with brute force over every package on random files.
func TestCommonGroundAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		f := randomFile(t, rng, 2+n%7, 2+n%4)
		s := f.At(day)
		r, err := CommonGround(s)
		if err != nil {
			t.Fatal(err)
		}
		p := compile(s)
		var count int
		var acc []uint64
		for in := uint64(0); in < 1<<len(s.Terms); in++ {
			if in&^p.active == 0 && len(p.blocks(in)) == 0 {
				count++
				acc = append(acc, in)
			}
		}
		if r.Count != fmt.Sprint(count) {
			t.Fatalf("case %d: count %s, brute force %d", n, r.Count, count)
		}
		var want [][]string
		for _, m := range maximalSets(acc) {
			want = append(want, p.ids(m))
		}
		got := includes(r)
		slices.SortFunc(got, slices.Compare)
		slices.SortFunc(want, slices.Compare)
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("case %d: maximal %v, brute force %v", n, got, want)
		}
	}
}

// randomFile makes terms t0.. and parties P0.. with random stances and
// conditions of one to three terms, some negated.
func randomFile(t testing.TB, rng *rand.Rand, terms, parties int) *File {
	return randomFileOf(t, rng, terms, parties, profile{supports: 10, rejects: 2, conditional: 5, of: 20, negate: 4})
}

// profile is how often (out of of) a stance is drawn; negate is 1 in how
// many condition terms is negated.
type profile struct{ supports, rejects, conditional, of, negate int }

func randomFileOf(t testing.TB, rng *rand.Rand, terms, parties int, pr profile) *File {
	ids := make([]string, terms)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i)
	}
	ps := make([]string, parties)
	for i := range ps {
		ps[i] = fmt.Sprintf("P%d", i)
	}
	var stances []string
	for _, p := range ps {
		for i, id := range ids {
			switch x := rng.IntN(pr.of); {
			case x < pr.supports:
				stances = append(stances, p+" "+id+" supports")
			case x < pr.supports+pr.rejects:
				stances = append(stances, p+" "+id+" rejects")
			case x < pr.supports+pr.rejects+pr.conditional:
				var parts []string
				for range 1 + rng.IntN(3) {
					j := rng.IntN(terms)
					if j == i {
						continue
					}
					lit := ids[j]
					if rng.IntN(pr.negate) == 0 {
						lit = "NOT " + lit
					}
					parts = append(parts, lit)
				}
				if len(parts) > 0 {
					op := " AND "
					if rng.IntN(3) == 0 {
						op = " OR "
					}
					stances = append(stances, p+" "+id+" conditional "+strings.Join(parts, op))
				}
			}
		}
	}
	return build(t, ids, ps, stances...)
}

// The benchmark's files are the hard kind: rejections rare, so most terms
// stay on the table; one stance in four conditional on one to three other
// terms, one term in three negated, so that the acceptable packages are
// many and the maximal ones several.
func benchmarkGround(b *testing.B, terms int) {
	rng := rand.New(rand.NewPCG(7, uint64(terms)))
	f := randomFileOf(b, rng, terms, 10, profile{supports: 70, rejects: 1, conditional: 25, of: 100, negate: 3})
	s := f.At(day)
	b.ResetTimer()
	var r Result
	for range b.N {
		var err error
		if r, err = CommonGround(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Packages)), "maximal")
	b.ReportMetric(float64(len(r.Terms)), "on-table")
}

// The benchmark: 30 terms, 10 parties, under 1 s an operation;
// and the cost as terms grow.
func BenchmarkCommonGround(b *testing.B) {
	for _, n := range []int{10, 20, 30, 40} {
		b.Run(fmt.Sprintf("terms=%d/parties=10", n), func(b *testing.B) { benchmarkGround(b, n) })
	}
}

func TestMaximalSetsBits(t *testing.T) {
	got := maximalSets([]uint64{0b001, 0b011, 0b100, 0b010, 0})
	if !slices.Equal(got, []uint64{0b011, 0b100}) || bits.OnesCount64(got[0]) != 2 {
		t.Errorf("maximal %b", got)
	}
}
