package ac

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExpand(t *testing.T) {
	got, err := Expand("лини{я|и|} электропередач{и|}")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"лини электропередач", "лини электропередачи", "линии электропередач", "линии электропередачи", "линия электропередач", "линия электропередачи"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expand = %q, want %q", got, want)
	}
	for _, bad := range []string{"a{b", "a}b", "a{b{c}}", "{a|b}}"} {
		if _, err := Expand(bad); err == nil {
			t.Errorf("Expand(%q): want error", bad)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, bad := range []string{"", "  ", "-", "$", "a{b"} {
		if _, err := Compile([]string{"ok", bad}); err == nil {
			t.Errorf("Compile(%q): want error", bad)
		} else if !strings.Contains(err.Error(), "pattern 1") {
			t.Errorf("Compile(%q): error %q does not name the pattern", bad, err)
		}
	}
}

type span struct {
	P    int
	Text string
}

func scanSpans(m *Matcher, text string) []span {
	var out []span
	hits := m.Scan(text, nil)
	sortHits(hits)
	for _, h := range hits {
		out = append(out, span{h.Pattern, text[h.Start:h.End]})
	}
	return out
}

func TestScan(t *testing.T) {
	m, err := Compile([]string{
		"substation",            // 0 stem
		"tpp$",                  // 1 whole word
		"power line",            // 2 two words
		"подстанци",             // 3 Cyrillic stem
		"об'єкт{|и} енергетики", // 4 apostrophe + alternation
		"chp 0",                 // 5 digit class
		"лэп$",                  // 6
		"power plant",           // 7
		"nuclear power plant",   // 8 nested with 7
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       []span
	}{
		{"stem inflected", "Substations were hit", []span{{0, "Substation"}}},
		{"not inside a word", "the megasubstation", nil},
		{"whole word", "TPP-2 and TPPs", []span{{1, "TPP"}}},
		{"word at end of text", "near the tpp", []span{{1, "tpp"}}},
		{"separator run", "damaged power --  lines", []span{{2, "power --  line"}}},
		{"markdown and case", "**ПОДСТАНЦИЮ** и Подстанции", []span{{3, "ПОДСТАНЦИ"}, {3, "Подстанци"}}},
		{"apostrophes", "об’єкти енергетики; обʼєкт енергетики; об'єкт енергетики", []span{{4, "об’єкти енергетики"}, {4, "обʼєкт енергетики"}, {4, "об'єкт енергетики"}}},
		{"latin i in ukrainian", "пiдстанцiя", nil},
		{"digit class", "Kharkiv CHP-5 and the CHP party", []span{{5, "CHP-5"}}},
		{"combining accents split words", "ЛЭ\u0301П, sub\u0301station", nil},
		{"multi-byte separators", "«ЛЭП»\u00a0substation—power\u2009line 🔥tpp🔥", []span{{6, "ЛЭП"}, {0, "substation"}, {2, "power\u2009line"}, {1, "tpp"}}},
		{"nested", "Zaporizhzhia nuclear power plant", []span{{8, "nuclear power plant"}, {7, "power plant"}}},
		{"ё folds", "подстанцией", []span{{3, "подстанци"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		got := scanSpans(m, tt.text)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Scan(%q) = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"  Ёлка -- ПОДСТАНЦИЯ!": "елка подстанция",
		"Об’єкт":                "об єкт",
		"Kyiv  City":            "kyiv city",
		"Ї\u0301x":              "ї x",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// reference is a slow, obviously correct matcher over folded symbols.
func reference(patterns []string, text string) []Hit {
	type sym struct {
		c          uint8
		start, end int
	}
	syms := []sym{{clsSep, 0, 0}}
	for i, r := range text {
		c := classOf(r)
		if c == clsSep && syms[len(syms)-1].c == clsSep {
			continue
		}
		syms = append(syms, sym{c, i, i + utf8.RuneLen(r)})
	}
	if syms[len(syms)-1].c != clsSep {
		syms = append(syms, sym{clsSep, len(text), len(text)})
	}
	var out []Hit
	for pi, p := range patterns {
		vs, _ := Expand(p)
		for _, v := range vs {
			enc, word, _ := encode(v)
			for i := 0; i+len(enc) <= len(syms); i++ {
				ok := true
				for k, c := range enc {
					if syms[i+k].c != c {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				last := i + len(enc) - 1
				if word {
					last--
				}
				out = append(out, Hit{pi, syms[i+1].start, syms[last].end})
			}
		}
	}
	return out
}

func sortHits(h []Hit) {
	sort.Slice(h, func(i, j int) bool {
		if h[i].Start != h[j].Start {
			return h[i].Start < h[j].Start
		}
		if h[i].End != h[j].End {
			return h[i].End < h[j].End
		}
		return h[i].Pattern < h[j].Pattern
	})
}

func TestScanMatchesReference(t *testing.T) {
	patterns := []string{"ab", "abc$", "b c", "bc", "c$", "аб", "б в", "ab ab", "a1$", "ї", "еi", "i$"}
	m, err := Compile(patterns)
	if err != nil {
		t.Fatal(err)
	}
	alphabet := []string{"a", "b", "c", "A", "B", " ", "  ", "-", "1", "а", "б", "в", "Б", "ї", "Ї", "’", "\u0301", "\u00AD", "é", "€", "x", "ґ", "«", "ў", "\xff", "Ё", "і", "i", "🔥", "\u00a0"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		n := rng.IntN(12)
		if rng.IntN(4) == 0 {
			n = split2 + rng.IntN(400) // long enough to be cut in pieces
		}
		for k := n; k >= 0; k-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := b.String()
		got := m.Scan(text, nil)
		want := reference(patterns, text)
		sortHits(got)
		sortHits(want)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Scan(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestScanNoAlloc(t *testing.T) {
	m, err := Compile([]string{"substation", "подстанци"})
	if err != nil {
		t.Fatal(err)
	}
	var buf [8]Hit
	text := strings.Repeat("Russian forces shelled Kharkiv; обстріл міста ", 10)
	if n := testing.AllocsPerRun(100, func() { _ = m.Scan(text, buf[:0]) }); n != 0 {
		t.Errorf("Scan allocates %v times per run", n)
	}
}

// Malformed UTF-8 must never panic, and every hit must still read as its
// pattern.
func TestScanMalformed(t *testing.T) {
	m, err := Compile([]string{"ab", "б в", "аб$", "x y z"})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"\xd0", "\xd1", "\xe2\x80", "\xf0", "\x80", "\xbf", "а", "б", " ", "a", "b", "x y z", "\xff", "\xc2"}
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(400); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		for _, h := range m.Scan(text, nil) {
			if h.Start < 0 || h.End > len(text) || h.Start > h.End {
				t.Fatalf("Scan(%q): hit %v out of range", text, h)
			}
		}
	}
}
