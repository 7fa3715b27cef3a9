// Package strikes reads the daily strike reports of the Ukrainian Air Force
// as digitised in "Massive Missile Attacks on Ukraine" (missile_attacks_daily
// .csv): one row per attack wave and weapon model, with counts launched and
// destroyed and the region targeted.
//
// One row is one event. The file has no id, so SourceID is derived from the
// row; see SourceID.
//
// Time: time_start and time_end are Kyiv local time, "2025-03-18 19:00" (the
// hour may have one digit) or just "2025-03-18". The span is [start, end),
// converted to UTC through Europe/Kyiv, daylight saving included. A date
// without a time stands for its whole Kyiv day: as a start it is 00:00, as
// an end the next day's 00:00. Precision is "exact" when both ends have a
// time of day, "day" otherwise. A missing end makes the span the start's own
// minute or day. An end before the start on the same date with an earlier
// clock time is a wave that ran past midnight (the date was not moved on):
// it gets a day added; any other end before the start is a row error.
//
// Place is the target as written: "Ukraine", a macro-region ("south",
// "east"), several regions joined by "and" are country precision; "Odesa
// oblast" is admin1 (Admin1 as the source names it); "Dnipropetrovsk oblast,
// Dnipro Raion" is admin2; a single other name ("Kryvyi Rih") is taken as a
// town. Targets are in Ukraine except oblasts of Russia that the data names
// (Kursk, Belgorod, Bryansk).
//
// Kind: strike.drone when is_shahed is above zero or the model names a drone
// (Shahed, UAV, Orlan, Lancet, ...), strike.air for aerial bombs, otherwise
// strike.missile. Reconnaissance drones count as drones: the dataset records
// launches and shoot-downs, not the drone's role.
package strikes

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	// The format is defined in Kyiv time: the zone data ships with the
	// parser so a static binary on a bare image still converts correctly.
	_ "time/tzdata"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/ingest"
)

// Source is the Event.Source of strike-report events.
const Source = "missile-attacks-ukraine"

// Launcher is the actor every row names: the data records Russian launches.
var launcher = event.Actor{Name: "Armed Forces of the Russian Federation", Role: "launcher"}

type columns struct {
	start, end, model, launchPlace, target, launched, destroyed, isShahed, affected int
}

// Reader reads missile_attacks_daily.csv. It implements ingest.Reader.
// Required columns: time_start, model.
type Reader struct {
	*ingest.TableReader
	file  string
	c     columns
	kyiv  *time.Location
	seen  map[string]int // rows per SourceID key, for repeated keys
	dates []*ingest.DateColumn
}

// NewReader returns a reader of the strike reports in r; file names it in
// messages.
func NewReader(r io.Reader, file string) *Reader {
	rd := &Reader{file: file, seen: make(map[string]int)}
	rd.TableReader = ingest.NewTableReader(r, file, rd.setup, rd.convert)
	return rd
}

func (r *Reader) setup(t *ingest.Table) error {
	kyiv, err := time.LoadLocation("Europe/Kyiv")
	if err != nil {
		return fmt.Errorf("loading the Kyiv time zone: %w", err)
	}
	r.kyiv = kyiv
	if err := t.Require("time_start", "model"); err != nil {
		return err
	}
	dates, err := t.Dates("time_start", "time_end")
	if err != nil {
		return err
	}
	r.dates = dates
	r.c = columns{
		start: t.Col("time_start"), end: t.Col("time_end"), model: t.Col("model"),
		launchPlace: t.Col("launch_place"), target: t.Col("target"),
		launched: t.Col("launched"), destroyed: t.Col("destroyed"),
		isShahed: t.Col("is_shahed"), affected: t.Col("affected region"),
	}
	return nil
}

