// Package match decides whether an event or a claim is a candidate violation
// of an agreement's commitments, under each party's reading, and explains
// why in words a reviewer can check in seconds.
//
// It is a pure engine: no I/O and no store. A Matcher is compiled once from
// agreements and is then read-only, so one Matcher serves any number of
// goroutines.
//
// # Clauses and verdicts
//
// Each (agreement, reading, commitment) is checked clause by clause, always
// reported in this order: party, kind, target, place, time. A clause holds,
// fails, or holds only possibly (Check.Unsure). Then:
//
//   - every clause holds for sure and the time is inside the window:
//     VerdictCandidate;
//   - every clause holds but at least one only possibly (an interval that
//     straddles the start or end of the window, a side of a UCDP dyad, a
//     place known only to its region against a polygon): VerdictAmbiguous;
//   - candidate or ambiguous, and an exception with machine-checkable fields
//     covers the record: VerdictExcepted (reported, never dropped);
//   - exactly one clause fails: VerdictNearMiss, with that clause named;
//   - two or more fail: no result at all, which keeps the common case (an
//     event that has nothing to do with the agreement) free of allocation.
//
// A time near miss needs the record to lie within Options.NearTime of the
// window. A commitment whose window has no start (a proposal never in force)
// gives no result at all; NotInForce lists them so a caller can say why.
//
// # Attribution
//
// The acting side is read from actor roles. Roles on the receiving end
// (actor2, assoc_actor_2, target) never make a party the actor. side_a and
// side_b (UCDP) name the two sides of a dyad without saying which acted: a
// bound party there gives an ambiguous result, one per bound party, never a
// candidate. Every other role (actor1, assoc_actor_1, launcher, and any role
// a CSV mapping invents) is acting. For claims the accused party is the
// acting party and the claimant is recorded.
//
// One result is produced per accused party: two bound parties both acting in
// one record (rare) give two results.
//
// A party-clause near miss is reported only when the acting side is not a
// party bound elsewhere in the same reading: a Russian strike during the
// Easter truce is a candidate under easter-ru and not also a near miss of
// easter-ua, whose failing clause would only say "RU is not UA".
//
// An actor's party is Actor.Party as set at ingest, or else the agreement's
// alias for the exact name. A claim's accused and claimant may be party ids
// or names in the aliases.
//
// # Place
//
// The parts of a geography combine with AND: countries, regions (matched
// by ISO 3166-2 id, or by name case-insensitively) and a polygon, tested only against a point known to town precision or
// better; a region's centroid cannot say which side of a line it is. A part
// the record does not tell (no country, no region, no point) is unsure. A
// claim is in scope when any of its places is.
//
// # Exceptions and release
//
// An exception with kinds, targets or a geography excepts a record when
// every field it gives covers it; its targets must cover every prohibited
// target the record names. An exception stated only in words never
// excepts: candidates carry the note "exception X may apply: a reviewer
// must decide". Under a release rule counterparty_may_withdraw, results of
// a party after another party's confirmed violation (WithViolations) carry
// a note that it may consider itself released; they are never hidden.
package match

