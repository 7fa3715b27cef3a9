// Package allege reads what a record's text alleges: each act with its
// kind, acting side, targets, place and count, every part with the words
// that gave it. "46 drones shot down; Ukraine struck the gas metering
// station at Sudzha" is two allegations: an interception tally and a strike.
//
// Like package classify it is a dictionary reader, on purpose: one
// Aho-Corasick pass over the text (package ac) finds the words of acts,
// weapons, interceptions, attempts, consequences, numbers and the caller's
// party words; clauses are cut at sentence ends and around "in response
// to"; each clause with an act or an interception gives an allegation. See
// docs/allegations.md for the rules and their measured precision and recall.
package allege

import (
	"fmt"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/classify/ac"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
)

// Enemy and Self are the values of party words that name a side relative
// to the speaker: "противник" is whoever the claim accuses by default,
// "наши войска" is the claimant.
const (
	Enemy = "enemy"
	Self  = "self"
)

// maxText bounds the text read: notes and posts run to a few kilobytes; a
// hostile megabyte is read to its first 16 KiB.
const maxText = 16 << 10

// maxAllegations bounds the parts of one record: a hostile text listing a
// thousand acts gives the first ones, not a thousand findings.
const maxAllegations = 16

// PartyWords maps a party id (or Enemy or Self) to package ac patterns of
// the words that name it as an actor: "всу$", "киевск{ий|ого} режим".
type PartyWords map[string][]string

// Reader is a compiled lexicon plus a party-word table. It is immutable
// and safe for concurrent use.
type Reader struct {
	m       *ac.Matcher
	entries []entry
	rules   []string // per entry: its rule id, "ru:удар"
	nums    []int    // per entry: the value of a number word
	cls     *classify.Classifier
	gaz     *geo.Gazetteer
}

// New compiles the built-in lexicon with the party words. The classifier
// finds targets in each clause; the gazetteer, which may be nil, places it.
func New(cls *classify.Classifier, gaz *geo.Gazetteer, words PartyWords) (*Reader, error) {
	es := append(append([]entry(nil), lexicon...), numbers...)
	for party, pats := range words {
		if party == "" {
			return nil, fmt.Errorf("party words: empty party id")
		}
		for _, p := range pats {
			es = append(es, entry{lang: "party", pattern: p, role: roleParty, value: party})
		}
	}
	pats := make([]string, len(es))
	// Each entry's rule id and number are worked out once here, not for
	// every hit of every record.
	rules, nums := make([]string, len(es)), make([]int, len(es))
	for i, e := range es {
		pats[i] = e.pattern
		rules[i] = e.lang + ":" + e.pattern
		if e.role == roleNumber {
			nums[i], _ = strconv.Atoi(e.value)
		}
	}
	m, err := ac.Compile(pats)
	if err != nil {
		return nil, fmt.Errorf("allegation lexicon: %w", err)
	}
	return &Reader{m: m, entries: es, rules: rules, nums: nums, cls: cls, gaz: gaz}, nil
}

// Input is one text to read.
type Input struct {
	Field string // the source field, recorded in every reason
	Text  string
	// Claimant is the speaker's party (Self words name it); Accused is the
	// default actor, used where the text names none and for Enemy words.
	Claimant, Accused string
	// NoPlaces skips resolving the regions a clause names: an event has
	// its place already.
	NoPlaces bool
}

// Consequences returns the targets a text's consequence wording implies
// ("left without electricity"), inferred, without reading its acts: what a
// record already coded as a strike needs, at the cost of one scan.
func (r *Reader) Consequences(field, text string) []event.Reason {
	if len(text) > maxText {
		return nil
	}
	var buf [64]ac.Hit
	var out []event.Reason
	for _, h := range r.m.Scan(text, buf[:0]) {
		e := &r.entries[h.Pattern]
		if e.role != roleConsequence || event.HasTerm(out, e.value) {
			continue
		}
		end := ac.WordEnd(text, h.End)
		out = append(out, event.Reason{Term: e.value, Field: field, Match: text[h.Start:end], Rule: r.rules[h.Pattern] + " (consequence)", Inferred: true})
	}
	return out
}

// hit is one lexicon match in the text, with its role.
type hit struct {
	start, end int
	e          *entry
	rule       string
	num        int // for numbers, digits included
}

