// Package event holds the evidence truce works on: events read from datasets
// and claims made by parties or outlets. It is a leaf package: plain types
// with no database, HTTP or format code.
package event

import (
	"encoding/json"
	"time"
)

// TimePrecision says how exactly a source knows when something happened.
type TimePrecision string

// Time precisions, from finest to coarsest.
const (
	TimeExact TimePrecision = "exact" // to the minute or better
	TimeHour  TimePrecision = "hour"
	TimeDay   TimePrecision = "day"
	TimeWeek  TimePrecision = "week"
	TimeMonth TimePrecision = "month"
	TimeYear  TimePrecision = "year"
)

// Span is a half-open time interval [Start, End) in UTC with its precision.
// A day-precision event is the whole local day it happened on, not its
// midnight: matching compares intervals, never points.
type Span struct {
	Start     time.Time     `json:"start"`
	End       time.Time     `json:"end"`
	Precision TimePrecision `json:"precision"`
}

// GeoPrecision says how exactly a source knows where something happened.
type GeoPrecision string

// Geographic precisions, from finest to coarsest.
const (
	GeoExact   GeoPrecision = "exact"   // coordinates of the site
	GeoTown    GeoPrecision = "town"    // the named settlement
	GeoNear    GeoPrecision = "near"    // near the named settlement
	GeoAdmin2  GeoPrecision = "admin2"  // district / raion
	GeoAdmin1  GeoPrecision = "admin1"  // region / oblast
	GeoCountry GeoPrecision = "country" // only the country is known
	GeoUnknown GeoPrecision = "unknown"
)

// Place is where an event happened, as precisely as the source says.
type Place struct {
	Name    string `json:"name,omitempty"`
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Admin1  string `json:"admin1,omitempty"`  // as the source names it
	// Admin1ID is the resolved first-level unit, ISO 3166-2 ("UA-14"), empty
	// when the gazetteer could not resolve the place.
	Admin1ID  string       `json:"admin1_id,omitempty"`
	Admin2    string       `json:"admin2,omitempty"`
	Admin3    string       `json:"admin3,omitempty"`
	Lat       *float64     `json:"lat,omitempty"`
	Lon       *float64     `json:"lon,omitempty"`
	Precision GeoPrecision `json:"precision"`
}

// Actor is one side of an event as the source names it, and the party id it
// maps to under an agreement's alias table (empty when unmapped).
type Actor struct {
	Name  string `json:"name"`
	Role  string `json:"role"` // "actor1", "assoc_actor_1", "accused", ...
	Party string `json:"party,omitempty"`
}

// Reason records why a classifier assigned a term: which words in which
// field, so a reviewer can check it in seconds.
type Reason struct {
	Term  string `json:"term"`  // the assigned taxonomy id
	Field string `json:"field"` // the source field that was read
	Match string `json:"match"` // the words that matched
	Rule  string `json:"rule,omitempty"`
	// Inferred marks a target read from a consequence ("left without
	// electricity"), not named: evidence of a hit on the category, never
	// proof, so a match on it is ambiguous.
	Inferred bool `json:"inferred,omitempty"`
}

// Allegation is one act a record's text alleges: who did what, to which
// target, where, how many times. A claim "46 drones shot down; Ukraine
// struck the gas metering station at Sudzha" holds two: an interception
// tally and a strike. Each part is matched and explained on its own and
// named by its record's id and Part ("claim/17#2").
type Allegation struct {
	Part       int     `json:"part"` // 1-based, in text order
	Kind       string  `json:"kind"` // taxonomy.Kinds id
	KindReason *Reason `json:"kind_reason,omitempty"`
	// Actor is the acting party's id, empty when neither the text nor a
	// default names one. ActorReason says which words named it; its Rule is
	// "default" when the text names no actor and the mapping's default
	// (accused) was used.
	Actor       string   `json:"actor,omitempty"`
	ActorReason *Reason  `json:"actor_reason,omitempty"`
	Targets     []Reason `json:"targets,omitempty"`
	// Count is the number of acts alleged ("более 100 ударов"); for a tally,
	// the number intercepted.
	Count       *int    `json:"count,omitempty"`
	CountReason *Reason `json:"count_reason,omitempty"`
	// Places are the regions named with the act; empty when the text names
	// none (the record's own places then apply).
	Places []Place `json:"places,omitempty"`
	// Tally is an interception count ("46 drones shot down"): it describes
	// the other side's failed attack, not an act of its own on a target.
	Tally bool `json:"tally,omitempty"`
	// Attempt is an act the text says was tried and stopped.
	Attempt bool `json:"attempt,omitempty"`
}

// Event is one record of a dataset, normalised, keeping the raw record.
type Event struct {
	ID         int64    `json:"id,omitempty"` // store id, zero before storing
	Source     string   `json:"source"`       // dataset name, e.g. "acled"
	SourceID   string   `json:"source_id"`    // the record's id in that dataset
	Version    int      `json:"version,omitempty"`
	Deleted    bool     `json:"deleted,omitempty"`
	Time       Span     `json:"time"`
	Place      Place    `json:"place"`
	Actors     []Actor  `json:"actors,omitempty"`
	Kind       string   `json:"kind"` // taxonomy.Kinds id
	KindReason *Reason  `json:"kind_reason,omitempty"`
	Targets    []Reason `json:"targets,omitempty"` // taxonomy.Targets ids, each with its reason
	// Allegations are acts the text alleges beyond what the codes say (a
	// clash whose notes report shelling damage to a plant is also a strike
	// on it). Matched as parts 1..n besides the coded reading (part 0).
	Allegations []Allegation    `json:"allegations,omitempty"`
	Fatalities  *int            `json:"fatalities,omitempty"`
	Text        string          `json:"text,omitempty"`
	Raw         json.RawMessage `json:"raw"` // the source record as read, field by field
	Hash        string          `json:"hash"`
}

// ClaimType distinguishes a specific allegation from a count.
type ClaimType string

// Claim types.
const (
	ClaimAllegation ClaimType = "allegation" // "X struck Y at Z"
	ClaimCount      ClaimType = "count"      // "14 attacks in 24 hours": never expanded into events
	ClaimDenial     ClaimType = "denial"     // denies another claim
)

// Claim is an allegation made by a party or an outlet.
type Claim struct {
	ID        int64     `json:"id,omitempty"`
	Source    string    `json:"source"`
	SourceID  string    `json:"source_id"`
	Version   int       `json:"version,omitempty"`
	Deleted   bool      `json:"deleted,omitempty"`
	Type      ClaimType `json:"type"`
	Claimant  string    `json:"claimant"` // party id or outlet name
	Accused   string    `json:"accused,omitempty"`
	Published time.Time `json:"published"`
	Time      Span      `json:"time"` // when the alleged conduct happened
	Places    []Place   `json:"places,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Targets   []Reason  `json:"targets,omitempty"`
	Count     *int      `json:"count,omitempty"` // for count-only claims
	// Allegations are the acts read from the text, each matched on its own;
	// when there are none the claim is matched as a whole.
	Allegations []Allegation    `json:"allegations,omitempty"`
	Answers     string          `json:"answers,omitempty"`
	Text        string          `json:"text"`
	URL         string          `json:"url,omitempty"`
	Raw         json.RawMessage `json:"raw"`
	Hash        string          `json:"hash"`
}

// HasTerm reports whether one of rs assigns term.
func HasTerm(rs []Reason, term string) bool {
	for i := range rs {
		if rs[i].Term == term {
			return true
		}
	}
	return false
}