import (
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Verdict is the outcome for one (agreement, reading, commitment, party):
// vocab's word, so findings, the store and the API spell it one way.
type Verdict = vocab.Verdict

// Verdicts.
const (
	VerdictCandidate = vocab.VerdictCandidate
	VerdictAmbiguous = vocab.VerdictAmbiguous
	VerdictNearMiss  = vocab.VerdictNearMiss
	VerdictExcepted  = vocab.VerdictExcepted
)

// Clause names one condition of a commitment.
type Clause string

// Clauses, in the order they are reported.
const (
	ClauseParty  Clause = "party"
	ClauseKind   Clause = "kind"
	ClauseTarget Clause = "target"
	ClausePlace  Clause = "place"
	ClauseTime   Clause = "time"
)

// Position is where a record's time interval lies against a window.
type Position string

// Positions.
const (
	TimeInside Position = "inside"
	// TimeStraddles: the interval overlaps the start or end instant, such as
	// a day-precision event on the boundary day.
	TimeStraddles Position = "ambiguous"
	TimeBefore    Position = "before"
	TimeAfter     Position = "after"
	// TimeUnknown: the record gives no time.
	TimeUnknown Position = "unknown"
)

// Check is one clause as evaluated, with the words it rests on.
type Check struct {
	Clause Clause `json:"clause"`
	// Field is the source field the clause read ("actor1", "notes", "time").
	Field string `json:"field,omitempty"`
	// Value is what the record holds there (an actor name, matched words).
	Value string `json:"value,omitempty"`
	// OK is false when the clause fails.
	OK bool `json:"ok"`
	// Unsure is true when the clause holds only possibly.
	Unsure bool   `json:"unsure,omitempty"`
	Detail string `json:"detail"`
}

// Result is one record judged against one commitment under one reading.
type Result struct {
	AgreementID  string `json:"agreement"`
	Version      int    `json:"version"`
	Reading      string `json:"reading"`
	CommitmentID string `json:"commitment"`
	// Part is the allegation of the record's text matched (1-based), 0 for
	// the record as coded or as a whole: "claim/17#2" is part 2.
	Part int `json:"part,omitempty"`
	// Accused is the party the record makes the actor; empty when no actor
	// maps to a party.
	Accused string `json:"accused,omitempty"`
	// Claimant is who made the claim (claims only).
	Claimant string   `json:"claimant,omitempty"`
	Verdict  Verdict  `json:"verdict"`
	Time     Position `json:"time"`
	// Category is the prohibited target category hit, the most specific the
	// record gives (empty when the commitment covers any target).
	Category string `json:"category,omitempty"`
	// Failed is the failing clause of a near miss.
	Failed Clause `json:"failed,omitempty"`
	// Exception is the id of the exception that makes the result excepted.
	Exception string   `json:"exception,omitempty"`
	Checks    []Check  `json:"checks"`
	Notes     []string `json:"notes,omitempty"`
}

// Check returns the check of a clause, or nil.
func (r *Result) Check(c Clause) *Check {
	for i := range r.Checks {
		if r.Checks[i].Clause == c {
			return &r.Checks[i]
		}
	}
	return nil
}

// Explanation is the checks and notes in one line: "party: ...; kind: ...".
// A failing clause reads "target FAILS: ...", an unsure one "time UNSURE: ...".
func (r *Result) Explanation() string {
	var b strings.Builder
	for i, c := range r.Checks {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(string(c.Clause))
		switch {
		case !c.OK:
			b.WriteString(" FAILS")
		case c.Unsure:
			b.WriteString(" UNSURE")
		}
		b.WriteString(": ")
		b.WriteString(c.Detail)
	}
	for _, n := range r.Notes {
		b.WriteString(" | note: ")
		b.WriteString(n)
	}
	return b.String()
}

// Violation is a violation confirmed by review: Party broke AgreementID at
// At. Under an agreement whose release rule is counterparty_may_withdraw it
// marks later results of the other parties as possibly released.
type Violation struct {
	Party       string
	At          time.Time
	AgreementID string
	// FindingID is the confirmed finding, named in the note; 0 if unknown.
	FindingID int64
}

// DefaultNearTime is the default Options.NearTime: a week either side of
// the window, enough to show the days between two readings' start dates.
const DefaultNearTime = 7 * 24 * time.Hour

// Options tune a Matcher. The zero value evaluates every reading and reports
// near misses.
type Options struct {
	// Reading restricts matching to one party's reading. Agreements without a
	// reading of that party are read as written.
	Reading string
	// NoNearMisses drops near misses: checking stops at the first failing
	// clause, the fast path of `truce check` without --near-misses.
	NoNearMisses bool
	// NearTime is how far outside a window a record may lie and still be a
	// near miss on time; zero means DefaultNearTime. Farther records, and
	// all records against a window that has no start (a proposal never in
	// force), give no result: a strike a year before a truce is not one
	// that "nearly" broke it.
	NearTime time.Duration
	// ResolveAdmin1 maps a region name of an agreement's geography
	// ("Donetsk") to its ISO 3166-2 id ("UA-14"), so events resolved by the
	// gazetteer match regardless of spelling. Nil compares names.
	ResolveAdmin1 func(name string) (id string, ok bool)
}

// Strongest keeps, of the results with one key (agreement version,
// commitment, reading, accused), the one with the strongest verdict
// (candidate, ambiguous, excepted, near miss), the earliest part on a tie,
// and notes the parts it stands for. A record is one finding per key: the
// store's, and an analyst's, unit of review. rs is filtered in place.
func Strongest(rs []Result) []Result {
	out := rs[:0]
	for i := range rs {
		r := rs[i]
		j := -1
		for k := range out {
			o := &out[k]
			if o.AgreementID == r.AgreementID && o.Version == r.Version && o.CommitmentID == r.CommitmentID &&
				o.Reading == r.Reading && o.Accused == r.Accused {
				j = k
				break
			}
		}
		if j < 0 {
			out = append(out, r)
			continue
		}
		kept, other := &out[j], r
		if rank(r.Verdict) < rank(kept.Verdict) {
			*kept, other = r, *kept
		}
		if other.Part > 0 {
			kept.Notes = append(kept.Notes, "the record also alleges part "+strconv.Itoa(other.Part)+" ("+string(other.Verdict)+")")
		}
	}
	return out
}

func rank(v Verdict) int {
	switch v {
	case VerdictCandidate:
		return 0
	case VerdictAmbiguous:
		return 1
	case VerdictExcepted:
		return 2
	}
	return 3
}
