package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Incident is the view of one incident: its place and time, grade with
// its reasons (grade_reason), review state, and its members each with why
// it was linked. 'truce incident list --output json' prints it a line
// each. It is the stored incident's shape until the vocabulary leaves the
// store (issue 12).
type Incident = incident.Incident

// BuildResult is the view of what one incident build did ('truce incident
// build --json').
type BuildResult struct {
	Records   int `json:"records"`   // read in scope
	Seeds     int `json:"seeds"`     // of them, with standing findings
	Incidents int `json:"incidents"` // standing after the build
	incident.Counts
	// Conflicts are the analysts' decisions the build could not all obey.
	Conflicts []string `json:"conflicts,omitempty"`
}

// BuildIncidents groups the records behind the standing candidate and
// ambiguous findings (of agreementID, or of every agreement), with the
// records near them in time, into graded incidents, and saves what
// changed. The caller must be allowed to edit incidents.
func (a *App) BuildIncidents(ctx context.Context, agreementID string) (BuildResult, error) {
	who, err := a.actor(ctx, auth.EditIncidents)
	if err != nil {
		return BuildResult{}, err
	}
	return a.buildIncidents(ctx, agreementID, who.Name)
}

// buildSpan is how far around a finding's record, and a stored incident,
// the build reads neighbours: the tolerance, and a day before for records
// that start earlier and run into the window (EventFilter bounds starts).
const buildSpan = 36 * time.Hour

// buildIncidents reads the records in scope, groups them and saves what
// changed, as by.
func (a *App) buildIncidents(ctx context.Context, agreementID, by string) (BuildResult, error) {
	var res BuildResult
	if agreementID != "" {
		if err := a.agreementFilter(ctx, agreementID, 0, nil); err != nil {
			return res, err
		}
	}
	seeds := map[vocab.Ref]bool{}
	var windows []window
	err := a.st.ScanFindings(ctx, store.FindingFilter{AgreementID: agreementID, Verdicts: []vocab.Verdict{vocab.VerdictCandidate, vocab.VerdictAmbiguous}},
		func(f *store.FindingRecord) error {
			// The allegation the finding is about seeds its part of the
			// record (see readScope).
			seed := f.Record
			seed.Part = f.Part
			if !seeds[f.Record] && !seeds[seed] {
				windows = append(windows, window{f.Subject.Time.Start.Add(-buildSpan), f.Subject.Time.End.Add(buildSpan)})
			}
			seeds[seed] = true
			return nil
		})
	if err != nil {
		return res, err
	}
	stored, err := a.st.ListIncidents(ctx, store.IncidentFilter{})
	if err != nil {
		return res, err
	}
	storedMember := map[vocab.Ref]bool{}
	for _, inc := range stored {
		windows = append(windows, window{inc.TimeStart.Add(-buildSpan), inc.TimeEnd.Add(buildSpan)})
		for _, m := range inc.Members {
			storedMember[m.Record.Whole()] = true
		}
	}
	kinds, err := a.sourceKinds(ctx)
	if err != nil {
		return res, err
	}
	decisions, err := a.st.ListLinkDecisions(ctx)
	if err != nil {
		return res, err
	}
	recs, err := a.readScope(ctx, mergeWindows(windows), kinds, seeds, storedMember, decisions)
	if err != nil {
		return res, err
	}
	built := incident.Build(recs, decisions, incident.Defaults())
	save, counts := incident.Reconcile(stored, built.Clusters, func(c *incident.Cluster) bool {
		for _, m := range c.Members {
			if m.Record.Seed {
				return true
			}
		}
		return false
	})
	if len(save) > 0 {
		if _, err := a.st.SaveIncidents(ctx, save, by); err != nil {
			return res, err
		}
	}
	res = BuildResult{Records: len(recs), Seeds: len(seeds), Counts: counts, Conflicts: built.Conflicts}
	res.Incidents = counts.New + counts.Changed + counts.Unchanged
	return res, nil
}

// sourceKind is what a source is, by the formats it was imported in.
type sourceKind struct {
	machine    bool   // machine-coded: leads only
	reportedBy string // a party's own reports
}

func (a *App) sourceKinds(ctx context.Context) (map[string]sourceKind, error) {
	kinds := map[string]sourceKind{}
	for _, f := range pipeline.Formats() {
		if !f.MachineCoded && f.ReportedBy == "" {
			continue
		}
		sources, err := a.st.SourcesOfFormat(ctx, f.Name)
		if err != nil {
			return nil, err
		}
		for _, src := range sources {
			k := kinds[src]
			k.machine = k.machine || f.MachineCoded
			if f.ReportedBy != "" {
				k.reportedBy = f.ReportedBy
			}
			kinds[src] = k
		}
	}
	return kinds, nil
}

