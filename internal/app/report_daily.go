package app

import (
	"context"

	"slices"

	"time"

	"github.com/truce-monitor/truce/internal/compliance"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

// DailyRequest says which daily report to make.
type DailyRequest struct {
	Agreement string
	// Date is the report's day (2025-03-20) and At its hour ("19:30" if
	// ""), in the agreement's time zone: the report covers what started
	// after the same hour the day before, up to it.
	Date, At string
	YAML     strictyaml.Limits
}

// DefaultDailyHour is when a daily report is made, in the agreement's time
// zone, unless asked otherwise.
const DefaultDailyHour = "19:30"

// DailyReport is the daily report of an agreement's latest evaluated
// version: the records with candidate or ambiguous findings that started in
// the 24 hours up to the report's hour, area by area, each in the fixed
// vocabulary (recorded, alleged, corroborated, could not be verified,
// refuted). A viewer's report mentions published findings only.
func (a *App) DailyReport(ctx context.Context, req DailyRequest) (*compliance.Daily, error) {
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
	terms, err := reportTerms(ag, "all")
	if err != nil {
		return nil, err
	}
	loc := zoneOf(terms)
	if req.Date == "" {
		return nil, errorf(KindInvalid, "a daily report needs its date (2025-03-20, in %s)", loc)
	}
	at := req.At
	if at == "" {
		at = DefaultDailyHour
	}
	asOf, err := time.ParseInLocation("2006-01-02 15:04", req.Date+" "+at, loc)
	if err != nil {
		return nil, errorf(KindInvalid, "date %q and hour %q are not a day (2025-03-20) and an hour (19:30) in %s", req.Date, at, loc)
	}
	d := &compliance.Daily{Agreement: ag.ID, Version: ag.Version, Title: sum.Title, Zone: loc.String(),
		Since: asOf.AddDate(0, 0, -1), AsOf: asOf, Words: map[compliance.Word]int{}}
	type entry struct {
		compliance.Entry
		area     string
		claim    bool
		statuses []vocab.Status
	}
	regions := a.names.regions()
	byRecord := map[vocab.Ref]*entry{}
	var order []vocab.Ref
	filter := store.FindingFilter{AgreementID: ag.ID, Version: ag.Version, Verdicts: []vocab.Verdict{vocab.VerdictCandidate, vocab.VerdictAmbiguous}}
	err = a.st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		if !fr.RecordTime.After(d.Since) || fr.RecordTime.After(d.AsOf) || !who.sees(fr.Status, fr.NeedsReview) {
			return nil
		}
		rec := fr.Record
		rec.Part = fr.Part
		e := byRecord[rec]
		if e == nil {
			it := reportItem(fr, nil)
			area := it.Country
			if n, ok := regions[it.Admin1]; ok {
				area = n + " (" + it.Admin1 + ")"
			}
			if area == "" {
				area = "place not given"
			}
			e = &entry{Entry: compliance.Entry{Time: fr.RecordTime, DayOnly: it.DayOnly, Record: rec.String(), Accused: fr.Accused, Claimant: fr.Claimant,
				Category: fr.Category, Text: fr.Subject.Text, Source: fr.Subject.Source + ":" + fr.Subject.SourceID},
				area: area, claim: fr.Record.Kind == vocab.KindClaim}
			byRecord[rec] = e
			order = append(order, rec)
		}
		if !slices.Contains(e.Readings, fr.Reading) {
			e.Readings = append(e.Readings, fr.Reading)
		}
		e.Findings = append(e.Findings, vocab.FindingRef(fr.ID))
		e.statuses = append(e.statuses, fr.Status)
		return nil
	})
	if err != nil {
		return nil, err
	}
	areas := map[string][]compliance.Entry{}
	for _, r := range order {
		e := byRecord[r]
		e.Word = compliance.WordFor(e.claim, e.statuses)
		d.Words[e.Word]++
		areas[e.area] = append(areas[e.area], e.Entry)
	}
	d.Areas = compliance.GroupAreas(areas)
	return d, nil
}
