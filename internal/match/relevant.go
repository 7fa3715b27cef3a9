package match

import (
	"math/bits"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// RelevantTime reports whether a record at time t could give any result,
// whatever else it holds: false means that Event and Claim give nothing
// for it, near misses included, so a caller may skip everything else about
// the record. It is what makes `truce check` cheap on the bulk of a file:
// the time of a row is known long before its targets, place and parties.
func (m *Matcher) RelevantTime(t event.Span) bool {
	sp := spanOf(t)
	for i := range m.units {
		_, o, far := m.units[i].when(&sp)
		if far {
			continue
		}
		// The kind, target, place and party may all hold: the time alone
		// rules a unit out only by failing when no clause may fail.
		if o != fails || m.allow > 0 {
			return true
		}
	}
	return false
}

// Relevant reports whether a record of this kind, or any strike its text
// may allege, at time t could give any result: false means that Event and Claim give nothing for it, near
// misses included. It reads the kind and time clauses only, the others
// being taken to hold, so true promises nothing.
func (m *Matcher) Relevant(kind string, t event.Span) bool {
	sp := spanOf(t)
	km := lookupBits(m.kindBits, kind)
	mayHide := taxonomy.MayHideStrike(kind)
	for b := 0; b < m.blocks; b++ {
		var kinds uint64
		if km != nil {
			kinds = km[b]
		}
		// An event's text may allege a strike its codes do not say (a
		// clash whose notes report shelling damage to a plant).
		if mayHide {
			kinds |= m.textKinds[b]
		}
		cand := kinds
		if m.allow > 0 {
			cand = m.blockMask(b)
		}
		for cand != 0 {
			i := bits.TrailingZeros64(cand)
			cand &= cand - 1
			_, o, far := m.units[b*64+i].when(&sp)
			if far {
				continue
			}
			n := 0
			if kinds>>i&1 == 0 {
				n++
			}
			if o == fails {
				n++
			}
			if n <= m.allow {
				return true
			}
		}
	}
	return false
}
