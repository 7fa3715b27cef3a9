package match

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// Matcher checks records against compiled commitments. It is immutable once
// built and safe for concurrent use.
type Matcher struct {
	units []unit
	// blocks is the number of 64-unit words in the bit sets below.
	blocks int
	// kindBits and targetBits give, per taxonomy id, the units whose kind or
	// target clause the id satisfies; anyTarget the units with no target
	// list. They answer two clauses for every unit with one lookup.
	kindBits, targetBits *idIndex
	// broaderBits gives, per target id, the units that prohibit some of its
	// narrower categories but not all of it: "energy facility" against a
	// list of energy categories may or may not be one of them.
	broaderBits *idIndex
	// textKinds are the units that prohibit a kind an event's text may
	// allege (package allege): strikes. For Relevant.
	textKinds []uint64
	anyTarget []uint64
	// allow is how many failing clauses a record may have and still give a
	// result: 1 with near misses, 0 without.
	allow int
	// zones are the agreements' time zones, used to name the zone whose
	// midnight a day-precision span starts at.
	zones []*time.Location
	// released holds, per agreement id and party, the earliest confirmed
	// violation; nil until WithViolations.
	released map[string]map[string]Violation
}

// compiled is what every unit of one agreement shares.
type compiled struct {
	id      string
	version int
	release bool // counterparty_may_withdraw
	parties []string
	// alias maps an actor name, exactly as a source writes it, to a party:
	// the fallback when the record was not enriched at ingest.
	alias map[string]string
	// aliasKind maps an alias, as written and case-folded, to its source
	// kind and party, to say "via acled alias" in explanations.
	aliasKind map[string]aliasOf
}

type aliasOf struct{ kind, party string }

// unit is one commitment under one reading, compiled for the hot path.
type unit struct {
	ag      *compiled
	reading string
	window  agreement.Resolved
	loc     *time.Location
	// The window and the instants near enough to it for a time near miss,
	// in Unix nanoseconds; an open end is MaxInt64.
	inForce            bool
	start, end         int64
	nearStart, nearEnd int64
	commitment         string
	bound              []string
	kindList           []string
	anyTarget          bool
	targetLst          []string // the commitment's categories plus those they cover completely
	// implied are the broader categories added to targetLst because the
	// commitment lists all their subcategories (the breadth rule).
	implied  map[string][]string
	geo      scope
	except   []exception
	wordOnly []string // ids of exceptions stated only in words
	// Texts every explanation of the unit repeats, written once.
	windowTxt, boundTxt, kindsTxt, targetsTxt, geoTxt string
	// elsewhere are the parties bound by other commitments of the same
	// reading; see the package comment on party near misses.
	elsewhere []string
}

type exception struct {
	id      string
	kinds   []string
	targets []string
	geo     *scope
}

// New compiles every reading of the agreements.
func New(ags ...*agreement.Agreement) (*Matcher, error) {
	return NewWith(Options{}, ags...)
}

// NewWith compiles the agreements with options.
func NewWith(opt Options, ags ...*agreement.Agreement) (*Matcher, error) {
	m := &Matcher{allow: 1}
	if opt.NoNearMisses {
		m.allow = 0
	}
	near := opt.NearTime
	if near <= 0 {
		near = DefaultNearTime
	}
	seenZone := map[string]bool{"UTC": true}
	m.zones = append(m.zones, time.UTC)
	for _, a := range ags {
		if a == nil {
			continue
		}
		terms, err := termsOf(a, opt.Reading)
		if err != nil {
			return nil, fmt.Errorf("agreement %s v%d: %w", a.ID, a.Version, err)
		}
		ag := compileAgreement(a)
		for _, t := range terms {
			loc, err := time.LoadLocation(t.Window.TimeZone)
			if err != nil {
				return nil, fmt.Errorf("agreement %s reading %s: time zone %q: %w", a.ID, t.Reading, t.Window.TimeZone, err)
			}
			if !seenZone[loc.String()] {
				seenZone[loc.String()] = true
				m.zones = append(m.zones, loc)
			}
			for i := range t.Commitments {
				u, err := compileUnit(ag, t, i, loc, opt.ResolveAdmin1)
				if err != nil {
					return nil, fmt.Errorf("agreement %s reading %s commitment %s: %w", a.ID, t.Reading, t.Commitments[i].ID, err)
				}
				u.setWindow(near)
				u.setTexts()
				m.units = append(m.units, u)
			}
		}
	}
	m.index()
	return m, nil
}