// SourceID identifies a row that has no id of its own: the first 16 hex
// digits of the SHA-256 of its time_start, time_end, model, launch_place and
// target (trimmed, joined by a unit separator). These fields say which wave
// and weapon a row is about, and they are not the counts that get corrected
// upstream. The real file repeats a key for separate reports of the same
// day (two posts on 2025-05-21 each reporting Orlan-10s in the south): the
// n-th row with a key, counted in file order, gets "-n" appended from n = 2.
// That stays stable as long as upstream keeps such rows in their order.
func SourceID(timeStart, timeEnd, model, launchPlace, target string) string {
	h := sha256.New()
	for i, s := range []string{timeStart, timeEnd, model, launchPlace, target} {
		if i > 0 {
			h.Write([]byte{0x1f})
		}
		h.Write([]byte(strings.TrimSpace(s)))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

type box struct {
	ev     event.Event
	reason event.Reason
	actors [1]event.Actor
}

func (r *Reader) rowError(line int, field, reason, value string) *ingest.RowError {
	return &ingest.RowError{File: r.file, Line: line, Field: field, Reason: reason, Value: value}
}

func (r *Reader) convert(row ingest.Row) (*event.Event, *ingest.RowError) {
	f, c := row.Fields, &r.c
	get := func(i int) string { return strings.TrimSpace(ingest.Get(f, i)) }
	startS, endS, model := get(c.start), get(c.end), get(c.model)
	if model == "" {
		return nil, r.rowError(row.Line, "model", "missing", "")
	}
	span, rerr := r.span(row.Line, startS, endS)
	if rerr != nil {
		return nil, rerr
	}
	launched, ok := count(get(c.launched))
	if !ok {
		return nil, r.rowError(row.Line, "launched", "not a count", get(c.launched))
	}
	destroyed, ok := count(get(c.destroyed))
	if !ok {
		return nil, r.rowError(row.Line, "destroyed", "not a count", get(c.destroyed))
	}
	shahed, ok := count(get(c.isShahed))
	if !ok {
		return nil, r.rowError(row.Line, "is_shahed", "not a count", get(c.isShahed))
	}
	affected, err := ParseList(get(c.affected))
	if err != nil {
		return nil, r.rowError(row.Line, "affected region", err.Error(), get(c.affected))
	}

	target := get(c.target)
	id := SourceID(startS, endS, model, get(c.launchPlace), target)
	r.seen[id]++
	if n := r.seen[id]; n > 1 {
		id += "-" + strconv.Itoa(n)
	}

	b := &box{}
	ev := &b.ev
	ev.Source, ev.SourceID, ev.Time = Source, id, span
	ev.Raw, ev.Hash = row.Raw, row.Hash
	ev.Place = TargetPlace(target)
	b.actors[0] = launcher
	ev.Actors = b.actors[:]
	ev.Kind, b.reason = Classify(model, shahed)
	ev.KindReason = &b.reason
	ev.Text = summary(model, launched, destroyed, target, affected)
	// The reports name the region a wave was aimed at, never the facility:
	// the target is unknown, which matching treats as "may be prohibited".
	ev.Targets = []event.Reason{{Term: "unknown", Field: "target", Match: target,
		Rule: "the daily strike reports name the region aimed at, never the facility"}}
	return ev, nil
}

// span reads the start and end; see the package comment.
func (r *Reader) span(line int, startS, endS string) (event.Span, *ingest.RowError) {
	start, startClock, ok := r.parseTime(startS, 0)
	if !ok {
		return event.Span{}, r.rowError(line, "time_start", "not a time (want YYYY-MM-DD HH:MM or YYYY-MM-DD)", startS)
	}
	sp := event.Span{Start: start, Precision: event.TimeExact}
	if !startClock {
		sp.Precision = event.TimeDay
	}
	if endS == "" {
		if startClock {
			sp.End = start.Add(time.Minute)
		} else {
			sp.End = start.AddDate(0, 0, 1)
		}
		return r.utc(sp), nil
	}
	end, endClock, ok := r.parseTime(endS, 1)
	if !ok {
		return event.Span{}, r.rowError(line, "time_end", "not a time (want YYYY-MM-DD HH:MM or YYYY-MM-DD)", endS)
	}
	if !endClock {
		end = end.AddDate(0, 0, 1) // the end day is included
		sp.Precision = event.TimeDay
	}
	if end.Before(start) && startClock && endClock && sameDay(start, end) {
		end = end.AddDate(0, 0, 1) // ran past midnight, date not moved on
	}
	if end.Before(start) {
		return event.Span{}, r.rowError(line, "time_end", "before time_start", endS)
	}
	if !end.After(start) {
		end = start.Add(time.Minute)
	}
	sp.End = end
	return r.utc(sp), nil
}

func (r *Reader) utc(sp event.Span) event.Span {
	sp.Start, sp.End = sp.Start.UTC(), sp.End.UTC()
	return sp
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// parseTime reads "2025-03-18 19:00", "2023-05-16 3:30" or "2025-03-18" in
// Kyiv time, and says whether it had a time of day; other layouts go
// through the column's DateColumn (dates[i]).
func (r *Reader) parseTime(s string, i int) (t time.Time, clock, ok bool) {
	if t, clock, ok := r.parseISOTime(s); ok {
		return t, clock, ok
	}
	dt, reason := r.dates[i].Parse(s)
	if reason != "" {
		return time.Time{}, false, false
	}
	return dt.In(r.kyiv), dt.HasTime, true
}

func (r *Reader) parseISOTime(s string) (t time.Time, clock, ok bool) {
	date, hm, clock := strings.Cut(s, " ")
	y, m, d, ok := ingest.ParseISODate(date)
	if !ok {
		return time.Time{}, false, false
	}
	if !clock {
		return time.Date(y, m, d, 0, 0, 0, 0, r.kyiv), false, true
	}
	hs, ms, ok := strings.Cut(strings.TrimSpace(hm), ":")
	h, err1 := strconv.Atoi(hs)
	mi, err2 := strconv.Atoi(ms)
	if !ok || len(hs) > 2 || len(ms) != 2 || err1 != nil || err2 != nil || h < 0 || h > 23 || mi < 0 || mi > 59 {
		return time.Time{}, false, false
	}
	return time.Date(y, m, d, h, mi, 0, 0, r.kyiv), true, true
}

// count reads a count written as a float ("93.0"); empty is unknown (-1).
func count(s string) (int, bool) {
	if s == "" {
		return -1, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e9 || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// summary is the event's text: "93 Shahed-136/131 launched, 76 destroyed,
// target Ukraine", with the affected regions when the row lists them.
func summary(model string, launched, destroyed int, target string, affected []string) string {
	var b strings.Builder
	if launched >= 0 {
		b.WriteString(strconv.Itoa(launched))
		b.WriteByte(' ')
	}
	b.WriteString(model)
	if launched >= 0 {
		b.WriteString(" launched")
	}
	if destroyed >= 0 {
		b.WriteString(", ")
		b.WriteString(strconv.Itoa(destroyed))
		b.WriteString(" destroyed")
	}
	if target != "" {
		b.WriteString(", target ")
		b.WriteString(target)
	}
	if len(affected) > 0 {
		b.WriteString(", affected ")
		b.WriteString(strings.Join(affected, ", "))
	}
	return b.String()
}

// Classify maps a weapon model (and the is_shahed count) to a kind.
func Classify(model string, isShahed int) (string, event.Reason) {
	for _, w := range droneWords {
		if ingest.ContainsFold(model, w) {
			return "strike.drone", event.Reason{Term: "strike.drone", Field: "model", Match: w, Rule: "drone model"}
		}
	}
	for _, w := range droneWordsCyrillic {
		if strings.Contains(model, w) {
			return "strike.drone", event.Reason{Term: "strike.drone", Field: "model", Match: w, Rule: "drone model"}
		}
	}
	if isShahed > 0 {
		return "strike.drone", event.Reason{Term: "strike.drone", Field: "is_shahed", Match: strconv.Itoa(isShahed), Rule: "is_shahed above zero"}
	}
	for _, w := range bombWords {
		if ingest.ContainsFold(model, w) {
			return "strike.air", event.Reason{Term: "strike.air", Field: "model", Match: w, Rule: "aerial bomb"}
		}
	}
	return "strike.missile", event.Reason{Term: "strike.missile", Field: "model", Match: model, Rule: "missile model"}
}

// Drone models of the dataset, lower-case ASCII for ContainsFold.
var droneWords = []string{"shahed", "geran", "uav", "drone", "orlan", "supercam", "zala", "lancet",
	"merlin", "orion", "forpost", "mohajer", "eleron", "granat", "molniya", "gerbera", "kub"}

// Drone models the dataset spells in Cyrillic.
var droneWordsCyrillic = []string{"Молнія", "Картограф", "Привет", "Фенікс"}

var bombWords = []string{"aerial bomb", "gbu", "kab"}

// ParseList reads a Python list literal of strings, as the "affected
// region" column holds them: ['Kyiv oblast', 'Sumy oblast']. Empty text is
// an empty list.
func ParseList(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, errors.New("not a list literal")
	}
	s = strings.TrimSpace(s[1 : len(s)-1])
	var out []string
	for s != "" {
		q := s[0]
		if q != '\'' && q != '"' {
			return nil, errors.New("list item is not a quoted string")
		}
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != q; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			return nil, errors.New("unterminated string in list")
		}
		out = append(out, b.String())
		s = strings.TrimSpace(s[i+1:])
		if s == "" {
			break
		}
		if s[0] != ',' {
			return nil, errors.New("list items not separated by commas")
		}
		s = strings.TrimSpace(s[1:])
	}
	return out, nil
}

// russianRegions are the target oblasts in Russia that the data names.
var russianRegions = map[string]bool{"Kursk oblast": true, "Belgorod oblast": true, "Bryansk oblast": true}

// macroRegions are the parts of Ukraine the Air Force reports by.
var macroRegions = map[string]bool{
	"north": true, "south": true, "east": true, "west": true, "center": true, "centre": true,
	"north-east": true, "north-west": true, "south-east": true, "south-west": true, "front line": true,
}

// TargetPlace reads the target column; see the package comment.
func TargetPlace(target string) event.Place {
	p := event.Place{Name: target, Country: "UA", Precision: event.GeoCountry}
	if target == "" || target == "Ukraine" || strings.Contains(target, " and ") || macroRegions[strings.ToLower(target)] {
		return p
	}
	first, rest, _ := strings.Cut(target, ",")
	first = strings.TrimSpace(first)
	if i := strings.Index(first, " ("); i > 0 {
		first = first[:i] // "Kyiv oblast (south)"
	}
	if !strings.HasSuffix(strings.ToLower(first), " oblast") {
		p.Precision = event.GeoTown
		return p
	}
	p.Admin1, p.Precision = first, event.GeoAdmin1
	if russianRegions[first] {
		p.Country = "RU"
	}
	if rest = strings.TrimSpace(rest); strings.HasSuffix(strings.ToLower(rest), " raion") {
		p.Admin2, p.Precision = rest, event.GeoAdmin2
	}
	return p
}
