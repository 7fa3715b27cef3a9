package pipeline

import (
	"fmt"
	"strings"
	"sync"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/allege"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
)

// Parties maps the actor names of each source to party ids, from the alias
// tables of the agreements in use.
type Parties struct {
	byKind map[string]map[string]string // alias kind -> folded alias -> party
}

// NewParties builds the alias index of agreements. When two agreements map
// one alias to different parties the first keeps it: an alias is a fact
// about the source, and agreements are expected to agree on it.
func NewParties(ags ...*agreement.Agreement) *Parties {
	p := &Parties{byKind: map[string]map[string]string{}}
	for _, a := range ags {
		for _, party := range a.Parties {
			for kind, aliases := range party.Aliases {
				m := p.byKind[kind]
				if m == nil {
					m = map[string]string{}
					p.byKind[kind] = m
				}
				for _, alias := range aliases {
					k := strings.ToLower(strings.TrimSpace(alias))
					if _, taken := m[k]; !taken {
						m[k] = party.ID
					}
				}
			}
		}
	}
	return p
}

// Party returns the party an actor name stands for in a source kind.
func (p *Parties) Party(kind, name string) string {
	if p == nil {
		return ""
	}
	aliases := p.byKind[kind]
	if len(aliases) == 0 {
		return ""
	}
	name = strings.TrimSpace(name)
	// Most names are short and ASCII: lowered on the stack, looked up
	// without allocating (strings.ToLower allocated for each actor).
	var buf [64]byte
	if len(name) <= len(buf) {
		low := buf[:len(name)]
		ascii := true
		for i := 0; i < len(name); i++ {
			c := name[i]
			if c >= 0x80 {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[i] = c
		}
		if ascii {
			return aliases[string(low)]
		}
	}
	return aliases[strings.ToLower(name)]
}

// Enricher adds what parsers cannot know: target categories from the text,
// the admin-1 unit of the place, and the party behind each actor. It is
// safe for concurrent use: its parts are read-only once built.
type Enricher struct {
	classifier func() *classify.Classifier
	gazetteer  *geo.Gazetteer
	parties    *Parties
	// events reads acts from events' text (no party words: the codes name
	// the actors); claims, set by WithAllegations, reads a claims feed's.
	events func() *allege.Reader
	claims *allege.Reader
	places *placeMemo
}

// NewEnricher builds an enricher; parties may be nil (no agreement known).
func NewEnricher(c *classify.Classifier, g *geo.Gazetteer, p *Parties) *Enricher {
	e := &Enricher{classifier: func() *classify.Classifier { return c }, gazetteer: g, parties: p, places: &placeMemo{}}
	e.events = sync.OnceValue(e.eventReader)
	return e
}

// NewEnricherBuilding is NewEnricher with a classifier that build makes
// in the background, from now on, while the input is opened and its first
// records are read: compiling the dictionary is most of the start-up of
// `truce check`. The first record that needs it waits for it.
func NewEnricherBuilding(build func() *classify.Classifier, g *geo.Gazetteer, p *Parties) *Enricher {
	c := sync.OnceValue(build)
	e := &Enricher{classifier: c, gazetteer: g, parties: p, places: &placeMemo{}}
	e.events = sync.OnceValue(e.eventReader)
	go e.events() // builds the classifier first
	return e
}

func (e *Enricher) eventReader() *allege.Reader {
	r, err := allege.New(e.classifier(), e.gazetteer, nil)
	if err != nil {
		panic(fmt.Sprintf("pipeline: built-in allegation lexicon: %v", err)) // tested by package allege
	}
	return r
}

// ReadsClaims reports whether claims' acts are read from their text, so a
// claim's kind is known only after Claim.
func (e *Enricher) ReadsClaims() bool { return e.claims != nil }

// WithAllegations returns a copy of the enricher that reads each claim's
// text into allegations with the mapping's party words.
func (e *Enricher) WithAllegations(rule *mapped.AllegationRule) (*Enricher, error) {
	if rule == nil {
		return e, nil
	}
	r, err := allege.New(e.classifier(), e.gazetteer, rule.PartyWords)
	if err != nil {
		return nil, fmt.Errorf("allegations.party_words: %w", err)
	}
	c := *e
	c.claims = r
	return &c, nil
}

// Event enriches one event of format f in place.
func (e *Enricher) Event(f Format, ev *event.Event) {
	if f.TextField != "" && ev.Text != "" && len(ev.Targets) == 0 {
		ev.Targets = classify.MilitaryFuel(e.classifier().Classify(f.TextField, ev.Text, ev.Targets))
	}
	if f.TextField != "" && ev.Text != "" && ev.Allegations == nil {
		ev.Allegations = eventAllegations(e.events(), f, ev)
	}
	e.place(f, &ev.Place)
	for i := range ev.Actors {
		if ev.Actors[i].Party == "" {
			ev.Actors[i].Party = e.parties.Party(f.AliasKind, ev.Actors[i].Name)
		}
	}
}

// Claim enriches one claim in place. Claimant and accused are party ids
// already when the mapping gives constants; names are mapped through the
// claims aliases.
func (e *Enricher) Claim(f Format, c *event.Claim) {
	if c.Text != "" && len(c.Targets) == 0 {
		c.Targets = classify.MilitaryFuel(e.classifier().Classify(f.TextField, c.Text, c.Targets))
	}
	for i := range c.Places {
		e.place(f, &c.Places[i])
	}
	if p := e.parties.Party(f.AliasKind, c.Claimant); p != "" {
		c.Claimant = p
	}
	if p := e.parties.Party(f.AliasKind, c.Accused); p != "" {
		c.Accused = p
	}
	if e.claims != nil && c.Allegations == nil && c.Type != event.ClaimDenial {
		claimAllegations(e.claims, f, c)
	}
}

// place resolves the admin-1 unit: the source's admin1 name first, then
// the place name (a settlement or a region), and fills the country and,
// for a place known only by its region, the region's centroid.
func (e *Enricher) place(f Format, p *event.Place) {
	if p.Admin1ID != "" || e.gazetteer == nil {
		return
	}
	u, ok := e.places.resolve(e.gazetteer, f.Name == "acled", p.Admin1, p.Name)
	if !ok {
		return
	}
	p.Admin1ID = u.ID
	if p.Country == "" {
		p.Country = u.Country
	}
	if p.Lat == nil && (p.Precision == event.GeoAdmin1 || p.Precision == "") {
		lat, lon := u.Lat, u.Lon
		p.Lat, p.Lon = &lat, &lon
		if p.Precision == "" {
			p.Precision = event.GeoAdmin1
		}
	}
}

// placeMemo remembers how names resolved: a dataset repeats a few thousand
// admin-1 and place names over millions of rows, and most of them, outside
// the gazetteer's countries, miss after folding and stripping each one
// (a tenth of enriching an ACLED row). Safe for concurrent use; it stops
// growing at maxPlaceMemo names. A map under a lock: sync.Map's Load took
// 400 ns here.
type placeMemo struct {
	mu sync.RWMutex
	// m holds by ACLED's reading or not, then admin1, then place name:
	// maps keyed by strings hash and compare faster than by a struct of
	// them (which cost 500 ns a lookup).
	m [2]map[string]map[string]placeFound
	n int
}

const maxPlaceMemo = 1 << 16

type placeFound struct {
	u  geo.Admin1
	ok bool
}

// resolve is the admin-1 unit of a place: by the source's admin1 name
// first (ACLED's reading for ACLED), then by the place name.
func (pm *placeMemo) resolve(g *geo.Gazetteer, acled bool, admin1, name string) (geo.Admin1, bool) {
	reading := 0
	if acled {
		reading = 1
	}
	pm.mu.RLock()
	f, ok := pm.m[reading][admin1][name]
	pm.mu.RUnlock()
	if ok {
		return f.u, f.ok
	}
	if admin1 != "" {
		if acled {
			f.u, f.ok = g.ResolveACLED(admin1)
		} else {
			f.u, f.ok = g.Resolve(admin1)
		}
	}
	if !f.ok && name != "" {
		f.u, f.ok = g.Resolve(name)
	}
	pm.mu.Lock()
	defer pm.mu.Unlock()
	if pm.n >= maxPlaceMemo {
		return f.u, f.ok
	}
	if pm.m[reading] == nil {
		pm.m[reading] = map[string]map[string]placeFound{}
	}
	names := pm.m[reading][admin1]
	if names == nil {
		names = map[string]placeFound{}
		pm.m[reading][admin1] = names
	}
	if _, had := names[name]; !had {
		names[name] = f
		pm.n++
	}
	return f.u, f.ok
}