// NotInForce names, as "agreement/reading/commitment", each commitment
// whose window has no start under a reading: records never match it.
func (m *Matcher) NotInForce() []string {
	var out []string
	for i := range m.units {
		if u := &m.units[i]; u.window.Start.IsZero() {
			out = append(out, u.ag.id+"/"+u.reading+"/"+u.commitment)
		}
	}
	return out
}

// termsOf returns the terms to evaluate: every reading, or one party's.
func termsOf(a *agreement.Agreement, reading string) ([]agreement.Terms, error) {
	if reading == "" {
		return a.AllTerms()
	}
	t, err := a.TermsFor(reading)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", reading, err)
	}
	return []agreement.Terms{t}, nil
}

func compileAgreement(a *agreement.Agreement) *compiled {
	ag := &compiled{
		id: a.ID, version: a.Version,
		release:   a.Release != nil && a.Release.Kind == agreement.ReleaseCounterpartyMayWithdraw,
		alias:     map[string]string{},
		aliasKind: map[string]aliasOf{},
	}
	// Aliases of parties only: a mediator is never bound, so its actors
	// need no mapping here.
	for _, p := range a.Parties {
		ag.parties = append(ag.parties, p.ID)
		for kind, names := range p.Aliases {
			for _, n := range names {
				n = strings.TrimSpace(n)
				if _, taken := ag.alias[n]; !taken {
					ag.alias[n] = p.ID
				}
				for _, k := range []string{n, strings.ToLower(n)} {
					if _, taken := ag.aliasKind[k]; !taken {
						ag.aliasKind[k] = aliasOf{kind, p.ID}
					}
				}
			}
		}
	}
	return ag
}

func compileUnit(ag *compiled, t agreement.Terms, i int, loc *time.Location, resolve func(string) (string, bool)) (unit, error) {
	c := &t.Commitments[i]
	u := unit{
		ag: ag, reading: t.Reading, window: t.Window, loc: loc, commitment: c.ID,
		bound:     c.Bound,
		kindList:  c.Prohibited.Kinds,
		anyTarget: len(c.Prohibited.Targets) == 0,
	}
	u.targetLst, u.implied = taxonomy.Targets.Closure(c.Prohibited.Targets)
	var err error
	if u.geo, err = compileScope(c.Geography, resolve); err != nil {
		return unit{}, fmt.Errorf("geography: %w", err)
	}
	for _, x := range c.Exceptions {
		g, err := compileScope(x.Geography, resolve)
		if err != nil {
			return unit{}, fmt.Errorf("exception %s: geography: %w", x.ID, err)
		}
		if len(x.Kinds) == 0 && len(x.Targets) == 0 && g.empty() {
			u.wordOnly = append(u.wordOnly, x.ID)
			continue
		}
		e := exception{id: x.ID, kinds: x.Kinds, targets: x.Targets}
		if !g.empty() {
			e.geo = &g
		}
		u.except = append(u.except, e)
	}
	for j := range t.Commitments {
		if j == i {
			continue
		}
		for _, p := range t.Commitments[j].Bound {
			if !contains(u.bound, p) && !contains(u.elsewhere, p) {
				u.elsewhere = append(u.elsewhere, p)
			}
		}
	}
	return u, nil
}

func (u *unit) setWindow(near time.Duration) {
	w := u.window
	if w.Start.IsZero() {
		return
	}
	u.inForce = true
	u.start, u.nearStart = w.Start.UnixNano(), w.Start.Add(-near).UnixNano()
	u.end, u.nearEnd = math.MaxInt64, math.MaxInt64
	if !w.End.IsZero() {
		u.end, u.nearEnd = w.End.UnixNano(), w.End.Add(near).UnixNano()
	}
}

