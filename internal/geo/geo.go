// Package geo resolves place names to first-level administrative units
// (Ukraine's oblasts, Crimea, Kyiv and Sevastopol, and the Russian regions
// that appear in strike reports and claims).
//
// Names are compared after folding (case, ё/е, apostrophes, hyphens) and after
// dropping words such as "oblast", "область", "обл.", "krai", "Republic of".
// Free text is searched with the same single-pass matcher as the target
// classifier (package classify/ac), with Russian and Ukrainian inflections
// written as stems: Брянской, Брянська, Брянщина.
package geo

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/truce-monitor/truce/internal/classify/ac"
)

// Admin1 is a first-level administrative unit.
type Admin1 struct {
	ID      string  `json:"id"`      // ISO 3166-2, e.g. "UA-14", "RU-BEL"
	Country string  `json:"country"` // ISO 3166-1 alpha-2
	Name    string  `json:"name"`    // English
	NameUK  string  `json:"name_uk"`
	NameRU  string  `json:"name_ru"`
	Lat     float64 `json:"lat"` // approximate centroid
	Lon     float64 `json:"lon"`
}

// Match is a region mention found in free text.
type Match struct {
	Admin1 Admin1
	Start  int // byte offsets of the mention in the text
	End    int
	Text   string // the words as they appear
}

// Gazetteer maps names to admin-1 units. Builtin returns a ready one; Load
// adds names and shapes from files. Reads are safe for concurrent use once
// loading is done; Load itself must not run concurrently with anything else.
type Gazetteer struct {
	units   []Admin1
	byID    map[string]int
	raw     map[string]int         // names exactly as registered: no folding, no allocation
	names   map[string]int         // folded exact names and aliases
	short   map[string]int         // the same with "oblast", "область"... dropped
	places  map[string]map[int]int // folded settlement name -> unit -> rows
	shapes  [][]polygon            // per unit, from GeoJSON
	matcher *ac.Matcher
	patUnit []int // matcher pattern -> unit
}

// Builtin returns a gazetteer of the built-in units. Each call builds a new
// one from immutable tables.
func Builtin() *Gazetteer {
	g := &Gazetteer{
		byID:   map[string]int{},
		raw:    map[string]int{},
		names:  map[string]int{},
		short:  map[string]int{},
		places: map[string]map[int]int{},
	}
	var patterns []string
	for i, s := range builtin {
		g.units = append(g.units, Admin1{ID: s.id, Country: s.country, Name: s.en, NameUK: s.uk, NameRU: s.ru, Lat: s.lat, Lon: s.lon})
		g.byID[s.id] = i
		for _, p := range s.text {
			patterns = append(patterns, p)
			g.patUnit = append(g.patUnit, i)
		}
	}
	g.shapes = make([][]polygon, len(g.units))
	// Exact names and aliases first, so that "Kyiv" stays the city when
	// "Kyiv Oblast" loses its "oblast" below.
	for i, s := range builtin {
		g.addName(s.id, i)
		for _, n := range append([]string{s.en, s.uk, s.ru}, s.aliases...) {
			g.addName(n, i)
		}
	}
	m, err := ac.Compile(patterns)
	if err != nil {
		panic(fmt.Sprintf("geo: built-in patterns: %v", err)) // covered by tests
	}
	g.matcher = m
	return g
}

// addName registers a name for unit i. The first unit to claim a name keeps it.
func (g *Gazetteer) addName(name string, i int) {
	if _, taken := g.raw[name]; !taken {
		g.raw[name] = i
	}
	f := normName(name)
	if f == "" {
		return
	}
	if _, taken := g.names[f]; !taken {
		g.names[f] = i
	}
	if s := stripAdminWords(f); s != "" {
		if _, taken := g.short[s]; !taken {
			g.short[s] = i
		}
	}
}

// Units returns the units in table order.
func (g *Gazetteer) Units() []Admin1 { return append([]Admin1(nil), g.units...) }

// ByID returns the unit with the given ISO 3166-2 code.
func (g *Gazetteer) ByID(id string) (Admin1, bool) {
	i, ok := g.byID[strings.ToUpper(strings.TrimSpace(id))]
	if !ok {
		return Admin1{}, false
	}
	return g.units[i], true
}

