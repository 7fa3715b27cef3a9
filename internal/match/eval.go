package match

import (
	"math/bits"
	"strings"

	"github.com/truce-monitor/truce/internal/event"
)

// outcome is a clause's result before any words are written.
type outcome uint8

const (
	holds outcome = iota
	maybe
	fails
)

// maxParties bounds the parties one record can accuse; more is not seen in
// any source and would only repeat a result.
const maxParties = 4

// attribution is who the record makes the actor under one commitment.
type attribution struct {
	n      int
	party  [maxParties]string
	actor  [maxParties]int // index into Actors, -1 for a claim
	unsure bool            // from side_a/side_b: who acted is unknown
	// other is an acting party that is mapped but not bound here.
	other      string
	otherActor int
}

func (a *attribution) add(party string, actor int) {
	for i := 0; i < a.n; i++ {
		if a.party[i] == party {
			return
		}
	}
	if a.n < maxParties {
		a.party[a.n], a.actor[a.n] = party, actor
		a.n++
	}
}

// roleSide classifies an actor role.
type roleSide uint8

const (
	acting roleSide = iota
	receiving
	eitherSide
)

// sideOf says which side a role stands on. Roles on the receiving end are a
// closed list; any other role a mapping names is taken as acting, since
// mappings name perpetrators far more often than victims.
func sideOf(role string) roleSide {
	switch role {
	case "actor2", "assoc_actor_2", "target":
		return receiving
	case "side_a", "side_b":
		return eitherSide
	}
	return acting
}

// probe is one unit's clause outcomes for one record.
type probe struct {
	kind, target, place, time, party outcome
	pos                              Position
	fails                            int
}

func (p *probe) fail(c *outcome) { *c = fails; p.fails++ }

// placed records the place clause's outcome and reports whether the probe
// may still give a result.
func (p *probe) placed(o outcome, allow int) bool {
	if p.place = o; o == fails {
		p.fails++
	}
	return p.fails <= allow
}

// span is a record's time as nanoseconds, converted once per record.
type span struct {
	start, end int64
	known      bool
}

func spanOf(s event.Span) span {
	if s.Start.IsZero() {
		return span{}
	}
	sp := span{start: s.Start.UnixNano(), known: true}
	sp.end = sp.start + 1 // an instant
	if s.End.After(s.Start) {
		sp.end = s.End.UnixNano()
	}
	return sp
}

// selection is the units a record can touch, one bit per unit: those whose
// kind and target clauses both hold, plus, with near misses, those where
// one of the two holds. Two map lookups per record decide it for every
// unit at once, which is what keeps an unrelated event cheap.
//
// A record whose target the source does not record at all carries the
// target "unknown" (the daily strike reports name regions, never
// facilities): for units that list targets it may hold, and unsure bits
// say so.
func (m *Matcher) selection(block int, kind string, targets []event.Reason) (sel, kinds, tgts, unsure uint64) {
	if km := lookupBits(m.kindBits, kind); km != nil {
		kinds = km[block]
	}
	tgts = m.anyTarget[block]
	unknown := false
	for i := range targets {
		if targets[i].Term == unknownTarget {
			unknown = true
			continue
		}
		if targets[i].Inferred {
			// Read from a consequence: evidence of a hit, never proof.
			if tm := lookupBits(m.targetBits, targets[i].Term); tm != nil {
				unsure |= tm[block]
			}
			if bm := m.broaderBits.get(targets[i].Term); bm != nil {
				unsure |= bm[block]
			}
			continue
		}
		if tm := lookupBits(m.targetBits, targets[i].Term); tm != nil {
			tgts |= tm[block]
		}
		if bm := m.broaderBits.get(targets[i].Term); bm != nil {
			unsure |= bm[block]
		}
	}
	if unknown {
		unsure |= m.blockMask(block)
	}
	unsure &^= tgts
	tgts |= unsure
	if m.allow > 0 {
		return kinds | tgts, kinds, tgts, unsure
	}
	return kinds & tgts, kinds, tgts, unsure
}

// unknownTarget is the taxonomy's category for a target the source does not
// record.
const unknownTarget = "unknown"

