// Package classify assigns target categories (taxonomy.Targets) to free text
// in English, Ukrainian and Russian: ACLED notes, claim texts, strike reports.
//
// It is a dictionary classifier, on purpose: every assignment comes with the
// exact words and the dictionary entry behind it (event.Reason), so an analyst
// can check it in seconds and a wrong entry can be fixed in one line. The
// dictionary (Vocabulary) is matched in a single pass with package ac; see
// docs/classifier.md for the patterns, the false-positive rules and the
// measured precision and recall.
package classify

import (
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/classify/ac"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// Classifier is a compiled dictionary. It is immutable and safe for
// concurrent use.
type Classifier struct {
	m     *ac.Matcher
	rules []string   // per entry: "lang:pattern"
	terms [][]string // per entry: taxonomy ids, none for exclusions
}

// New compiles the built-in vocabulary. The vocabulary is validated by the
// package tests, so a failure here is a programming error.
func New() *Classifier {
	c, err := NewWith(vocabulary)
	if err != nil {
		panic(fmt.Sprintf("classify: built-in vocabulary: %v", err))
	}
	return c
}

// NewWith compiles a custom dictionary.
func NewWith(entries []Entry) (*Classifier, error) {
	c := &Classifier{
		rules: make([]string, len(entries)),
		terms: make([][]string, len(entries)),
	}
	patterns := make([]string, len(entries))
	seen := make(map[string]int, len(entries))
	for i, e := range entries {
		switch e.Lang {
		case "en", "uk", "ru":
		default:
			return nil, fmt.Errorf("entry %d %q: unknown language %q (want en, uk or ru)", i, e.Pattern, e.Lang)
		}
		key := e.Rule() + "\x00" + e.Terms
		if j, dup := seen[key]; dup {
			return nil, fmt.Errorf("entry %d %q: duplicate of entry %d", i, e.Rule(), j)
		}
		seen[key] = i
		for _, t := range strings.Fields(e.Terms) {
			if !taxonomy.Targets.Has(t) {
				return nil, fmt.Errorf("entry %d %q: unknown target category %q (did you mean %v?)", i, e.Rule(), t, taxonomy.Targets.Suggest(t))
			}
			c.terms[i] = append(c.terms[i], t)
		}
		c.rules[i] = e.Rule()
		patterns[i] = e.Pattern
	}
	m, err := ac.Compile(patterns)
	if err != nil {
		return nil, fmt.Errorf("compile dictionary: %w", err)
	}
	c.m = m
	return c, nil
}

// maxStackHits is how many raw hits a text may have before Classify spills
// its scratch space to the heap; a 300-byte ACLED note rarely has ten.
const maxStackHits = 32

// Classify appends to dst one Reason per target category found in text, in
// order of first appearance, and returns the extended slice. field is copied
// into each Reason. A category is reported once, with its first match; a hit
// inside a longer hit is ignored, so "nuclear power plant" is nuclear, not
// also generation, and "water pipeline" is water, not also energy.
// Classify does not allocate when nothing matches or dst has room.
func (c *Classifier) Classify(field, text string, dst []event.Reason) []event.Reason {
	var buf [maxStackHits]ac.Hit
	hits := c.m.Scan(text, buf[:0])
	if len(hits) == 0 {
		return dst
	}
	// Reasons come out in text order.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && before(hits[j], hits[j-1]); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	base := len(dst)
	for _, h := range hits {
		if ac.Contained(h, hits) {
			continue
		}
		for _, t := range c.terms[h.Pattern] {
			if event.HasTerm(dst[base:], t) {
				continue
			}
			// A stem is shown with the rest of its word: "подстанцию", not "подстанци".
			match := text[h.Start:ac.WordEnd(text, h.End)]
			dst = append(dst, event.Reason{Term: t, Field: field, Match: match, Rule: c.rules[h.Pattern]})
		}
	}
	return dst
}

// before orders hits by start, then longer first, then by entry.
func before(a, b ac.Hit) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End > b.End
	}
	return a.Pattern < b.Pattern
}

// Rules returns the rule ids of the compiled dictionary, in table order.
func (c *Classifier) Rules() []string { return append([]string(nil), c.rules...) }

// MilitaryFuel re-reads fuel storage found together with a military site
// ("shelled the airfield; all fuel stocks were set on fire"): fuel kept at
// a base is military logistics, not energy infrastructure, so such a
// reason's category becomes military.logistics, with the rule saying why.
// This is truce's reading of the moratorium's "oil and gas storage"; an
// agreement or reading that counts military fuel lists military.logistics
// among its targets. See docs/allegations.md.
func MilitaryFuel(rs []event.Reason) []event.Reason {
	base := false
	for _, r := range rs {
		if r.Term == "military.base" {
			base = true
			break
		}
	}
	if !base {
		return rs
	}
	for i := range rs {
		if rs[i].Term == "energy.oil_gas.storage" {
			rs[i].Term = "military.logistics"
			rs[i].Rule += " (fuel at a military site: military logistics)"
		}
	}
	// The same words may also have been listed as military logistics.
	out := rs[:0]
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Term] {
			seen[r.Term] = true
			out = append(out, r)
		}
	}
	return out
}
