package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Terms are what a finding's plain sentence names from its agreement: the
// parties' names, the commitments' titles and each reading's time zone.
type Terms struct {
	Parties     map[string]string         // id: name ("RU": "Russia")
	Commitments map[string]string         // id: title
	Zones       map[string]*time.Location // reading: its window's zone ("Europe/Moscow"), loaded once
	Regions     map[string]string         // admin-1 code: the gazetteer's name
}

// Sentence says a finding in one plain sentence, in the reading's local
// time, for people who do not read codes: who alleged or reported what,
// against whom, where, and which commitment it falls under in whose
// reading. Codes (UA-14, admin1) stay in the detail.
//
//	On 19 March 2025 (Moscow time) Russia alleged that Ukraine struck a
//	pumping or metering station in Krasnodar Krai: prohibited by 'No strikes
//	on energy infrastructure' under Russia's reading.
func Sentence(f *Finding, t Terms) string {
	var b strings.Builder
	b.WriteString(when(f, t.Zones[f.Reading]))
	b.WriteByte(' ')
	accused := name(t.Parties, f.Accused, "an unidentified side")
	switch {
	case f.Record == vocab.KindClaim && f.Claimant != "":
		fmt.Fprintf(&b, "%s alleged that %s %s", name(t.Parties, f.Claimant, f.Claimant), accused, act(f))
	case f.Record == vocab.KindClaim:
		fmt.Fprintf(&b, "a claim in %s said that %s %s", f.Source, accused, act(f))
	default:
		fmt.Fprintf(&b, "%s reported that %s %s", sourceName(f.Source), accused, act(f))
	}
	if where := place(f.Place, t.Regions); where != "" {
		b.WriteString(" in " + where)
	}
	commitment := t.Commitments[f.CommitmentID]
	if commitment == "" {
		commitment = f.CommitmentID
	}
	reading := "under " + name(t.Parties, f.Reading, f.Reading) + "'s reading"
	if f.Reading == "agreed" || f.Reading == "" {
		reading = "under the agreed text"
	}
	switch f.Verdict {
	case vocab.VerdictCandidate:
		fmt.Fprintf(&b, ": prohibited by '%s' %s.", commitment, reading)
	case vocab.VerdictAmbiguous:
		fmt.Fprintf(&b, ": possibly prohibited by '%s' %s; a reviewer must decide.", commitment, reading)
	case vocab.VerdictExcepted:
		fmt.Fprintf(&b, ": within an exception to '%s' %s.", commitment, reading)
	default:
		fmt.Fprintf(&b, ": near '%s' %s, but outside it.", commitment, reading)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// when is the record's time in the reading's zone, named by its city.
func when(f *Finding, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	zone := loc.String()
	city := zone
	if i := strings.LastIndexByte(zone, '/'); i >= 0 {
		city = strings.ReplaceAll(zone[i+1:], "_", " ")
	}
	start := f.Span.Start.In(loc)
	end := f.Span.End.In(loc)
	day := func(t time.Time) string { return t.Format("2 January 2006") }
	switch {
	case f.Span.Start.IsZero():
		return "At an unknown time"
	case f.Span.Precision == event.TimeExact || f.Span.Precision == event.TimeHour:
		return fmt.Sprintf("On %s at %s (%s time)", day(start), start.Format("15:04"), city)
	case !end.IsZero() && end.Sub(start) > 36*time.Hour:
		return fmt.Sprintf("Between %s and %s (%s time)", start.Format("2 January"), day(end.Add(-time.Nanosecond)), city)
	}
	return fmt.Sprintf("On %s (%s time)", day(start), city)
}

// act is what the record says the accused did, and to what.
func act(f *Finding) string {
	verb := "carried out an attack on"
	switch top, _, _ := strings.Cut(f.Kind, "."); top {
	case "strike":
		verb = "struck"
		if f.Kind == "strike.artillery" {
			verb = "shelled"
		}
	case "ground":
		verb = "attacked"
	case "explosion", "sabotage":
		verb = "damaged"
	}
	return verb + " " + targetNoun(f.Category)
}

// targetNouns name the target categories in a sentence.
var targetNouns = map[string]string{
	"energy":                           "energy infrastructure",
	"energy.refinery":                  "an oil refinery",
	"energy.oil_gas":                   "oil and gas infrastructure",
	"energy.oil_gas.pipeline":          "a pipeline",
	"energy.oil_gas.storage":           "a fuel or gas store",
	"energy.oil_gas.pumping":           "a pumping or metering station",
	"energy.electricity":               "the power supply",
	"energy.electricity.generation":    "a power plant",
	"energy.electricity.transmission":  "the power grid",
	"energy.nuclear":                   "a nuclear power plant",
	"energy.hydro":                     "a hydroelectric plant",
	"civilian":                         "civilian objects",
	"civilian.residential":             "homes",
	"civilian.medical":                 "a medical facility",
	"civilian.education":               "a school",
	"civilian.religious":               "a place of worship",
	"civilian.commercial":              "shops or offices",
	"civilian.agriculture":             "farms or grain stores",
	"civilian.humanitarian":            "humanitarian aid",
	"civilian.people":                  "civilians",
	"infrastructure":                   "infrastructure",
	"infrastructure.transport":         "transport infrastructure",
	"infrastructure.transport.rail":    "a railway",
	"infrastructure.transport.road":    "a road or bridge",
	"infrastructure.transport.port":    "a port",
	"infrastructure.transport.airport": "an airport",
	"infrastructure.water":             "the water supply",
	"infrastructure.telecom":           "telecommunications",
	"infrastructure.industrial":        "an industrial site",
	"infrastructure.government":        "a government building",
	"military":                         "military targets",
	"military.personnel":               "troops",
	"military.equipment":               "military equipment",
	"military.base":                    "a military base",
	"military.logistics":               "military supplies",
}

// targetNoun is a category as a noun: its own, its nearest broader
// category's, or the category's id in words.
func targetNoun(category string) string {
	for c := category; c != ""; {
		if n, ok := targetNouns[c]; ok {
			return n
		}
		i := strings.LastIndexByte(c, '.')
		if i < 0 {
			break
		}
		c = c[:i]
	}
	if category == "" || !taxonomy.Targets.Has(category) {
		return "a target"
	}
	return strings.NewReplacer(".", " ", "_", " ").Replace(category)
}

// place is where, in words: the place and its region, or the region, or
// the country.
func place(p event.Place, regions map[string]string) string {
	if n := regions[p.Admin1ID]; n != "" {
		p.Admin1 = n // the gazetteer's name, not the source's spelling
	}
	switch {
	case p.Name != "" && p.Admin1 != "" && !strings.EqualFold(p.Name, p.Admin1):
		return p.Name + ", " + p.Admin1
	case p.Name != "":
		return p.Name
	case p.Admin1 != "":
		return p.Admin1
	}
	return p.Country
}

func name(names map[string]string, id, none string) string {
	if id == "" {
		return none
	}
	if n := names[id]; n != "" {
		return n
	}
	return id
}

// sourceName is how a sentence names a record's source.
func sourceName(source string) string {
	known := map[string]string{"acled": "ACLED", "ucdp": "UCDP", "gdelt": "GDELT"}
	if n, ok := known[source]; ok {
		return n
	}
	return "the source " + source
}