// blockMask has a bit for every unit of a block.
func (m *Matcher) blockMask(block int) uint64 {
	n := len(m.units) - block*64
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}

// lookupBits finds the unit bits of a taxonomy id. An id outside the
// taxonomy takes its nearest known ancestor's bits: "strike.foo" is still
// prohibited where "strike" is.
func lookupBits(idx *idIndex, id string) []uint64 {
	for id != "" {
		if v := idx.get(id); v != nil {
			return v
		}
		i := strings.LastIndexByte(id, '.')
		if i < 0 {
			return nil
		}
		id = id[:i]
	}
	return nil
}

// idIndex maps the ids of a vocabulary to unit bits. The vocabularies are
// small and fixed, so an open-addressed table probed by length and three
// bytes, confirmed by one string comparison, does what a map does at a
// fraction of the cost of hashing the whole id.
type idIndex struct {
	mask  uint32
	slots []idSlot
}

type idSlot struct {
	id   string
	bits []uint64 // never nil in a used slot
}

func newIDIndex(m map[string][]uint64) *idIndex {
	n := 8
	for n < 4*len(m) {
		n <<= 1
	}
	x := &idIndex{mask: uint32(n - 1), slots: make([]idSlot, n)}
	for id, b := range m {
		if b == nil {
			b = []uint64{}
		}
		h := idHash(id) & x.mask
		for x.slots[h].bits != nil {
			h = (h + 1) & x.mask
		}
		x.slots[h] = idSlot{id, b}
	}
	return x
}

func idHash(s string) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(s[n-1])*0x85EBCA6B ^ uint32(s[n/2])*0xC2B2AE35 ^ uint32(s[n*3/4])*0x27D4EB2F
	return h ^ h>>15
}

func (x *idIndex) get(s string) []uint64 {
	for h := idHash(s) & x.mask; ; h = (h + 1) & x.mask {
		sl := &x.slots[h]
		if sl.bits == nil || sl.id == s {
			return sl.bits
		}
	}
}

// Event appends the results of one event against every compiled commitment
// and returns dst. Deleted events give none: they are no longer evidence.
// The codes are part 0; each act its text alleges beyond them (package
// allege) is matched as a part of its own, with the event's actors.
func (m *Matcher) Event(e *event.Event, dst []Result) []Result {
	if e == nil || e.Deleted {
		return dst
	}
	dst = m.eventAs(e, nil, e.Kind, e.KindReason, e.Targets, dst)
	for i := range e.Allegations {
		a := &e.Allegations[i]
		dst = m.eventAs(e, a, a.Kind, a.KindReason, a.Targets, dst)
	}
	return dst
}

func (m *Matcher) eventAs(e *event.Event, al *event.Allegation, kind string, kr *event.Reason, targets []event.Reason, dst []Result) []Result {
	var sp span
	spanDone := false
	for b := 0; b < m.blocks; b++ {
		sel, kinds, tgts, unsure := m.selection(b, kind, targets)
		if sel != 0 && !spanDone {
			sp, spanDone = spanOf(e.Time), true
		}
		for sel != 0 {
			i := bits.TrailingZeros64(sel)
			sel &= sel - 1
			v := view{ev: e, al: al, kind: kind, kindReason: kr, targets: targets, span: e.Time}
			dst = m.event(&m.units[b*64+i], &v, &sp, kinds>>i&1 == 1, tgt(tgts, unsure, i), dst)
		}
	}
	return dst
}

// tgt is the target outcome of unit i from the selection's bits.
func tgt(tgts, unsure uint64, i int) outcome {
	switch {
	case unsure>>i&1 == 1:
		return maybe
	case tgts>>i&1 == 1:
		return holds
	}
	return fails
}

// start probes the clauses every record has, kind, target and time, and
// reports false when the record is too far from the window or fails more
// clauses than a result allows already.
func (m *Matcher) start(u *unit, sp *span, kindOK bool, target outcome) (p probe, ok bool) {
	if !kindOK {
		p.fail(&p.kind)
	}
	if p.target = target; target == fails {
		p.fails++
	}
	var far bool
	if p.pos, p.time, far = u.when(sp); far {
		return p, false
	}
	if p.time == fails {
		p.fails++
	}
	return p, p.fails <= m.allow
}