// Resolve finds the unit a name refers to: an ISO code, a name or alias in
// English, Ukrainian or Russian with or without "oblast"/"область"/"krai",
// a settlement from a loaded GeoNames file, or, failing those, a name whose
// region mentions (as ResolveInText finds them) all agree. A bare "Kyiv" is
// the city; see ResolveACLED for ACLED's reading.
func (g *Gazetteer) Resolve(name string) (Admin1, bool) {
	// Dataset values repeat the same few spellings: most resolve here
	// without folding, and so without allocating.
	if i, ok := g.raw[name]; ok {
		return g.units[i], true
	}
	if len(name) <= 8 && strings.IndexByte(name, '-') > 0 {
		if u, ok := g.ByID(name); ok {
			return u, true
		}
	}
	f := normName(name)
	if f == "" {
		return Admin1{}, false
	}
	if i, ok := g.names[f]; ok {
		return g.units[i], true
	}
	s := stripAdminWords(f)
	if i, ok := g.names[s]; ok {
		return g.units[i], true
	}
	if i, ok := g.short[s]; ok {
		return g.units[i], true
	}
	if i, ok := g.place(s); ok {
		return g.units[i], true
	}
	found := -1
	for _, m := range g.resolveInText(name) {
		if found >= 0 && m != found {
			return Admin1{}, false
		}
		found = m
	}
	if found < 0 {
		return Admin1{}, false
	}
	return g.units[found], true
}

// ResolveACLED resolves an ACLED admin1 value. ACLED names Kyiv Oblast
// "Kyiv" and the city "Kyiv City"; every other value resolves as usual.
func (g *Gazetteer) ResolveACLED(admin1 string) (Admin1, bool) {
	if admin1 == "Kyiv" {
		return g.ByID("UA-32")
	}
	if i, ok := g.raw[admin1]; ok {
		return g.units[i], true
	}
	if normName(admin1) == "kyiv" {
		return g.ByID("UA-32")
	}
	return g.Resolve(admin1)
}

// place resolves a settlement to the unit with most postal codes under that
// name: "Бровари" is a city in Kyiv Oblast and a village in Khmelnytskyi.
func (g *Gazetteer) place(f string) (int, bool) {
	votes := g.places[f]
	best, bestN, tie := -1, 0, false
	for u, n := range votes {
		switch {
		case n > bestN:
			best, bestN, tie = u, n, false
		case n == bestN:
			tie = true
		}
	}
	return best, best >= 0 && !tie
}

// ResolveInText returns the region mentions in text, in order. A mention
// inside a longer one is dropped: "Kyiv Oblast" is the oblast, not also the
// city, and "Білгород-Дністровський" is in Odesa Oblast, not Belgorod.
func (g *Gazetteer) ResolveInText(text string) []Match {
	var buf [16]ac.Hit
	hits := g.matcher.Scan(text, buf[:0])
	var out []Match
	for _, h := range g.keep(hits) {
		out = append(out, Match{Admin1: g.units[g.patUnit[h.Pattern]], Start: h.Start, End: ac.WordEnd(text, h.End), Text: text[h.Start:ac.WordEnd(text, h.End)]})
	}
	return out
}

func (g *Gazetteer) resolveInText(text string) []int {
	var buf [16]ac.Hit
	var out []int
	for _, h := range g.keep(g.matcher.Scan(text, buf[:0])) {
		out = append(out, g.patUnit[h.Pattern])
	}
	return out
}

// keep drops contained hits and repeats of the same unit at the same place,
// and orders the rest by position.
func (g *Gazetteer) keep(hits []ac.Hit) []ac.Hit {
	out := hits[:0:0]
	for _, h := range hits {
		inside := ac.Contained(h, hits)
		dup := false
		for _, o := range out {
			if o.Start == h.Start && g.patUnit[o.Pattern] == g.patUnit[h.Pattern] {
				dup = true
				break
			}
		}
		if !inside && !dup {
			out = append(out, h)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Start < out[j-1].Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// normName folds a name for lookup: apostrophes and combining marks dropped,
// lower case, ё as е, separators as single spaces.
func normName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', 'ʼ', '‘', '`', '´', 'ʹ':
			return -1
		}
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
	return ac.Fold(s)
}

// adminWords are dropped from either end of a name before lookup.
var adminWords = map[string]bool{
	"oblast": true, "oblasti": true, "obl": true, "region": true, "province": true,
	"krai": true, "kray": true, "republic": true, "of": true, "the": true,
	"autonomous": true, "city": true, "ar": true,
	"область": true, "области": true, "обл": true, "край": true, "республика": true,
	"республики": true, "автономная": true, "город": true, "г": true,
	"області": true, "республіка": true, "автономна": true, "місто": true, "м": true,
}

func stripAdminWords(f string) string {
	words := strings.Fields(f)
	for len(words) > 0 && adminWords[words[0]] {
		words = words[1:]
	}
	for len(words) > 0 && adminWords[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}
