package allege

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
)

// span is a clause: byte offsets into the text.
type span struct{ start, end int }

// clauses cuts text at sentence ends, line breaks and bullet symbols, and
// cuts a response phrase ("в ответ на попытки киевского режима ...") off
// the sentence it opens, up to the next comma: it alleges another act by
// another side.
func clauses(text string, hits []hit) []span {
	var cuts []int
	for i, r := range text {
		switch {
		case r == '.' || r == '!' || r == '?' || r == ';' || r == '\n':
			// "01.01.2023", "г.", "т.е.": a period between two non-spaces does not end a sentence.
			if r == '.' && i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\n' && text[i+1] != '*' {
				continue
			}
			cuts = append(cuts, i+utf8.RuneLen(r))
		case r > 0x2000 && (unicode.Is(unicode.So, r) || r == '•' || r == '◽'):
			cuts = append(cuts, i)
		}
	}
	for i, h := range hits {
		if h.e.role != roleResponse {
			continue
		}
		cuts = append(cuts, h.start)
		end := len(text)
		if j := strings.IndexByte(text[h.end:], ','); j >= 0 {
			end = h.end + j + 1
		}
		// Without a comma, the response ends where a side is named after
		// its act: "в ответ на попытки киевского режима нанести ущерб
		// объектам энергетики ВС РФ нанесли удар".
		acted := false
		for _, g := range hits[i+1:] {
			if g.start >= end {
				break
			}
			switch {
			case g.e.role == roleAction:
				acted = true
			case acted && g.e.role == roleParty:
				end = g.start
			}
		}
		cuts = append(cuts, end)
	}
	sortInts(cuts)
	var out []span
	from := 0
	for _, c := range append(cuts, len(text)) {
		if c > from {
			out = append(out, span{from, c})
			from = c
		}
	}
	return out
}

func sortInts(a []int) { sort.Ints(a) }

// clause reads the allegations of one clause: an act when it has a word of
// one, an interception tally when it has a shoot-down (with a weapon word
// where the verb alone is ambiguous), or both.
// hs are the hits that start in the clause; one running past its end is
// not the clause's.
func (r *Reader) clause(in Input, cl span, hs []hit) []event.Allegation {
	var act, means, intercept, attempt, cons, parties, preps, nums []hit
	descr, plan := cl.end, false
	for _, h := range hs {
		if h.end > cl.end {
			continue
		}
		switch h.e.role {
		case roleAction:
			act = append(act, h)
		case roleMeans:
			means = append(means, h)
		case roleIntercept:
			intercept = append(intercept, h)
		case roleAttempt:
			attempt = append(attempt, h)
		case roleConsequence:
			cons = append(cons, h)
		case roleParty:
			parties = append(parties, h)
		case rolePrep:
			preps = append(preps, h)
		case roleNumber:
			nums = append(nums, h)
		case roleDescribes:
			descr = min(descr, h.start)
		case rolePlan:
			plan = true
		}
	}
	// "уничтожены": an interception only of weapons in flight.
	var icpt []hit
	for _, h := range intercept {
		if h.e.value != "weapon" || len(means) > 0 {
			icpt = append(icpt, h)
		}
	}
	text := in.Text
	var out []event.Allegation
	if !plan && (len(act) > 0 || (len(cons) > 0 && len(icpt) == 0)) {
		a := event.Allegation{Attempt: len(attempt) > 0 || len(icpt) > 0}
		kind, words := kindOf(act, means)
		if kind == "" {
			// A consequence alone: something hit the supply.
			kind, words = kStrike, cons[:1]
			if len(means) > 0 {
				kind, words = means[0].e.value, []hit{cons[0], means[0]}
			}
		}
		a.Kind = kind
		a.KindReason = &event.Reason{Term: kind, Field: in.Field, Match: join(text, words), Rule: rules(words)}
		seg := text[cl.start:cl.end]
		// "корабль, выполняющий задачи по охране газопровода": the ship is
		// the target; what it guards is not.
		a.Targets = classify.MilitaryFuel(r.cls.Classify(in.Field, text[cl.start:descr], nil))
		a.Targets = withoutWeapons(a.Targets, text, means)
		for _, c := range cons {
			if !event.HasTerm(a.Targets, c.e.value) {
				a.Targets = append(a.Targets, event.Reason{Term: c.e.value, Field: in.Field, Match: text[c.start:c.end], Rule: c.rule + " (consequence)", Inferred: true})
			}
		}
		cut := cl.end
		if len(act) > 0 {
			for _, p := range preps {
				if p.start > act[0].start {
					cut = p.start
					break
				}
			}
		}
		// The side named nearest before the act word acts ("Russia's
		// ministry said Ukrainian drones attacked"); failing that, one
		// named after it but before the target ("атака киевского режима по ...").
		before, after := parties[:0:0], parties[:0:0]
		for _, p := range parties {
			if len(act) > 0 && p.start < act[0].start {
				before = append([]hit{p}, before...)
			} else {
				after = append(after, p)
			}
		}
		a.Actor, a.ActorReason = actorOf(in, append(before, after...), cut, false)
		if n, w, ok := countBefore(text, nums, act); ok {
			a.Count = &n
			a.CountReason = &event.Reason{Field: in.Field, Match: w, Rule: "number before the act"}
		}
		if !in.NoPlaces {
			a.Places = r.places(seg)
		}
		out = append(out, a)
	}
	if len(icpt) > 0 {
		t := event.Allegation{Kind: "interception", Tally: true}
		t.KindReason = &event.Reason{Term: "interception", Field: in.Field, Match: join(text, icpt), Rule: rules(icpt)}
		// The drones shot down are the other side's: a self word here is
		// the air defence, not the attacker.
		t.Actor, t.ActorReason = actorOf(in, parties, cl.end, true)
		if t.ActorReason == nil && in.Accused != "" {
			t.Actor = in.Accused
			t.ActorReason = &event.Reason{Term: in.Accused, Field: in.Field, Rule: "default"}
		}
		if n, w, ok := countBefore(text, nums, means); ok {
			t.Count = &n
			t.CountReason = &event.Reason{Field: in.Field, Match: w, Rule: "number before the weapon"}
		}
		if !in.NoPlaces {
			t.Places = r.places(text[cl.start:cl.end])
		}
		out = append(out, t)
	}
	return out
}