// event checks the remaining clauses, cheapest first, and gives up as soon
// as more clauses failed than a result allows, before any allocation.
func (m *Matcher) event(u *unit, v *view, sp *span, kindOK bool, target outcome, dst []Result) []Result {
	e := v.ev
	p, ok := m.start(u, sp, kindOK, target)
	if !ok {
		return dst
	}
	if !p.placed(u.geo.placeOutcome(&e.Place), m.allow) {
		return dst
	}
	var a attribution
	u.attribute(e.Actors, &a)
	switch {
	case a.n == 0:
		if a.other != "" && contains(u.elsewhere, a.other) {
			return dst
		}
		p.fail(&p.party)
		if p.fails > m.allow {
			return dst
		}
	case a.unsure:
		p.party = maybe
	}
	if a.n == 0 {
		return append(dst, m.result(u, v, &p, &a, -1))
	}
	for i := 0; i < a.n; i++ {
		dst = append(dst, m.result(u, v, &p, &a, i))
	}
	return dst
}

// Claim appends the results of one claim and returns dst. The accused is the
// acting party. Denials give none: they answer a claim, they allege nothing.
// A claim whose text was read into allegations is matched act by act, each
// result naming its part; one without is matched as a whole.
func (m *Matcher) Claim(c *event.Claim, dst []Result) []Result {
	if c == nil || c.Deleted || c.Type == event.ClaimDenial {
		return dst
	}
	if len(c.Allegations) == 0 {
		return m.claimAs(c, nil, dst)
	}
	for i := range c.Allegations {
		a := &c.Allegations[i]
		part := *c
		part.Kind, part.Targets, part.Accused, part.Count = a.Kind, a.Targets, a.Actor, a.Count
		if a.Tally {
			part.Type = event.ClaimCount
		} else {
			part.Type = event.ClaimAllegation
		}
		if len(a.Places) > 0 {
			part.Places = a.Places
		}
		dst = m.claimAs(&part, a, dst)
	}
	return dst
}

// claimAs matches a claim, or one allegation of it (al) as a claim.
func (m *Matcher) claimAs(c *event.Claim, al *event.Allegation, dst []Result) []Result {
	sp := spanOf(c.Time)
	for b := 0; b < m.blocks; b++ {
		sel, kinds, tgts, unsure := m.selection(b, c.Kind, c.Targets)
		for sel != 0 {
			i := bits.TrailingZeros64(sel)
			sel &= sel - 1
			dst = m.claim(&m.units[b*64+i], c, al, &sp, kinds>>i&1 == 1, tgt(tgts, unsure, i), dst)
		}
	}
	return dst
}

func (m *Matcher) claim(u *unit, c *event.Claim, al *event.Allegation, sp *span, kindOK bool, target outcome, dst []Result) []Result {
	p, ok := m.start(u, sp, kindOK, target)
	if !ok {
		return dst
	}
	if !p.placed(u.geo.placesOutcome(c.Places), m.allow) {
		return dst
	}
	var a attribution
	accused := u.ag.partyOf(c.Accused)
	switch {
	case accused != "" && contains(u.bound, accused):
		a.add(accused, -1)
	case accused != "" && contains(u.elsewhere, accused):
		return dst
	default:
		a.other, a.otherActor = accused, -1
		p.fail(&p.party)
		if p.fails > m.allow {
			return dst
		}
	}
	v := view{cl: c, al: al, kind: c.Kind, targets: c.Targets, span: c.Time}
	if al != nil {
		v.kindReason = al.KindReason
	}
	if a.n == 0 {
		return append(dst, m.result(u, &v, &p, &a, -1))
	}
	return append(dst, m.result(u, &v, &p, &a, 0))
}

