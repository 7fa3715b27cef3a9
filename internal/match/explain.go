package match

import (
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// Everything in this file runs only for records that give a result: the
// words are written once a record is known to be worth reporting. All the
// texts of one result go into one buffer, turned into one string that the
// details and notes slice, so a result costs a handful of allocations, not
// one per phrase.

// view is what the explanations read of an event or a claim.
type view struct {
	ev         *event.Event
	cl         *event.Claim
	al         *event.Allegation // the part of the record's text being matched, if any
	kind       string
	kindReason *event.Reason
	targets    []event.Reason
	span       event.Span
}

// writer accumulates the texts of one result. A strings.Builder hands its
// bytes over as a string without copying them.
type writer struct{ sb strings.Builder }

func (w *writer) s(parts ...string) {
	for _, p := range parts {
		w.sb.WriteString(p)
	}
}

// time writes t in the layout.
func (w *writer) time(t time.Time, layout string) {
	var buf [32]byte
	w.sb.Write(t.AppendFormat(buf[:0], layout))
}

func (w *writer) pos() int { return w.sb.Len() }

func (w *writer) String() string { return w.sb.String() }

// cut is a [from, to) range of the writer's text.
type cut struct{ from, to int }

// result writes the result for accused party i (or -1 when the party
// clause fails).
func (m *Matcher) result(u *unit, v *view, p *probe, a *attribution, i int) Result {
	r := Result{
		AgreementID: u.ag.id, Version: u.ag.version, Reading: u.reading,
		CommitmentID: u.commitment, Time: p.pos,
	}
	if v.al != nil {
		r.Part = v.al.Part
	}
	switch {
	case i >= 0:
		r.Accused = a.party[i]
	case contains(u.ag.parties, a.other):
		r.Accused = a.other
	}
	if v.cl != nil {
		r.Claimant = u.ag.partyOf(v.cl.Claimant)
	}

	var w writer
	w.sb.Grow(1024)
	var details [5]cut
	var timeValue cut
	r.Checks = make([]Check, 5)
	for k := range r.Checks {
		from := w.pos()
		switch k {
		case 0:
			r.Checks[k] = u.partyCheck(&w, v, p, a, i)
		case 1:
			r.Checks[k] = u.kindCheck(&w, v, p)
		case 2:
			r.Checks[k] = u.targetCheck(&w, v, p, &r)
		case 3:
			r.Checks[k] = u.placeCheck(&w, v, p)
		case 4:
			r.Checks[k] = m.timeCheck(&w, u, v, p, &timeValue)
		}
		details[k] = cut{from, w.pos()}
	}

	switch {
	case p.fails > 0:
		r.Verdict = VerdictNearMiss
		for _, c := range r.Checks {
			if !c.OK {
				r.Failed = c.Clause
			}
		}
	case p.kind == maybe || p.target == maybe || p.place == maybe || p.time == maybe || p.party == maybe:
		r.Verdict = VerdictAmbiguous
	default:
		r.Verdict = VerdictCandidate
	}

	var notes []cut
	note := func(parts ...string) {
		from := w.pos()
		w.s(parts...)
		notes = append(notes, cut{from, w.pos()})
	}
	if v.cl != nil && v.cl.Type == event.ClaimCount {
		n := "an unstated number of"
		if v.cl.Count != nil {
			n = strconv.Itoa(*v.cl.Count)
		}
		note("count-only claim: ", n, " incidents alleged, not expanded into events")
	}
	if v.ev != nil && v.ev.Source == "gdelt" {
		note("GDELT is machine-coded: a lead, never evidence on its own")
	}
	if r.Verdict == VerdictCandidate || r.Verdict == VerdictAmbiguous {
		for j := range u.except {
			if why, ok := u.except[j].covers(u, v); ok {
				r.Verdict, r.Exception = VerdictExcepted, u.except[j].id
				note("exception ", u.except[j].id, " covers it: ", why)
				break
			}
		}
	}
	if r.Verdict == VerdictCandidate || r.Verdict == VerdictAmbiguous {
		for _, id := range u.wordOnly {
			note("exception ", id, " may apply: a reviewer must decide")
		}
	}
	if from := w.pos(); m.releaseNote(&w, u, r.Accused, v.span) {
		notes = append(notes, cut{from, w.pos()})
	}

	all := w.String()
	for k := range r.Checks {
		r.Checks[k].Detail = all[details[k].from:details[k].to]
	}
	if timeValue.to > 0 {
		r.Checks[4].Value = all[timeValue.from:timeValue.to]
	}
	if len(notes) > 0 {
		r.Notes = make([]string, len(notes))
		for k, n := range notes {
			r.Notes[k] = all[n.from:n.to]
		}
	}
	return r
}

func (u *unit) partyCheck(w *writer, v *view, p *probe, a *attribution, i int) Check {
	c := Check{Clause: ClauseParty, OK: p.party != fails, Unsure: p.party == maybe}
	if v.cl != nil {
		c.Field, c.Value = "accused", v.cl.Accused
		w.s("claim by ")
		switch claimant, party := v.cl.Claimant, u.ag.partyOf(v.cl.Claimant); {
		case claimant == "":
			w.s("an unnamed claimant")
		case party != claimant:
			w.s(party, " ('", claimant, "')")
		default:
			w.s(claimant)
		}
		switch {
		case i >= 0:
			w.s(" accuses ", a.party[i])
			actorWords(w, v.al)
			w.s("; ", a.party[i], " is bound by ", u.commitment)
		case v.cl.Accused == "":
			w.s(" names no accused party (bound by ", u.commitment, ": ", u.boundTxt, ")")
		default:
			w.s(" accuses '", v.cl.Accused, "', not a party bound by ", u.commitment, " (bound: ", u.boundTxt, ")")
		}
		return c
	}
	actors := v.ev.Actors
	if i >= 0 {
		act := &actors[a.actor[i]]
		c.Field, c.Value = act.Role, act.Name
		party := a.party[i]
		if !a.unsure {
			w.s("actor '", act.Name, "' (", act.Role, ") = party ", party, " ")
			u.ag.via(w, act, party, v.ev.Source)
			w.s("; ", party, " is bound by ", u.commitment)
			return c
		}
		w.s(act.Role, " '", act.Name, "' = party ", party, " ")
		u.ag.via(w, act, party, v.ev.Source)
		w.s("; ", party, " is bound by ", u.commitment, ", but side_a/side_b do not say which side acted")
		for j := 0; j < a.n; j++ {
			if j != i {
				other := &actors[a.actor[j]]
				w.s("; ", other.Role, " '", other.Name, "' = party ", a.party[j], " is bound too: whichever acted, a bound party did")
			}
		}
		return c
	}
	if a.otherActor >= 0 {
		act := &actors[a.otherActor]
		c.Field, c.Value = act.Role, act.Name
		w.s("actor '", act.Name, "' (", act.Role, ") = party ", a.other, ", not bound by ", u.commitment, " (bound: ", u.boundTxt, ")")
		return c
	}
	acting := 0
	for j := range actors {
		if sideOf(actors[j].Role) != receiving {
			acting++
		}
	}
	if acting == 0 {
		c.Field = "actor1"
		w.s("no acting actor recorded, so no party bound by ", u.commitment, " (", u.boundTxt, ") can be named")
		return c
	}
	w.s("no acting actor is a party bound by ", u.commitment, " (", u.boundTxt, "): ")
	listed := 0
	for j := range actors {
		act := &actors[j]
		if sideOf(act.Role) == receiving {
			continue
		}
		if listed == 0 {
			c.Field, c.Value = act.Role, act.Name
		} else {
			w.s(", ")
		}
		listed++
		w.s(act.Role, " '", act.Name, "' ")
		if act.Party != "" {
			w.s("= party ", act.Party)
		} else {
			w.s("maps to no party")
		}
	}
	return c
}

// via says how an actor's name became a party: by which of the
// agreement's alias lists, named for what it is when the record comes
// from another source (a hand-written report using ACLED's actor names).
func (ag *compiled) via(w *writer, a *event.Actor, party, source string) {
	al, ok := ag.aliasKind[a.Name]
	if !ok {
		al, ok = ag.aliasKind[strings.ToLower(strings.TrimSpace(a.Name))]
	}
	switch {
	case ok && al.party == party && al.kind == source:
		w.s("via ", al.kind, " alias")
	case ok && al.party == party:
		w.s("by the agreement's ", al.kind, " alias list, though the record is from ", source)
	case a.Party != "":
		w.s("as mapped at ingest")
	default:
		w.s("via alias")
	}
}

// actorWords says how an allegation's actor was read: the words that named
// it, or that the text named none and the default applied.
func actorWords(w *writer, al *event.Allegation) {
	switch r := al; {
	case r == nil || r.ActorReason == nil:
	case r.ActorReason.Rule == "default":
		w.s(" (the text names no actor: the mapping's default accused)")
	default:
		w.s(" ('", r.ActorReason.Match, "' in ", r.ActorReason.Field, ", ", r.ActorReason.Rule, ")")
	}
	if al != nil && al.Count != nil && al.CountReason != nil {
		w.s(", ", strconv.Itoa(*al.Count), " times ('", al.CountReason.Match, "')")
	}
}

func reasonText(w *writer, r *event.Reason) {
	w.s("'", r.Match, "' in ", r.Field)
	if r.Rule != "" {
		w.s(", rule ", r.Rule)
	}
}

func (u *unit) kindCheck(w *writer, v *view, p *probe) Check {
	c := Check{Clause: ClauseKind, Field: "kind", Value: v.kind, OK: p.kind != fails}
	if v.kind == "" {
		w.s("no kind recorded (prohibited: ", u.kindsTxt, ")")
		return c
	}
	w.s("kind ", v.kind, " (")
	switch kr := v.kindReason; {
	case kr != nil && kr.Field != "":
		c.Field = kr.Field
		reasonText(w, kr)
	case v.cl != nil:
		w.s("as the claim states")
	default:
		w.s("as recorded")
	}
	if by, ok := taxonomy.CoveredBy(v.kind, u.kindList); ok {
		w.s(") is covered by prohibited '", by, "'")
	} else {
		w.s(") is not prohibited (prohibited: ", u.kindsTxt, ")")
	}
	return c
}

func (u *unit) targetCheck(w *writer, v *view, p *probe, r *Result) Check {
	c := Check{Clause: ClauseTarget, OK: p.target != fails}
	if u.anyTarget {
		w.s("any target: the commitment lists no target categories")
		if len(v.targets) > 0 {
			c.Field, c.Value = v.targets[0].Field, v.targets[0].Match
		}
		return c
	}
	what := "the record"
	if v.cl != nil {
		what = "the claim"
	}
	if len(v.targets) == 0 {
		w.s("no target category recognised in ", what, " (prohibited: ", u.targetsTxt, ")")
		return c
	}
	if p.target == maybe {
		c.Unsure = true
		for i := range v.targets {
			if t := &v.targets[i]; t.Term == unknownTarget {
				c.Field, c.Value = t.Field, t.Match
				w.s("target unknown: ", t.Rule, " (field ", t.Field, "); it may be one of the prohibited ", u.targetsTxt)
				return c
			}
		}
		for i := range v.targets {
			t := &v.targets[i]
			if !t.Inferred {
				continue
			}
			if _, ok := taxonomy.CoveredBy(t.Term, u.targetLst); !ok {
				if _, ok := narrower(t.Term, u.targetLst); !ok {
					continue
				}
			}
			c.Field, c.Value = t.Field, t.Match
			w.s("'", t.Match, "' in ", t.Field, " = a consequence: a hit on ", t.Term,
				" is inferred, not stated; it may be one of the prohibited ", u.targetsTxt)
			return c
		}
		for i := range v.targets {
			t := &v.targets[i]
			if n, ok := narrower(t.Term, u.targetLst); ok {
				c.Field, c.Value = t.Field, t.Match
				w.s("'", t.Match, "' in ", t.Field, " = category ", t.Term, ", broader than the prohibited ", n,
					": it may or may not be one of ", u.targetsTxt)
				return c
			}
		}
	}
	hits := 0
	for i := range v.targets {
		t := &v.targets[i]
		by, ok := taxonomy.CoveredBy(t.Term, u.targetLst)
		if !ok {
			continue
		}
		if hits == 0 {
			c.Field, c.Value = t.Field, t.Match
		} else {
			w.s("; ")
		}
		hits++
		if r.Category == "" || depth(t.Term) > depth(r.Category) {
			r.Category = t.Term
		}
		w.s("'", t.Match, "' in ", t.Field, " = category ", t.Term, ", covered by prohibited ", by)
		if kids, ok := u.implied[by]; ok {
			w.s(" (the commitment lists every subcategory of ", by, ": ", strings.Join(kids, ", "), ")")
		}
	}
	if hits > 0 {
		return c
	}
	c.Field, c.Value = v.targets[0].Field, v.targets[0].Match
	for i := range v.targets {
		t := &v.targets[i]
		if i > 0 {
			w.s("; ")
		}
		w.s("'", t.Match, "' in ", t.Field, " = category ", t.Term)
	}
	w.s(": not prohibited (prohibited: ", u.targetsTxt, ")")
	return c
}

func depth(term string) int { return strings.Count(term, ".") }

func (u *unit) placeCheck(w *writer, v *view, p *probe) Check {
	c := Check{Clause: ClausePlace, Field: "place", OK: p.place != fails, Unsure: p.place == maybe}
	if u.geo.empty() {
		w.s("anywhere: the commitment has no geography")
		if v.ev != nil {
			c.Value = v.ev.Place.Name
		}
		return c
	}
	if v.ev != nil {
		c.Value = v.ev.Place.Name
		c.Field = u.geo.describe(w, &v.ev.Place)
		return c
	}
	ps := v.cl.Places
	if len(ps) == 0 {
		w.s("the claim names no place (", u.geoTxt, ")")
		return c
	}
	// Explain the place that decided: the first with the best outcome.
	best, bestAt := fails+1, 0
	for i := range ps {
		if o := u.geo.placeOutcome(&ps[i]); o < best {
			best, bestAt = o, i
		}
	}
	c.Value = placeName(&ps[bestAt])
	if len(ps) > 1 {
		w.s("place ", strconv.Itoa(bestAt+1), " of ", strconv.Itoa(len(ps)), ": ")
	}
	c.Field = u.geo.describe(w, &ps[bestAt])
	return c
}

func placeName(p *event.Place) string {
	switch {
	case p.Name != "":
		return p.Name
	case p.Admin1 != "":
		return p.Admin1
	}
	return p.Country
}

// text describes the scope: "countries UA, RU and regions Donetsk".
func (s *scope) text() string {
	var parts []string
	if len(s.countries) > 0 {
		parts = append(parts, "countries "+strings.Join(s.countries, ", "))
	}
	if len(s.admin1Desc) > 0 {
		parts = append(parts, "regions "+strings.Join(s.admin1Desc, ", "))
	}
	if len(s.polys) > 0 {
		parts = append(parts, "the commitment's "+s.polyType)
	}
	return strings.Join(parts, " and ")
}

// describe explains one place against the scope, part by part, and returns
// the field that decided.
func (s *scope) describe(w *writer, p *event.Place) (field string) {
	placeText(w, p)
	w.s(": ")
	field = "place"
	sep := ""
	part := func(f string, o outcome, parts ...string) {
		w.s(sep)
		w.s(parts...)
		sep = "; "
		if o != holds && field == "place" {
			field = f
		}
	}
	if len(s.countries) > 0 {
		list := strings.Join(s.countries, ", ")
		switch {
		case p.Country == "":
			part("country", maybe, "country unknown (countries ", list, ")")
		case contains(s.countries, p.Country):
			part("country", holds, "country ", p.Country, " is in countries ", list)
		default:
			part("country", fails, "country ", p.Country, " is not in countries ", list)
		}
	}
	if len(s.admin1Desc) > 0 {
		list := strings.Join(s.admin1Desc, ", ")
		region := strings.TrimSpace(p.Admin1 + " " + p.Admin1ID)
		switch o := s.admin1Outcome(p); o {
		case maybe:
			part("admin1", o, "region unknown (regions ", list, ")")
		case holds:
			part("admin1", o, "region ", region, " is in regions ", list)
		default:
			part("admin1", o, "region ", region, " is not in regions ", list)
		}
	}
	if len(s.polys) > 0 {
		switch o := s.polyOutcome(p); {
		case o == maybe && (p.Lat == nil || p.Lon == nil):
			part("lat/lon", o, "no coordinates: cannot tell whether inside the commitment's ", s.polyType)
		case o == maybe:
			part("lat/lon", o, "coordinates known only to ", string(p.Precision), " precision (a centroid): cannot tell whether inside the commitment's ", s.polyType)
		case o == holds:
			part("lat/lon", o, "point ", latLon(p), " is inside the commitment's ", s.polyType)
		default:
			part("lat/lon", o, "point ", latLon(p), " is outside the commitment's ", s.polyType)
		}
	}
	return field
}

func latLon(p *event.Place) string {
	return "lat " + strconv.FormatFloat(*p.Lat, 'f', -1, 64) + " lon " + strconv.FormatFloat(*p.Lon, 'f', -1, 64)
}

// placeText writes "'Sloviansk' (UA, Donetsk UA-14; town)".
func placeText(w *writer, p *event.Place) {
	if p.Name == "" {
		w.s("place (")
	} else {
		w.s("'", p.Name, "' (")
	}
	sep := ""
	if p.Country != "" {
		w.s(p.Country)
		sep = ", "
	}
	switch {
	case p.Admin1 != "" && p.Admin1ID != "":
		w.s(sep, p.Admin1, " ", p.Admin1ID)
		sep = ", "
	case p.Admin1 != "" || p.Admin1ID != "":
		w.s(sep, p.Admin1, p.Admin1ID)
		sep = ", "
	}
	if sep != "" {
		w.s("; ")
	}
	if p.Precision == "" {
		w.s("precision unknown)")
	} else {
		w.s(string(p.Precision), ")")
	}
}

// covers reports whether a machine-checkable exception covers the record,
// and why. Every field the exception gives must cover it; its targets must
// cover every target of the record the commitment prohibits, so a strike
// hitting an excepted and a protected site at once stays a violation.
func (x *exception) covers(u *unit, v *view) (string, bool) {
	var why []string
	if len(x.kinds) > 0 {
		by, ok := taxonomy.CoveredBy(v.kind, x.kinds)
		if !ok {
			return "", false
		}
		why = append(why, "kind "+v.kind+" is covered by excepted '"+by+"'")
	}
	if len(x.targets) > 0 {
		n := 0
		for i := range v.targets {
			t := v.targets[i].Term
			if _, prohibited := taxonomy.CoveredBy(t, u.targetLst); !u.anyTarget && !prohibited {
				continue
			}
			by, ok := taxonomy.CoveredBy(t, x.targets)
			if !ok {
				return "", false
			}
			n++
			why = append(why, "target "+t+" is covered by excepted '"+by+"'")
		}
		if n == 0 {
			return "", false
		}
	}
	if x.geo != nil {
		places := []event.Place(nil)
		if v.ev != nil {
			places = []event.Place{v.ev.Place}
		} else {
			places = v.cl.Places
		}
		if len(places) == 0 {
			return "", false
		}
		for i := range places {
			if x.geo.placeOutcome(&places[i]) != holds {
				return "", false
			}
		}
		why = append(why, "the place is in "+x.geo.text())
	}
	return strings.Join(why, "; "), true
}

// releaseNote writes, when the accused may consider itself released because
// another party was confirmed in violation before the record's time, a note
// saying so, and reports whether it did.
func (m *Matcher) releaseNote(w *writer, u *unit, accused string, s event.Span) bool {
	if !u.ag.release || accused == "" || m.released == nil || s.Start.IsZero() {
		return false
	}
	var (
		by    string
		since Violation
	)
	for party, v := range m.released[u.ag.id] {
		if party == accused || s.Start.Before(v.At) {
			continue
		}
		if by == "" || v.At.Before(since.At) || (v.At.Equal(since.At) && party < by) {
			by, since = party, v
		}
	}
	if by == "" {
		return false
	}
	w.s(accused, " may consider itself released: ", by, " in confirmed violation since ")
	w.time(since.At.In(u.loc), minuteLayout)
	w.s(" ", u.loc.String(), " (release rule of ", u.ag.id)
	if since.FindingID != 0 {
		w.s("; confirmed finding/", strconv.FormatInt(since.FindingID, 10))
	}
	w.s(")")
	return true
}

// WithViolations returns a matcher that also notes, under agreements whose
// release rule is counterparty_may_withdraw, results of the other parties
// after each party's earliest confirmed violation. The results are kept;
// only the note is added. The receiver is unchanged.
func (m *Matcher) WithViolations(vs ...Violation) *Matcher {
	c := *m
	c.released = map[string]map[string]Violation{}
	for ag, byParty := range m.released {
		c.released[ag] = map[string]Violation{}
		for p, v := range byParty {
			c.released[ag][p] = v
		}
	}
	for _, v := range vs {
		byParty := c.released[v.AgreementID]
		if byParty == nil {
			byParty = map[string]Violation{}
			c.released[v.AgreementID] = byParty
		}
		if old, ok := byParty[v.Party]; !ok || v.At.Before(old.At) {
			byParty[v.Party] = v
		}
	}
	return &c
}

const minuteLayout = "2006-01-02T15:04"

// timeCheck writes the time clause; the span's own text is also the
// check's Value, returned as a cut of the buffer.
func (m *Matcher) timeCheck(w *writer, u *unit, v *view, p *probe, value *cut) Check {
	c := Check{Clause: ClauseTime, Field: "time", OK: p.time != fails, Unsure: p.time == maybe}
	if p.pos == TimeUnknown {
		w.s("no time given; ", u.windowTxt)
		return c
	}
	value.from = w.pos()
	m.spanText(w, v.span, u.loc)
	value.to = w.pos()
	switch p.pos {
	case TimeStraddles:
		if !u.window.End.IsZero() && v.span.End.After(u.window.End) {
			w.s(" straddles the end of ")
		} else {
			w.s(" straddles the start of ")
		}
	case TimeBefore, TimeAfter:
		w.s(" outside (", string(p.pos), ") ")
	default:
		w.s(" ", string(p.pos), " ")
	}
	w.s(u.windowTxt)
	return c
}

// spanText writes a span so a reviewer sees the instants compared: an
// exact or hour-precision time by its start, a whole day as
// "2025-03-19 (day, Europe/Kyiv 00:00-24:00)", anything else in UTC and in
// the window's zone.
func (m *Matcher) spanText(w *writer, s event.Span, loc *time.Location) {
	prec := string(s.Precision)
	if prec == "" {
		prec = "precision unknown"
	}
	instant := s.Precision == event.TimeExact || s.Precision == event.TimeHour || !s.End.After(s.Start)
	if !instant {
		if zone, ok := m.midnightZone(s); ok {
			st, en := s.Start.In(zone), s.End.In(zone)
			w.time(st, "2006-01-02")
			if s.Precision == event.TimeDay && en.Equal(st.AddDate(0, 0, 1)) {
				w.s(" (day, ", zoneName(zone), " 00:00-24:00)")
				return
			}
			w.s(" .. ")
			w.time(en, "2006-01-02")
			w.s(" (", prec, ", ", zoneName(zone), " 00:00, end excluded)")
			return
		}
		w.time(s.Start.UTC(), minuteLayout+"Z")
		w.s(" .. ")
		w.time(s.End.UTC(), minuteLayout+"Z")
		w.s(" (", prec, "; ")
		w.time(s.Start.In(loc), minuteLayout)
		w.s(" .. ")
		w.time(s.End.In(loc), minuteLayout)
		w.s(" ", loc.String(), ")")
		return
	}
	w.time(s.Start.UTC(), minuteLayout+"Z")
	w.s(" (", prec, "; ")
	w.time(s.Start.In(loc), minuteLayout)
	w.s(" ", loc.String(), ")")
}

// midnightZone finds the zone among the agreements' zones (and UTC) in
// which the span runs from midnight to midnight. When several zones with
// different names fit at that instant the zone cannot be told, and a fixed
// offset stands in.
func (m *Matcher) midnightZone(s event.Span) (*time.Location, bool) {
	var found *time.Location
	for _, z := range m.zones {
		st, en := s.Start.In(z), s.End.In(z)
		if !atMidnight(st) || !atMidnight(en) {
			continue
		}
		if found != nil {
			_, off := st.Zone()
			return time.FixedZone(offsetName(off), off), true
		}
		found = z
	}
	return found, found != nil
}

func atMidnight(t time.Time) bool {
	h, mi, s := t.Clock()
	return h == 0 && mi == 0 && s == 0 && t.Nanosecond() == 0
}

func zoneName(z *time.Location) string {
	if z == time.UTC {
		return "UTC"
	}
	return z.String()
}

func offsetName(off int) string {
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return "UTC" + sign + twoDigits(off/3600) + ":" + twoDigits(off%3600/60)
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}