// kindOf decides an act's kind: the weapon when one is named ("атака БПЛА"
// is a drone strike), else a ground assault, else the act word's own kind.
func kindOf(act, means []hit) (string, []hit) {
	if len(act) == 0 {
		return "", nil
	}
	for _, a := range act {
		if a.e.value == kArtillery || a.e.value == kAir || a.e.value == kSabotage || a.e.value == kExplosion {
			return a.e.value, []hit{a}
		}
	}
	if len(means) > 0 {
		return means[0].e.value, []hit{act[0], means[0]}
	}
	for _, a := range act {
		if a.e.value == kGround {
			return kGround, []hit{a}
		}
	}
	return act[0].e.value, []hit{act[0]}
}

// actorOf finds the acting party among the party words before cut. For a
// tally, words naming the speaker are the defence and are passed over.
func actorOf(in Input, parties []hit, cut int, tally bool) (string, *event.Reason) {
	for _, p := range parties {
		if p.start >= cut {
			continue
		}
		party := p.e.value
		rule := "party word " + p.e.pattern
		switch party {
		case Enemy:
			if in.Accused == "" {
				continue
			}
			party, rule = in.Accused, "enemy word "+p.e.pattern+" = the accused"
		case Self:
			if tally || in.Claimant == "" {
				continue
			}
			party, rule = in.Claimant, "own-side word "+p.e.pattern+" = the claimant"
		}
		if tally && party == in.Claimant {
			continue
		}
		return party, &event.Reason{Term: party, Field: in.Field, Match: in.Text[p.start:p.end], Rule: rule}
	}
	return "", nil
}

// countBefore finds a number just before one of the words (at most two
// words between: "более 100 ударов", "6 украинских беспилотников").
func countBefore(text string, nums, words []hit) (int, string, bool) {
	for _, w := range words {
		for i := len(nums) - 1; i >= 0; i-- {
			n := nums[i]
			if n.end > w.start {
				continue
			}
			if wordsBetween(text[n.end:w.start]) <= 2 {
				return n.num, text[n.start:w.end], true
			}
			break
		}
	}
	return 0, "", false
}

func wordsBetween(s string) int {
	if strings.ContainsAny(s, ".;:!?") {
		return 99
	}
	return len(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// places resolves the regions a clause names.
func (r *Reader) places(seg string) []event.Place {
	if r.gaz == nil {
		return nil
	}
	var out []event.Place
	for _, m := range r.gaz.ResolveInText(seg) {
		dup := false
		for _, p := range out {
			if p.Admin1ID == m.Admin1.ID {
				dup = true
			}
		}
		if dup {
			continue
		}
		lat, lon := m.Admin1.Lat, m.Admin1.Lon
		out = append(out, event.Place{Name: m.Text, Country: m.Admin1.Country, Admin1: m.Admin1.Name, Admin1ID: m.Admin1.ID, Lat: &lat, Lon: &lon, Precision: event.GeoAdmin1})
	}
	return out
}

func join(text string, hs []hit) string {
	parts := make([]string, 0, len(hs))
	for _, h := range hs {
		parts = append(parts, text[h.start:h.end])
	}
	return strings.Join(parts, " … ")
}

func rules(hs []hit) string {
	parts := make([]string, 0, len(hs))
	for _, h := range hs {
		parts = append(parts, h.rule)
	}
	return strings.Join(parts, " + ")
}

// withoutWeapons drops the targets that are the act's own weapon words:
// "беспилотники ВСУ повредили линию" strikes a line, not a drone.
func withoutWeapons(ts []event.Reason, text string, means []hit) []event.Reason {
	out := ts[:0]
	for _, t := range ts {
		weapon := false
		for _, m := range means {
			if strings.HasPrefix(t.Match, text[m.start:m.end]) || strings.HasPrefix(text[m.start:m.end], t.Match) {
				weapon = true
				break
			}
		}
		if !weapon {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