// when places a span against the unit's window. far is true when the
// record is not even near the window (or the window has no start): then the
// time clause alone rules out a result, near miss included.
func (u *unit) when(s *span) (pos Position, o outcome, far bool) {
	switch {
	case !u.inForce:
		return TimeBefore, fails, true
	case !s.known:
		return TimeUnknown, maybe, false
	case s.end <= u.start:
		return TimeBefore, fails, s.end < u.nearStart
	case s.start >= u.end:
		return TimeAfter, fails, s.start >= u.nearEnd
	case s.start < u.start || s.end > u.end:
		return TimeStraddles, maybe, false
	}
	return TimeInside, holds, false
}

// attribute finds the bound parties among the actors: acting roles first,
// then the sides of a dyad, which leave who acted open.
func (u *unit) attribute(actors []event.Actor, a *attribution) {
	var sides attribution
	a.otherActor = -1
	for i := range actors {
		act := &actors[i]
		side := sideOf(act.Role)
		if side == receiving {
			continue
		}
		party := act.Party
		if party == "" {
			party = u.ag.alias[act.Name]
		}
		if party == "" {
			continue
		}
		bound := contains(u.bound, party)
		switch {
		case side == eitherSide && bound:
			sides.add(party, i)
		case side == acting && bound:
			a.add(party, i)
		case side == acting && a.other == "":
			a.other, a.otherActor = party, i
		}
	}
	if a.n == 0 && sides.n > 0 {
		a.n, a.party, a.actor, a.unsure = sides.n, sides.party, sides.actor, true
	}
}

// partyOf reads a claimant or accused: a party id, a name in the aliases
// (exact, then case-folded), or, failing both, the name itself.
func (ag *compiled) partyOf(s string) string {
	if s == "" {
		return ""
	}
	if contains(ag.parties, s) {
		return s
	}
	if p := ag.alias[strings.TrimSpace(s)]; p != "" {
		return p
	}
	if a, ok := ag.aliasKind[strings.ToLower(strings.TrimSpace(s))]; ok {
		return a.party
	}
	return s
}

// placeOutcome checks one place against the scope: every part given must
// hold; a part the place does not tell is unsure.
func (s *scope) placeOutcome(p *event.Place) outcome {
	if s.empty() {
		return holds
	}
	out := holds
	if len(s.countries) > 0 {
		switch {
		case p.Country == "":
			out = maybe
		case !contains(s.countries, p.Country):
			return fails
		}
	}
	if len(s.admin1Desc) > 0 {
		switch o := s.admin1Outcome(p); o {
		case fails:
			return fails
		case maybe:
			out = maybe
		}
	}
	if len(s.polys) > 0 {
		switch o := s.polyOutcome(p); o {
		case fails:
			return fails
		case maybe:
			out = maybe
		}
	}
	return out
}

func (s *scope) admin1Outcome(p *event.Place) outcome {
	if p.Admin1ID == "" && p.Admin1 == "" {
		return maybe
	}
	if p.Admin1ID != "" && contains(s.admin1IDs, p.Admin1ID) {
		return holds
	}
	for _, n := range s.admin1Names {
		if strings.EqualFold(n, p.Admin1) {
			return holds
		}
	}
	return fails
}

// pointPrecise reports whether a place's coordinates are the site's, not a
// region's centroid.
func pointPrecise(p *event.Place) bool {
	if p.Lat == nil || p.Lon == nil {
		return false
	}
	switch p.Precision {
	case event.GeoExact, event.GeoTown, event.GeoNear, "":
		return true
	}
	return false
}

func (s *scope) polyOutcome(p *event.Place) outcome {
	if !pointPrecise(p) {
		return maybe
	}
	for _, poly := range s.polys {
		if poly.contains(*p.Lon, *p.Lat) {
			return holds
		}
	}
	return fails
}

// placesOutcome is the best outcome over a claim's places: a claim naming
// one place in scope is in scope. No place at all is unsure.
func (s *scope) placesOutcome(ps []event.Place) outcome {
	if s.empty() {
		return holds
	}
	if len(ps) == 0 {
		return maybe
	}
	best := fails
	for i := range ps {
		if o := s.placeOutcome(&ps[i]); o < best {
			best = o
		}
	}
	return best
}