// Read returns the allegations of a text, in text order, numbered from 1.
func (r *Reader) Read(in Input) []event.Allegation {
	if in.Text == "" {
		return nil
	}
	if len(in.Text) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(in.Text[cut]) {
			cut--
		}
		in.Text = in.Text[:cut]
	}
	hits := r.scan(in.Text)
	var out []event.Allegation
	lastActor, lastReason := "", (*event.Reason)(nil)
	k := 0 // hits are in text order, clauses too: each clause gets its window
	for _, cl := range clauses(in.Text, hits) {
		for k < len(hits) && hits[k].start < cl.start {
			k++
		}
		j := k
		for j < len(hits) && hits[j].start < cl.end {
			j++
		}
		c := r.clause(in, cl, hits[k:j])
		for _, a := range c {
			if a.Tally {
				out = append(out, a)
				continue
			}
			switch {
			case a.ActorReason != nil:
				lastActor, lastReason = a.Actor, a.ActorReason
			case lastReason != nil:
				// "В результате удара повреждена подстанция": the act of the
				// sentence before, by the actor it named.
				a.Actor = lastActor
				rr := *lastReason
				rr.Rule += " (named earlier in the text)"
				a.ActorReason = &rr
			case in.Accused != "":
				a.Actor = in.Accused
				a.ActorReason = &event.Reason{Term: in.Accused, Field: in.Field, Rule: "default"}
			}
			if redundant(a, out) {
				continue
			}
			out = append(out, a)
		}
		if len(out) >= maxAllegations {
			out = out[:maxAllegations]
			break
		}
	}
	for i := range out {
		out[i].Part = i + 1
	}
	return out
}

// redundant reports an act that repeats an earlier one and adds nothing:
// same kind and actor, no target, count or place of its own.
func redundant(a event.Allegation, prev []event.Allegation) bool {
	if len(a.Targets) > 0 || a.Count != nil || len(a.Places) > 0 {
		return false
	}
	for _, p := range prev {
		if !p.Tally && p.Kind == a.Kind && p.Actor == a.Actor {
			return true
		}
	}
	return false
}

// scan finds the lexicon's words and the numbers in digits, in text order,
// without hits inside longer ones.
func (r *Reader) scan(text string) []hit {
	var buf [64]ac.Hit
	raw := r.m.Scan(text, buf[:0])
	if len(raw) > 1024 {
		raw = raw[:1024] // the inside check below is quadratic
	}
	var hs []hit
	for _, h := range raw {
		e := &r.entries[h.Pattern]
		if e.role == roleExclude || ac.Contained(h, raw) {
			continue
		}
		hs = append(hs, hit{start: h.Start, end: ac.WordEnd(text, h.End), e: e, rule: r.rules[h.Pattern], num: r.nums[h.Pattern]})
	}
	for i := 0; i < len(text); {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(text) && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		// "1 200" and "1,200" are one number; "01.01.2023" is not a count.
		for j+3 < len(text) && (text[j] == ' ' || text[j] == ',') && isDigits(text[j+1:j+4]) && (j+4 == len(text) || text[j+4] < '0' || text[j+4] > '9') {
			j += 4
		}
		if standalone(text, i, j) {
			if n := digitsValue(text[i:j]); n > 0 && n < 1_000_000 {
				hs = append(hs, hit{start: i, end: j, e: &numberEntry, rule: "digits", num: n})
			}
		}
		i = j
	}
	sortHits(hs)
	return hs
}

var numberEntry = entry{lang: "any", pattern: "0", role: roleNumber}

// standalone reports whether text[i:j] is a number of its own: not part of
// a date ("01.01.2023"), a link ("t.me/mod_russia/40826"), a code ("Су-34",
// "A320") or a decimal.
func standalone(text string, i, j int) bool {
	if i > 0 {
		switch c := text[i-1]; {
		case c == '.' || c == '/' || c == '_' || c == '-' || c == ':' || c == '#' || c == '=' || c == '&':
			return false
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			return false
		case c >= 0x80:
			// A letter of another script right before: "Су34".
			r, _ := utf8.DecodeLastRuneInString(text[:i])
			if unicode.IsLetter(r) {
				return false
			}
		}
	}
	if j < len(text) {
		switch c := text[j]; {
		case c == '/' || c == '_' || c == ':' || c == '%':
			return false
		case c == '.' && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9':
			return false
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			return false
		}
	}
	return true
}

// digitsValue reads "1 200" and "1,200" as 1200; 0 when too long to matter.
func digitsValue(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if n > 1_000_000 {
				return 0
			}
			n = n*10 + int(c-'0')
		}
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sortHits(hs []hit) {
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].start < hs[j].start })
}
