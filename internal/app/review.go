package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// SubjectNotFoundError: the finding or incident does not exist, or the
// caller may not see it (a viewer asking for an unpublished one): the two
// read alike, so that a subject's existence does not leak.
type SubjectNotFoundError struct{ Subject vocab.Ref }

func (e *SubjectNotFoundError) Error() string { return e.Subject.String() + " not found" }

// Unwrap makes it a store.ErrNotFound (KindNotFound).
func (e *SubjectNotFoundError) Unwrap() error { return store.ErrNotFound }

func subjectNotFound(subj vocab.Ref) error { return &SubjectNotFoundError{Subject: subj} }

// visibleState returns subj's review state if who may see it: else, or if
// it does not exist, a *SubjectNotFoundError.
func (a *App) visibleState(ctx context.Context, who Actor, subj vocab.Ref) (review.State, error) {
	rs, err := a.st.ReviewState(ctx, subj)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !who.sees(rs.Status, rs.NeedsReview)) {
		return review.State{}, subjectNotFound(subj)
	}
	return rs, err
}

// sees reports whether who may see a subject with this status and flag:
// everyone sees published ones, only those who see unpublished the rest.
func (who Actor) sees(status vocab.Status, needsReview bool) bool {
	return review.Published(status, needsReview) || who.SeesUnpublished()
}