type window struct{ from, to time.Time }

// mergeWindows sorts windows and joins those that overlap, so that each
// stretch of time is scanned once.
func mergeWindows(ws []window) []window {
	slices.SortFunc(ws, func(a, b window) int { return a.from.Compare(b.from) })
	var out []window
	for _, w := range ws {
		if n := len(out); n > 0 && !w.from.After(out[n-1].to) {
			if w.to.After(out[n-1].to) {
				out[n-1].to = w.to
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// readScope reads the events and claims of the windows (deleted ones only
// if a stored incident holds them), the records analysts joined wherever
// they lie, and the claims anywhere in time that answer a claim read. A
// record alleging several acts is read as one record per allegation
// (incident.ClaimRecords); seeds are keyed by allegation (Part 0: the
// record as a whole or as coded), storedMember by record.
func (a *App) readScope(ctx context.Context, ws []window, kinds map[string]sourceKind, seeds, storedMember map[vocab.Ref]bool, decisions []incident.LinkDecision) ([]incident.Record, error) {
	isMachine := func(source string) bool { return kinds[source].machine }
	seeded := map[vocab.Ref]bool{} // records with a seed, whole or in part
	for r := range seeds {
		seeded[r.Whole()] = true
	}
	seen := map[vocab.Ref]bool{} // by record
	var recs []incident.Record
	add := func(rs []incident.Record) {
		whole := rs[0].Ref.Whole()
		if seen[whole] || (rs[0].Deleted && !storedMember[whole]) {
			return
		}
		seen[whole] = true
		for _, r := range rs {
			r.ReportedBy = kinds[r.Source].reportedBy
			// A record read whole is a seed if any of its findings is; an
			// allegation if its own is, or the record's as a whole.
			if r.Ref.Part == 0 {
				r.Seed = seeded[r.Ref]
			} else {
				r.Seed = seeds[r.Ref] || seeds[whole]
			}
			recs = append(recs, r)
		}
	}
	// scan adds the events ef selects and the claims cf does; nil skips.
	scan := func(ef, cf *store.EventFilter) error {
		if ef != nil {
			if err := a.st.ScanEvents(ctx, *ef, func(e *event.Event) error {
				add(incident.EventRecords(e, isMachine(e.Source)))
				return nil
			}); err != nil {
				return fmt.Errorf("read events: %w", err)
			}
		}
		if cf != nil {
			if err := a.st.ScanClaims(ctx, *cf, func(c *event.Claim) error {
				add(incident.ClaimRecords(c, isMachine(c.Source)))
				return nil
			}); err != nil {
				return fmt.Errorf("read claims: %w", err)
			}
		}
		return nil
	}
	// Raw fields are read: they hold the records' source references and
	// speakers (incident.rawRef), by which restatements count once.
	for _, w := range ws {
		f := store.EventFilter{From: w.from, To: w.to, IncludeDeleted: true}
		if err := scan(&f, &f); err != nil {
			return nil, fmt.Errorf("%s to %s: %w", w.from.Format(time.DateOnly), w.to.Format(time.DateOnly), err)
		}
	}
	// Records an analyst joined, wherever they lie in time: the join holds
	// even when no window reached them.
	var joinedEvents, joinedClaims []int64
	for _, d := range decisions {
		if !d.Link {
			continue
		}
		for _, r := range []vocab.Ref{d.A.Whole(), d.B.Whole()} {
			switch {
			case seen[r]:
			case r.Kind == vocab.KindEvent:
				joinedEvents = append(joinedEvents, r.ID)
			case r.Kind == vocab.KindClaim:
				joinedClaims = append(joinedClaims, r.ID)
			}
		}
	}
	byIDs := func(ids []int64) *store.EventFilter {
		if len(ids) == 0 {
			return nil
		}
		return &store.EventFilter{IDs: ids, ByID: true, IncludeDeleted: true}
	}
	if err := scan(byIDs(joinedEvents), byIDs(joinedClaims)); err != nil {
		return nil, fmt.Errorf("joined records: %w", err)
	}
	claims := map[string]bool{}
	for _, r := range recs {
		if r.Ref.Kind == vocab.KindClaim {
			claims[r.WholeKey()] = true
		}
	}
	err := a.st.ScanClaims(ctx, store.EventFilter{ByID: true}, func(c *event.Claim) error {
		if c.Answers != "" && claims[c.Source+":"+c.Answers] {
			add(incident.ClaimRecords(c, isMachine(c.Source)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read denials: %w", err)
	}
	return recs, nil
}

// IncidentQuery selects incidents. Zero fields select every standing one.
type IncidentQuery struct {
	// Grades and Statuses match in any case; an unknown one is an error
	// of KindInvalid listing the known ones.
	Grades, Statuses []string
	NeedsReview      bool // only those flagged for review
	Dissolved        bool // dissolved ones too
	// Agreement (an id as stored) and Party (a party id of it, or of any
	// agreement without one, in any case): incidents holding a standing
	// finding of the agreement, against the party.
	Agreement, Party string
	// From and To bound the incident's start: From <= start < To.
	From, To time.Time
	// Country (ISO 3166-1) and Admin1 (ISO 3166-2), in any case: the
	// incident's place, or any of its records'.
	Country, Admin1 string
}

// Incidents lists the incidents q selects, in time order. A filter that
// names nothing is an error: an agreement not stored (KindNotFound), a
// party, grade, status or place that is none (KindInvalid). Reading
// incidents needs no token.
func (a *App) Incidents(ctx context.Context, q IncidentQuery) ([]Incident, error) {
	grades, err := KnownCodes("grade", q.Grades, vocab.Grades())
	if err != nil {
		return nil, err
	}
	statuses, err := KnownCodes("status", q.Statuses, vocab.Statuses())
	if err != nil {
		return nil, err
	}
	n := narrowing{from: q.From, to: q.To, country: q.Country, admin1: q.Admin1}
	if err := n.check(); err != nil {
		return nil, err
	}
	if q.Agreement != "" || q.Party != "" {
		if err := a.agreementFilter(ctx, q.Agreement, 0, map[string]*string{"party": &q.Party}); err != nil {
			return nil, err
		}
	}
	return a.st.ListIncidents(ctx, store.IncidentFilter{Grades: grades, Statuses: statuses,
		NeedsReview: q.NeedsReview, IncludeDissolved: q.Dissolved, AgreementID: q.Agreement, Party: q.Party,
		From: n.from, To: n.to, Country: n.country, Admin1: n.admin1})
}

// IncidentPage is one incident with the releases standing on it: which
// confirmed violation of a party it holds releases whom.
type IncidentPage struct {
	Incident
	Releases []review.Release `json:"releases,omitempty"`
}

// Incident returns incident id, dissolved or not, with its releases.
// Reading incidents needs no token.
func (a *App) Incident(ctx context.Context, id int64) (*IncidentPage, error) {
	inc, err := a.st.GetIncident(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(KindNotFound, "no incident %d", id)
	}
	if err != nil {
		return nil, err
	}
	rels, err := a.StandingReleases(ctx, vocab.Ref{Kind: vocab.KindIncident, ID: inc.ID})
	if err != nil {
		return nil, err
	}
	return &IncidentPage{Incident: inc, Releases: rels}, nil
}

// IncidentsSeen is Incidents for an identified caller who may see
// unpublished items, as IncidentsPage: what an export writes.
func (a *App) IncidentsSeen(ctx context.Context, q IncidentQuery) ([]Incident, error) {
	if _, err := a.Authorize(ctx, auth.ReadUnpublished); err != nil {
		return nil, err
	}
	return a.Incidents(ctx, q)
}

// IncidentList is a page of incidents: IncidentsPage's answer.
type IncidentList struct {
	Incidents []Incident `json:"incidents"`
	Next      string     `json:"next,omitempty"`
}

// IncidentsPage returns up to limit incidents q selects after the cursor
// after, in (time_start, id) order, for an identified caller: a viewer
// gets published incidents only. Incidents are thousands, not millions:
// the page is cut from the list the store gives.
func (a *App) IncidentsPage(ctx context.Context, q IncidentQuery, after string, limit int) (IncidentList, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return IncidentList{}, err
	}
	if limit == 0 {
		limit = DefaultPage
	}
	if limit < 1 || limit > MaxPage {
		return IncidentList{}, errorf(KindInvalid, "a page holds 1 to %d incidents, not %d", MaxPage, limit)
	}
	var from store.Cursor
	if after != "" {
		c, err := parseCursor(after)
		if err != nil {
			return IncidentList{}, err
		}
		from = c
	}
	all, err := a.Incidents(ctx, q)
	if err != nil {
		return IncidentList{}, err
	}
	out := IncidentList{Incidents: []Incident{}}
	for _, inc := range all {
		if !who.sees(inc.Status, inc.NeedsReview) || (after != "" && !cursorBefore(from, inc.TimeStart, inc.ID)) {
			continue
		}
		if len(out.Incidents) == limit {
			last := out.Incidents[limit-1]
			out.Next = formatCursor(store.Cursor{RecordTime: last.TimeStart, ID: last.ID})
			break
		}
		out.Incidents = append(out.Incidents, inc)
	}
	return out, nil
}

// cursorBefore reports whether c comes before (t, id) in (time, id) order.
func cursorBefore(c store.Cursor, t time.Time, id int64) bool {
	return c.RecordTime.Before(t) || (c.RecordTime.Equal(t) && c.ID < id)
}
