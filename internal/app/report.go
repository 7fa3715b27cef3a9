package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

// ReportRequest says which compliance report to make.
type ReportRequest struct {
	Agreement string
	// Reading is a party id (any case) whose reading alone is reported;
	// "" or "all" reports every reading side by side.
	Reading string
	// From and To bound the records counted by their start (From <= start
	// < To): a date, midnight in the agreement's time zone, or an RFC 3339
	// time; "": from the earliest start to the latest end of the readings'
	// windows.
	From, To string
	// YAML are the limits the stored agreement is read within:
	// strictyaml.DefaultLimits() if zero.
	YAML strictyaml.Limits
}

// ComplianceReport is the compliance report of the latest version of an
// agreement: per reading and accused party, its candidate and ambiguous
// findings by review status and incident grade, by target category and
// region, the sources' coverage, the releases, and the annex of every
// finding counted. A viewer's report counts published findings only.
func (a *App) ComplianceReport(ctx context.Context, req ReportRequest) (*compliance.Report, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	if req.YAML == (strictyaml.Limits{}) {
		req.YAML = strictyaml.DefaultLimits()
	}
	ag, sum, err := a.StoredAgreement(ctx, req.Agreement, 0, req.YAML)
	if err != nil {
		return nil, err
	}
	_, err = a.st.GetEvaluationState(ctx, ag.ID, ag.Version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(KindConflict, "version %d of %s is not evaluated yet: run 'truce evaluate --agreement %s' first", ag.Version, ag.ID, ag.ID)
	}
	if err != nil {
		return nil, err
	}
	terms, err := reportTerms(ag, req.Reading)
	if err != nil {
		return nil, err
	}
	rep := &compliance.Report{Agreement: ag.ID, Version: ag.Version, Title: sum.Title,
		GeneratedAt: a.now().UTC(), Regions: map[string]string{}, Annex: []compliance.Item{}}
	loc := zoneOf(terms)
	if rep.From, err = reportTime("from", req.From, loc); err != nil {
		return nil, err
	}
	if rep.To, err = reportTime("to", req.To, loc); err != nil {
		return nil, err
	}
	from, to := termsSpan(terms, a.now())
	rep.From, rep.To = cmpTime(rep.From, from), cmpTime(rep.To, to)
	if !rep.From.Before(rep.To) {
		return nil, errorf(KindInvalid, "the period %s .. %s is empty: from must be before to", rep.From.Format(time.RFC3339), rep.To.Format(time.RFC3339))
	}
	regions := a.names.regions()
	grades, err := a.incidentGrades(ctx)
	if err != nil {
		return nil, err
	}
	readings := make([]string, len(terms))
	for i, t := range terms {
		readings[i] = t.Reading
	}
	filter := store.FindingFilter{AgreementID: ag.ID, Version: ag.Version,
		Verdicts: []vocab.Verdict{vocab.VerdictCandidate, vocab.VerdictAmbiguous}}
	err = a.st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		if !slices.Contains(readings, fr.Reading) || !who.sees(fr.Status, fr.NeedsReview) ||
			fr.RecordTime.Before(rep.From) || !fr.RecordTime.Before(rep.To) {
			return nil
		}
		it := reportItem(fr, grades)
		if n, ok := regions[it.Admin1]; ok {
			it.Admin1Name = n // the gazetteer's, not as the source spelled it
		}
		if it.Admin1 != "" {
			rep.Regions[it.Admin1] = it.Admin1Name
		}
		rep.Annex = append(rep.Annex, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	parties := boundParties(ag)
	rep.Readings = compliance.Summarize(terms, parties, rep.Annex)
	rep.Disputes = compliance.Disputes(terms, rep.Annex)
	if err := a.scanPeriods(ctx, ag, terms, parties, loc, rep); err != nil {
		return nil, err
	}
	if rep.Releases, err = a.AgreementReleases(ctx, ag.ID); err != nil {
		return nil, err
	}
	rep.Implementation = compliance.Implementation(ag, rep.To, loc)
	for _, c := range ag.Commitments {
		if c.Withdrawn == nil && !c.IsObligation() {
			rep.Prohibitions++
		}
	}
	return rep, nil
}

// reportTerms are the readings a report covers.
func reportTerms(ag *agreement.Agreement, reading string) ([]agreement.Terms, error) {
	all, err := ag.AllTerms()
	if err != nil {
		return nil, err
	}
	if reading == "" || strings.EqualFold(reading, "all") {
		return all, nil
	}
	var names []string
	for _, t := range all {
		if strings.EqualFold(t.Reading, reading) {
			return []agreement.Terms{t}, nil
		}
		names = append(names, t.Reading)
	}
	return nil, errorf(KindInvalid, "agreement %s has no reading %q: use all or one of %s", ag.ID, reading, strings.Join(names, ", "))
}

// termsSpan is the earliest start and latest end of the readings' windows;
// a window still open ends now.
func termsSpan(terms []agreement.Terms, now time.Time) (from, to time.Time) {
	for _, t := range terms {
		end := t.Window.End
		if end.IsZero() {
			end = now
		}
		if !t.Window.Start.IsZero() && (from.IsZero() || t.Window.Start.Before(from)) {
			from = t.Window.Start
		}
		if end.After(to) {
			to = end
		}
	}
	return from, to
}

// zoneOf is the time zone of the first reading's window.
func zoneOf(terms []agreement.Terms) *time.Location {
	if len(terms) > 0 {
		if l, err := time.LoadLocation(terms[0].Window.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}

// reportTime reads a bound of a report's period: a date, midnight in loc,
// or an RFC 3339 time; "" is none.
func reportTime(name, v string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, errorf(KindInvalid, "%s %q is not a date (2025-03-18, in %s) or an RFC 3339 time", name, v, loc)
	}
	return t, nil
}

func cmpTime(set, def time.Time) time.Time {
	if set.IsZero() {
		return def
	}
	return set
}

// boundParties are the parties the agreement's commitments bind, in the
// order the file names its parties.
func boundParties(ag *agreement.Agreement) []string {
	var out []string
	for _, p := range ag.Parties {
		for _, c := range ag.Commitments {
			if slices.Contains(c.Bound, p.ID) && !slices.Contains(out, p.ID) {
				out = append(out, p.ID)
			}
		}
	}
	return out
}

// gradeOf is the incident holding a record (or one of its allegations).
type gradeOf struct {
	grade vocab.Grade
	id    int64
}

// incidentGrades maps every record (and allegation) in a standing incident
// to the incident.
func (a *App) incidentGrades(ctx context.Context) (map[vocab.Ref]gradeOf, error) {
	incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{})
	if err != nil {
		return nil, err
	}
	out := map[vocab.Ref]gradeOf{}
	for _, inc := range incs {
		for _, m := range inc.Members {
			out[m.Record] = gradeOf{inc.Grade, inc.ID}
		}
	}
	return out, nil
}

// reportItem is a finding as an annex row.
func reportItem(fr *store.FindingRecord, grades map[vocab.Ref]gradeOf) compliance.Item {
	rec := fr.Record
	rec.Part = fr.Part
	it := compliance.Item{
		Finding: vocab.Ref{Kind: vocab.KindFinding, ID: fr.ID}, Record: rec.String(),
		Reading: fr.Reading, Commitment: fr.CommitmentID, Accused: fr.Accused, Claimant: fr.Claimant,
		Verdict: fr.Verdict, Status: fr.Status, Category: fr.Category, Time: fr.RecordTime,
		TimeAmbiguous: fr.TimePosition == "ambiguous", Source: fr.Subject.Source, SourceID: fr.Subject.SourceID,
		DayOnly: fr.Subject.Time.Precision != event.TimeExact && fr.Subject.Time.Precision != event.TimeHour,
		Link:    "/api/v1/review/finding/" + strconv.FormatInt(fr.ID, 10),
	}
	g, ok := grades[rec]
	if !ok {
		g = grades[fr.Record.Whole()]
	}
	it.Grade, it.Incident = g.grade, g.id
	place := fr.Subject.Place
	if al := fr.Subject.Allegation; place.Admin1ID == "" && al != nil {
		for _, p := range al.Places {
			if p.Admin1ID != "" {
				place = p
				break
			}
		}
	}
	it.Country, it.Admin1, it.Admin1Name = place.Country, place.Admin1ID, place.Admin1
	return it
}

// scanPeriods reads the records of the report's period and of the same
// length of time before it, once: the period's make the coverage; the
// earlier ones, moved forward into the period and matched against the
// agreement as if it had been in force then, make the baseline.
func (a *App) scanPeriods(ctx context.Context, ag *agreement.Agreement, terms []agreement.Terms, parties []string, loc *time.Location, rep *compliance.Report) error {
	readings := make([]string, len(terms))
	for i, t := range terms {
		readings[i] = t.Reading
	}
	shift := rep.To.Sub(rep.From)
	before := rep.From.Add(-shift)
	if rep.From.IsZero() {
		// No window ever started: the period has no start, so no period of
		// its length before it (and no time before year 1 to ask a store for).
		shift, before = 0, rep.From
	}
	matcher, err := NewMatcher(geo.Builtin(), "", false, ag)
	if err != nil {
		return err
	}
	tally := compliance.NewCoverageTally(loc)
	base := compliance.NewBaselineTally(before, rep.From, rep.To, readings, parties)
	var results []match.Result
	count := func() {
		for _, r := range results {
			if slices.Contains(readings, r.Reading) {
				base.Finding(r.Reading, r.Accused, r.Verdict)
			}
		}
	}
	record := func(source string, t time.Time, places ...event.Place) bool {
		base.Record(source, t)
		if t.Before(rep.From) {
			return true // the earlier period's
		}
		located := slices.ContainsFunc(places, func(p event.Place) bool { return p.Admin1ID != "" })
		if !located {
			rep.NotLocated++
		}
		tally.Add(source, t, located)
		return false
	}
	f := store.EventFilter{From: before, To: rep.To, NoRaw: true}
	err = a.st.ScanEvents(ctx, f, func(e *event.Event) error {
		if record(e.Source, e.Time.Start, e.Place) {
			moved := *e
			moved.Time.Start, moved.Time.End = e.Time.Start.Add(shift), e.Time.End.Add(shift)
			results = matcher.Event(&moved, results[:0])
			count()
		}
		return nil
	})
	if err == nil {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error {
			if record(c.Source, c.Time.Start, c.Places...) {
				moved := *c
				moved.Time.Start, moved.Time.End = c.Time.Start.Add(shift), c.Time.End.Add(shift)
				if !c.Published.IsZero() {
					moved.Published = c.Published.Add(shift)
				}
				results = matcher.Claim(&moved, results[:0])
				count()
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("report: read the records: %w", err)
	}
	rep.Coverage = tally.Coverage()
	rep.Baseline = base.Baseline(rep.Annex)
	return nil
}
