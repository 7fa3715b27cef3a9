package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The use cases of the dashboard's browsing pages (a finding, an incident,
// a record): what Record and Incident give, for an identified caller, with
// the viewer rule applied and each finding in its plain sentence.

// RecordView is a record as one caller may see it: Record with, for a
// viewer, only its published findings and the published incidents
// holding it.
type RecordView struct {
	*Record
	// Views are Record.Findings as views, each with its plain sentence.
	Views []Finding
	// Regions names the admin-1 codes of the record's places (UA-14:
	// Donetsk Oblast), for pages that show names, not codes.
	Regions map[string]string
}

// RecordSeen returns the record arg names (as Record reads it) as the
// caller may see it. A viewer sees a record only through a published
// finding or incident; any other is not found, alike with one not stored.
func (a *App) RecordSeen(ctx context.Context, arg string) (*RecordView, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	rec, err := a.Record(ctx, arg)
	if err != nil {
		return nil, err
	}
	v := &RecordView{Record: rec, Regions: map[string]string{}}
	kept := []store.FindingRecord{}
	say := a.sentences()
	for i := range rec.Findings {
		fr := &rec.Findings[i]
		if !who.sees(fr.Status, fr.NeedsReview) {
			continue
		}
		kept = append(kept, *fr)
		f, err := findingView(fr)
		if err != nil {
			return nil, err
		}
		say.say(ctx, &f)
		v.Views = append(v.Views, f)
	}
	rec.Findings = kept
	hide := func(inc *Incident) *Incident {
		if inc != nil && !who.sees(inc.Status, inc.NeedsReview) {
			return nil
		}
		return inc
	}
	rec.Incident = hide(rec.Incident)
	seenIncident := rec.Incident != nil
	for i := range rec.Parts {
		rec.Parts[i].Incident = hide(rec.Parts[i].Incident)
		seenIncident = seenIncident || rec.Parts[i].Incident != nil
	}
	if len(kept) == 0 && !seenIncident && !who.SeesUnpublished() {
		return nil, errorf(KindNotFound, "no %s in the store", refName(rec.Record.Whole()))
	}
	names := a.names.regions()
	var places []event.Place
	if rec.Event != nil {
		places = append(places, rec.Event.Place)
	} else if rec.Claim != nil {
		places = append(places, rec.Claim.Places...)
	}
	for _, p := range places {
		if n, ok := names[p.Admin1ID]; ok {
			v.Regions[p.Admin1ID] = n
		}
	}
	return v, nil
}

// IncidentFindings returns the standing findings (of the latest evaluated
// version of each agreement) on incident id's members that the caller
// sees, in time order, each with its plain sentence. A viewer asking for an
// unpublished incident gets not found, as from ReviewPage.
func (a *App) IncidentFindings(ctx context.Context, id int64) ([]Finding, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	subj := vocab.Ref{Kind: vocab.KindIncident, ID: id}
	if _, err := a.visibleState(ctx, who, subj); err != nil {
		return nil, err
	}
	inc, err := a.st.GetIncident(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", subj, err)
	}
	say := a.sentences()
	seen := map[int64]bool{}
	var out []Finding
	for _, m := range inc.Members {
		err := a.st.ScanFindings(ctx, store.FindingFilter{Record: m.Record.Whole()}, func(fr *store.FindingRecord) error {
			// A member that is one allegation of its record holds that
			// allegation's findings only.
			if seen[fr.ID] || (m.Record.Part != 0 && fr.Part != m.Record.Part) || !who.sees(fr.Status, fr.NeedsReview) {
				return nil
			}
			seen[fr.ID] = true
			f, err := findingView(fr)
			if err != nil {
				return err
			}
			say.say(ctx, &f)
			out = append(out, f)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("findings of %s: %w", subj, err)
		}
	}
	sortFindings(out)
	return out, nil
}

// ReadingZone is the time zone (an IANA name, Europe/Kyiv) of reading's
// window in version version of agreement id, "" if it cannot be read: the
// zone a page shows the finding's times in.
func (a *App) ReadingZone(ctx context.Context, id string, version int, reading string) string {
	t := a.sentences().termsOf(ctx, id, version)
	if t == nil || t.Zones[reading] == nil {
		return ""
	}
	return t.Zones[reading].String()
}

// sortFindings puts findings in their records' time order, then by id.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(x, y Finding) int {
		if c := x.Span.Start.Compare(y.Span.Start); c != 0 {
			return c
		}
		return cmp.Compare(x.Stored.ID, y.Stored.ID)
	})
}
