package pipeline

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/geo"
)

// The memo answers as the gazetteer does, remembered or not, and stops
// growing at its bound.
func TestPlaceMemoResolvesAsTheGazetteer(t *testing.T) {
	g := geo.Builtin()
	cases := []struct {
		acled        bool
		admin1, name string
	}{
		{true, "Kyiv", "Kyiv"},            // ACLED's Kyiv is the oblast
		{false, "Kyiv", ""},               // elsewhere the city
		{true, "Donetsk", "Bakhmut"},      // by admin1
		{true, "Nowhere Land", "Kherson"}, // admin1 misses, the place resolves
		{true, "Northern", "Minakulu"},    // neither
		{false, "", ""},
	}
	direct := func(acled bool, admin1, name string) (geo.Admin1, bool) {
		var u geo.Admin1
		var ok bool
		if admin1 != "" {
			if acled {
				u, ok = g.ResolveACLED(admin1)
			} else {
				u, ok = g.Resolve(admin1)
			}
		}
		if !ok && name != "" {
			u, ok = g.Resolve(name)
		}
		return u, ok
	}
	full := &placeMemo{n: maxPlaceMemo}
	fresh := &placeMemo{}
	for _, pm := range []*placeMemo{fresh, full} {
		for round := range 2 {
			for _, c := range cases {
				u, ok := pm.resolve(g, c.acled, c.admin1, c.name)
				wu, wok := direct(c.acled, c.admin1, c.name)
				if ok != wok || u.ID != wu.ID {
					t.Errorf("round %d, %+v: got %q %v, want %q %v", round, c, u.ID, ok, wu.ID, wok)
				}
			}
		}
	}
	if u, ok := full.resolve(g, true, "Kyiv", ""); !ok || u.ID != "UA-32" {
		t.Errorf("ACLED's Kyiv: got %q %v, want UA-32", u.ID, ok)
	}
	if fresh.n != len(cases) {
		t.Errorf("the memo holds %d places, want the %d asked", fresh.n, len(cases))
	}
	if full.n != maxPlaceMemo || full.m[0] != nil || full.m[1] != nil {
		t.Errorf("a full memo grew to %d names: %v", full.n, full.m)
	}
}

// Party finds an alias whatever the case and spacing of the name, ASCII
// or not, and nothing for an unknown kind or name.
func TestPartiesFold(t *testing.T) {
	p := &Parties{byKind: map[string]map[string]string{"acled": {
		"military forces of russia (2000-)": "RU", "збройні сили україни": "UA",
	}}}
	for name, want := range map[string]string{
		"Military Forces of Russia (2000-)":    "RU",
		"  MILITARY FORCES OF RUSSIA (2000-) ": "RU",
		"Збройні Сили України":                 "UA",
		"Military Forces of Ukraine":           "",
		strings.Repeat("a", 100):               "",
	} {
		if got := p.Party("acled", name); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
	if got := p.Party("ucdp", "Military Forces of Russia (2000-)"); got != "" {
		t.Errorf("another kind's alias: %q", got)
	}
	if got := (*Parties)(nil).Party("acled", "x"); got != "" {
		t.Errorf("no parties: %q", got)
	}
}