// ReviewPage returns subj as a reviewer decides on it: its review state,
// history, evidence, releases and what it is about. A viewer gets
// published subjects only; any other is not found.
func (a *App) ReviewPage(ctx context.Context, subj vocab.Ref) (*ReviewPage, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, fmt.Errorf("show %s: %w", subj, err)
	}
	rs, err := a.visibleState(ctx, who, subj)
	if err != nil {
		return nil, err
	}
	p := &ReviewPage{
		Subject: subj, Status: rs.Status, NeedsReview: rs.NeedsReview, Published: review.Published(rs.Status, rs.NeedsReview),
		MachineOnly: rs.MachineOnly, Revision: rs.Revision, Next: review.Next(rs.Status), History: (rs.History),
	}
	if rs.NeedsReview {
		p.Next = append([]vocab.Status{rs.Status}, p.Next...)
	}
	ev, err := a.st.ListEvidence(ctx, subj, true)
	if err != nil {
		return nil, err
	}
	p.Evidence = (ev)
	if p.Releases, err = a.StandingReleases(ctx, subj); err != nil {
		return nil, err
	}
	switch subj.Kind {
	case vocab.KindFinding:
		err = a.findingPage(ctx, p, subj.ID, rs.JudgedVersion)
	case vocab.KindIncident:
		err = a.incidentPage(ctx, p, subj.ID)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// findingPage adds the finding, its record's change since judged and the
// incident holding its record.
func (a *App) findingPage(ctx context.Context, p *ReviewPage, id int64, judged int) error {
	f, err := a.st.GetFinding(ctx, id)
	if err != nil {
		return err
	}
	p.Finding = &f
	if v, err := findingView(&f); err == nil {
		a.sentences().say(ctx, &v)
		p.Summary = v.Summary
	}
	up, err := review.Upstream(ctx, a.st, f.Record.Kind, f.Subject.Source, f.Subject.SourceID, judged)
	if err != nil {
		return err
	}
	p.Upstream = &up
	holding, err := a.st.ListIncidents(ctx, store.IncidentFilter{Record: f.Record})
	if err != nil {
		return err
	}
	if len(holding) > 0 {
		p.InIncident = &holding[0]
	}
	return nil
}

// incidentPage adds the incident and its members' last changes upstream.
func (a *App) incidentPage(ctx context.Context, p *ReviewPage, id int64) error {
	inc, err := a.st.GetIncident(ctx, id)
	if err != nil {
		return err
	}
	p.Incident = &inc
	for _, m := range inc.Members {
		up, err := review.LastChange(ctx, a.st, m.Record.Kind, m.Source, m.SourceID)
		if err != nil {
			return err
		}
		if up.Changed() {
			p.MemberChanges = append(p.MemberChanges, up)
		}
	}
	return nil
}

// ReviewFilter selects subjects of the review queue. Zero values select
// everything.
type ReviewFilter struct {
	Type        vocab.Kind     // finding or incident; "" for both
	Statuses    []vocab.Status // any of these statuses
	NeedsReview bool           // only subjects flagged for review
}

// ReviewQueue is the review queue as one caller sees it.
type ReviewQueue struct {
	Items   []ReviewItem `json:"items"`
	Flagged int          `json:"flagged"` // items flagged for review
	// PublishedOnly: the caller sees published subjects only, being of
	// Role.
	PublishedOnly bool       `json:"published_only,omitempty"`
	Role          vocab.Role `json:"role,omitempty"`
}

// ReviewQueue lists the findings (of the latest evaluated version of each
// agreement, withdrawn ones included) and incidents (but dissolved ones)
// the filter selects and the caller may see, in time order.
func (a *App) ReviewQueue(ctx context.Context, fl ReviewFilter) (*ReviewQueue, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return nil, fmt.Errorf("list reviews: %w", err)
	}
	keep := func(status vocab.Status, needsReview bool) bool {
		return (len(fl.Statuses) == 0 || slices.Contains(fl.Statuses, status)) &&
			(!fl.NeedsReview || needsReview) && who.sees(status, needsReview)
	}
	q := &ReviewQueue{PublishedOnly: !who.SeesUnpublished(), Role: who.Role}
	if fl.Type != vocab.KindIncident {
		err := a.st.ScanFindings(ctx, store.FindingFilter{NeedsReview: fl.NeedsReview, IncludeWithdrawn: true}, func(f *store.FindingRecord) error {
			if keep(f.Status, f.NeedsReview) {
				q.Items = append(q.Items, findingItem(f))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if fl.Type != vocab.KindFinding {
		incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{Statuses: fl.Statuses, NeedsReview: fl.NeedsReview})
		if err != nil {
			return nil, err
		}
		for i := range incs {
			if keep(incs[i].Status, incs[i].NeedsReview) {
				q.Items = append(q.Items, incidentItem(&incs[i]))
			}
		}
	}
	slices.SortStableFunc(q.Items, func(x, y ReviewItem) int { return x.Time.Compare(y.Time) })
	for _, it := range q.Items {
		if it.NeedsReview {
			q.Flagged++
		}
	}
	return q, nil
}

func findingItem(f *store.FindingRecord) ReviewItem {
	sub := &f.Subject
	accused := f.Accused
	if accused == "" {
		accused = "-"
	}
	summary := fmt.Sprintf("%s v%d %s (%s reading) against %s: %s; %s %s/%s", f.AgreementID, f.AgreementVersion,
		f.CommitmentID, f.Reading, accused, f.Verdict, f.Record.Kind, sub.Source, sub.SourceID)
	if sub.Deleted {
		summary += " (deleted upstream)"
	}
	return ReviewItem{
		Subject: vocab.Ref{Kind: vocab.KindFinding, ID: f.ID}.String(), Status: f.Status, NeedsReview: f.NeedsReview,
		Published: review.Published(f.Status, f.NeedsReview), Withdrawn: !f.WithdrawnAt.IsZero(), Time: f.RecordTime, Summary: summary,
	}
}

func incidentItem(inc *incident.Incident) ReviewItem {
	summary := fmt.Sprintf("grade %s, %d members: %s", inc.Grade, len(inc.Members), inc.Summary)
	return ReviewItem{
		Subject: vocab.Ref{Kind: vocab.KindIncident, ID: inc.ID}.String(), Status: inc.Status, NeedsReview: inc.NeedsReview,
		Published: review.Published(inc.Status, inc.NeedsReview), Withdrawn: !inc.DissolvedAt.IsZero(), Time: inc.TimeStart, Summary: summary,
	}
}