func (u *unit) setTexts() {
	if u.inForce {
		end := "open end"
		if !u.window.End.IsZero() {
			end = u.window.End.In(u.loc).Format(minuteLayout)
		}
		u.windowTxt = u.reading + " reading window " + u.window.Start.In(u.loc).Format(minuteLayout) + " .. " + end + " " + u.loc.String()
	}
	u.boundTxt = strings.Join(u.bound, ", ")
	u.kindsTxt = strings.Join(u.kindList, ", ")
	u.targetsTxt = strings.Join(u.targetLst[:len(u.targetLst)-len(u.implied)], ", ")
	u.geoTxt = u.geo.text()
}

// index builds the bit sets of kinds and targets over all units.
func (m *Matcher) index() {
	m.blocks = (len(m.units) + 63) / 64
	m.kindBits = bitsOf(m.units, m.blocks, taxonomy.Kinds, func(u *unit) []string { return u.kindList })
	m.textKinds = make([]uint64, m.blocks)
	for _, k := range []string{"strike", "strike.air", "strike.drone", "strike.missile", "strike.artillery"} {
		if km := lookupBits(m.kindBits, k); km != nil {
			for b := range km {
				m.textKinds[b] |= km[b]
			}
		}
	}
	m.targetBits = bitsOf(m.units, m.blocks, taxonomy.Targets, func(u *unit) []string { return u.targetLst })
	m.broaderBits = broaderOf(m.units, m.blocks)
	m.anyTarget = make([]uint64, m.blocks)
	for i := range m.units {
		if m.units[i].anyTarget {
			m.anyTarget[i/64] |= 1 << (i % 64)
		}
	}
}

func bitsOf(units []unit, blocks int, v *taxonomy.Vocabulary, list func(*unit) []string) *idIndex {
	out := map[string][]uint64{}
	for _, id := range v.IDs() {
		set := make([]uint64, blocks)
		for i := range units {
			if _, ok := taxonomy.CoveredBy(id, list(&units[i])); ok {
				set[i/64] |= 1 << (i % 64)
			}
		}
		out[id] = set
	}
	return newIDIndex(out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scope is a compiled geography. Every part given must hold (countries AND
// regions AND polygon); an empty scope is everywhere.
type scope struct {
	countries []string
	// admin1IDs are ISO 3166-2 ids, written as such or resolved from names;
	// admin1Names are the names as written, compared case-insensitively.
	admin1IDs   []string
	admin1Names []string
	admin1Desc  []string // as written, for explanations
	polys       []polygon
	polyType    string
}

var iso31662 = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)

func compileScope(g *agreement.Geography, resolve func(string) (string, bool)) (scope, error) {
	var s scope
	if g == nil {
		return s, nil
	}
	s.countries = g.Countries
	for _, a := range g.Admin1 {
		a = strings.TrimSpace(a)
		s.admin1Desc = append(s.admin1Desc, a)
		if iso31662.MatchString(a) {
			s.admin1IDs = append(s.admin1IDs, a)
			continue
		}
		s.admin1Names = append(s.admin1Names, a)
		if resolve != nil {
			if id, ok := resolve(a); ok && id != "" {
				s.admin1IDs = append(s.admin1IDs, id)
			}
		}
	}
	if g.Polygon != nil {
		polys, err := decodePolygon(g.Polygon)
		if err != nil {
			return s, err
		}
		s.polys, s.polyType = polys, g.Polygon.Type
	}
	return s, nil
}

func (s *scope) empty() bool {
	return len(s.countries) == 0 && len(s.admin1Desc) == 0 && len(s.polys) == 0
}

// broaderOf indexes, per target id, the units that list a strictly
// narrower category and do not cover the id itself.
func broaderOf(units []unit, blocks int) *idIndex {
	out := map[string][]uint64{}
	for _, id := range taxonomy.Targets.IDs() {
		set := make([]uint64, blocks)
		for i := range units {
			u := &units[i]
			if u.anyTarget {
				continue
			}
			if _, covered := taxonomy.CoveredBy(id, u.targetLst); covered {
				continue
			}
			if _, ok := narrower(id, u.targetLst); ok {
				set[i/64] |= 1 << (i % 64)
			}
		}
		out[id] = set
	}
	return newIDIndex(out)
}

// narrower returns the first of list that id strictly covers.
func narrower(id string, list []string) (string, bool) {
	for _, t := range list {
		if t != id && taxonomy.Covers(id, t) {
			return t, true
		}
	}
	return "", false
}
