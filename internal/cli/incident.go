package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *invocation) incidentCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "incident",
		Short: "Group the records that describe one occurrence, grade and correct them",
		Long: `An incident is one occurrence as several records describe it: a dataset's
event, a party's claim, another dataset's report of the same strike, a denial.
'truce incident build' groups the records behind the findings with the other
records near them in time, grades how well each incident is corroborated, and
keeps every member with why it was linked. Analysts correct the grouping
with 'join' and 'split'; their decisions survive every rebuild.

Grades (see docs/incidents.md): confirmed (two or more independent non-party
origins), fair (one non-party origin backing a party's claim, or a denied
incident that two independent origins report), weak (one origin, parties'
claims only, or machine-coded records only), contested (denied, not
independently backed), discounted (every member deleted upstream).`,
		Example: `  truce evaluate
  export TRUCE_TOKEN=truce_...   # an analyst's or admin's token
  truce incident build
  truce incident list --grade confirmed,fair
  truce incident show 3
  truce incident split event/12 claim/7 --reason "two strikes an hour apart"`,
	}
	c.AddCommand(a.incidentBuildCommand(), a.incidentListCommand(), a.incidentShowCommand(),
		a.incidentLinkCommand(true), a.incidentLinkCommand(false))
	return c
}

func (a *invocation) incidentBuildCommand() *cobra.Command {
	var agreementID string
	var jsonOut bool
	c := &cobra.Command{
		Use:   "build [--agreement ID]",
		Short: "Group the records behind the findings into incidents, and grade them",
		Long: `Build incidents from the records with standing candidate or ambiguous
findings under the latest evaluated version of each agreement (or of
--agreement), together with every other event and claim within the time
tolerance (12 hours, or the same day) of those, so that a source that did not
trip the matcher still corroborates, and the denials that answer their claims.

Two records join when their times overlap (within the tolerance), their
places lie within a distance that widens with the coarser precision, their
kinds and targets are compatible, and they come from different sources; the
analysts' joins and splits are obeyed. Each incident is graded and explained.

A rebuild keeps ids, review status and history: each new group continues the
stored incident it shares most records with. An incident whose members
changed is flagged for review; one left with no members is dissolved (kept).
Needs a token (TRUCE_TOKEN) of a user who may edit incidents.`,
		Example: `  truce incident build
  truce incident build --agreement energy-moratorium-2025`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			st, err := a.openExisting(c.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			by, err := a.actorFor(c.Context(), st, auth.EditIncidents)
			if err != nil {
				return err
			}
			res, err := buildIncidents(c.Context(), st, agreementID, by)
			if err != nil {
				return err
			}
			return res.print(c.OutOrStdout(), c.ErrOrStderr(), jsonOut)
		},
	}
	c.Flags().StringVar(&agreementID, "agreement", "", "only the findings of agreement `ID`")
	c.Flags().BoolVar(&jsonOut, "json", false, "print the counts as JSON")
	return c
}

// buildResult is what one build did.
type buildResult struct {
	Records   int `json:"records"`
	Seeds     int `json:"seeds"`
	Incidents int `json:"incidents"`
	incident.Counts
	Conflicts []string `json:"conflicts,omitempty"`
}

func (r buildResult) print(out, errOut io.Writer, jsonOut bool) error {
	for _, c := range r.Conflicts {
		fmt.Fprintln(errOut, "warning:", report.Term(c))
	}
	if jsonOut {
		return json.NewEncoder(out).Encode(r)
	}
	if r.Seeds == 0 {
		fmt.Fprintln(out, "no records with standing findings: run 'truce evaluate' first")
	}
	fmt.Fprintf(out, "%d incidents from %d records (%d with findings): %d new, %d changed, %d unchanged, %d dissolved\n",
		r.Incidents, r.Records, r.Seeds, r.New, r.Changed, r.Unchanged, r.Dissolved)
	return nil
}

// buildSpan is how far around a finding's record, and a stored incident,
// the build reads neighbours: the tolerance, and a day before for records
// that start earlier and run into the window (EventFilter bounds starts).
const buildSpan = 36 * time.Hour

// buildIncidents reads the records in scope, groups them and saves what
// changed.
func buildIncidents(ctx context.Context, st store.Store, agreementID, by string) (buildResult, error) {
	var res buildResult
	if agreementID != "" {
		if err := agreementFilter(ctx, st, agreementID, 0, nil); err != nil {
			return res, err
		}
	}
	seeds := map[store.RecordRef]bool{}
	var windows []window
	err := st.ScanFindings(ctx, store.FindingFilter{AgreementID: agreementID, Verdicts: []string{"candidate", "ambiguous"}},
		func(f *store.FindingRecord) error {
			if !seeds[f.Record] {
				seeds[f.Record] = true
				windows = append(windows, window{f.Subject.Time.Start.Add(-buildSpan), f.Subject.Time.End.Add(buildSpan)})
			}
			return nil
		})
	if err != nil {
		return res, err
	}
	stored, err := st.ListIncidents(ctx, store.IncidentFilter{})
	if err != nil {
		return res, err
	}
	storedMember := map[store.RecordRef]bool{}
	for _, inc := range stored {
		windows = append(windows, window{inc.TimeStart.Add(-buildSpan), inc.TimeEnd.Add(buildSpan)})
		for _, m := range inc.Members {
			storedMember[m.Record] = true
		}
	}
	kinds, err := sourceKinds(ctx, st)
	if err != nil {
		return res, err
	}
	decisions, err := st.ListLinkDecisions(ctx)
	if err != nil {
		return res, err
	}
	recs, err := readScope(ctx, st, mergeWindows(windows), kinds, seeds, storedMember, decisions)
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
		if _, err := st.SaveIncidents(ctx, save, by); err != nil {
			return res, err
		}
	}
	res = buildResult{Records: len(recs), Seeds: len(seeds), Counts: counts, Conflicts: built.Conflicts}
	res.Incidents = counts.New + counts.Changed + counts.Unchanged
	return res, nil
}

// sourceKind is what a source is, by the formats it was imported in.
type sourceKind struct {
	machine    bool   // machine-coded: leads only
	reportedBy string // a party's own reports
}

func sourceKinds(ctx context.Context, st store.Store) (map[string]sourceKind, error) {
	kinds := map[string]sourceKind{}
	for _, f := range pipeline.Formats() {
		if !f.MachineCoded && f.ReportedBy == "" {
			continue
		}
		sources, err := st.SourcesOfFormat(ctx, f.Name)
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
// they lie, and the claims anywhere in time that answer a claim read.
func readScope(ctx context.Context, st store.Store, ws []window, kinds map[string]sourceKind, seeds, storedMember map[store.RecordRef]bool, decisions []store.LinkDecision) ([]incident.Record, error) {
	isMachine := func(source string) bool { return kinds[source].machine }
	seen := map[store.RecordRef]bool{}
	var recs []incident.Record
	add := func(r incident.Record) {
		if seen[r.Ref] || (r.Deleted && !storedMember[r.Ref]) {
			return
		}
		r.ReportedBy = kinds[r.Source].reportedBy
		seen[r.Ref] = true
		r.Seed = seeds[r.Ref]
		recs = append(recs, r)
	}
	// scan adds the events ef selects and the claims cf does; nil skips.
	scan := func(ef, cf *store.EventFilter) error {
		if ef != nil {
			if err := st.ScanEvents(ctx, *ef, func(e *event.Event) error {
				add(incident.FromEvent(e, isMachine(e.Source)))
				return nil
			}); err != nil {
				return fmt.Errorf("read events: %w", err)
			}
		}
		if cf != nil {
			if err := st.ScanClaims(ctx, *cf, func(c *event.Claim) error {
				add(incident.FromClaim(c, isMachine(c.Source)))
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
		for _, r := range []store.RecordRef{d.A, d.B} {
			switch {
			case seen[r]:
			case r.Type == store.RecordEvent:
				joinedEvents = append(joinedEvents, r.ID)
			case r.Type == store.RecordClaim:
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
		if r.Ref.Type == store.RecordClaim {
			claims[r.Key()] = true
		}
	}
	err := st.ScanClaims(ctx, store.EventFilter{ByID: true}, func(c *event.Claim) error {
		if c.Answers != "" && claims[c.Source+":"+c.Answers] {
			add(incident.FromClaim(c, isMachine(c.Source)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read denials: %w", err)
	}
	return recs, nil
}

type incidentListFlags struct {
	grades, statuses []string
	needsReview      bool
	dissolved        bool
	output           string
}

func (a *invocation) incidentListCommand() *cobra.Command {
	var fl incidentListFlags
	c := &cobra.Command{
		Use:   "list [--grade G,...] [--status S,...] [--needs-review] [--output table|json]",
		Short: "List the incidents, by time",
		Long: `List the stored incidents in time order with their grade, review status
and members. Dissolved incidents (a rebuild left them no members) are left
out unless --dissolved. Output: table (for people) or json (JSON Lines, one
incident a line, with its members and the grade's reasons). An unknown
grade or status is an error listing the known ones; they match in any case.`,
		Example: `  truce incident list
  truce incident list --grade contested --needs-review
  truce incident list --status alleged --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runIncidentList(c, fl) },
	}
	f := c.Flags()
	f.StringSliceVar(&fl.grades, "grade", nil, "only these grades: "+strings.Join(store.Grades(), ", "))
	f.StringSliceVar(&fl.statuses, "status", nil, "only these review statuses: "+strings.Join(store.Statuses(), ", "))
	f.BoolVar(&fl.needsReview, "needs-review", false, "only incidents flagged for review")
	f.BoolVar(&fl.dissolved, "dissolved", false, "also list dissolved incidents")
	f.StringVar(&fl.output, "output", "table", "output: table or json")
	return c
}

func (a *invocation) runIncidentList(c *cobra.Command, fl incidentListFlags) error {
	var err error
	if fl.grades, err = knownCodes("grade", fl.grades, store.Grades()); err != nil {
		return err
	}
	if fl.statuses, err = knownCodes("status", fl.statuses, store.Statuses()); err != nil {
		return err
	}
	if fl.output != "table" && fl.output != "json" {
		return &exitError{code: 2, err: fmt.Errorf("unknown output %q (table or json)", fl.output)}
	}
	st, err := a.openExisting(c.Context())
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ListIncidents(c.Context(), store.IncidentFilter{Grades: fl.grades, Statuses: fl.statuses,
		NeedsReview: fl.needsReview, IncludeDissolved: fl.dissolved})
	if err != nil {
		return err
	}
	out := c.OutOrStdout()
	if fl.output == "json" {
		enc := json.NewEncoder(out)
		for i := range list {
			if err := enc.Encode(&list[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if len(list) == 0 {
		fmt.Fprintln(c.ErrOrStderr(), "no incidents ('truce incident build' makes them)")
		return nil
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tSTART\tPLACE\tKIND\tGRADE\tSTATUS\tMEMBERS\tSUMMARY")
	for _, inc := range list {
		status := inc.Status
		if inc.NeedsReview {
			status += " (review)"
		}
		if !inc.DissolvedAt.IsZero() {
			status += " (dissolved)"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inc.ID, inc.TimeStart.Format("2006-01-02 15:04"), report.Term(placeOf(inc)),
			report.Term(inc.Kind), inc.Grade, status, memberSummary(inc.Members), report.Term(shorten(inc.Summary, 60)))
	}
	return w.Flush()
}

func placeOf(inc store.Incident) string {
	switch {
	case inc.Admin1 != "" && inc.Country != "":
		return inc.Admin1 + ", " + inc.Country
	case inc.Admin1 != "":
		return inc.Admin1
	}
	return inc.Country
}

// memberSummary counts members by role: "3 (2 reports, 1 claim)".
func memberSummary(ms []store.IncidentMember) string {
	n := map[string]int{}
	for _, m := range ms {
		n[m.Role]++
	}
	var parts []string
	for _, r := range []string{store.MemberReport, store.MemberClaim, store.MemberDenial} {
		if n[r] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[r], r))
		}
	}
	return fmt.Sprintf("%d (%s)", len(ms), strings.Join(parts, ", "))
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (a *invocation) incidentShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show one incident: its members with provenance and why they were linked, and its grade explained",
		Example: `  truce incident show 3
  truce incident list --grade contested   # to find the ids`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "incident/"), 10, 64)
			if err != nil || id <= 0 {
				return &exitError{code: 2, err: fmt.Errorf("%q is not an incident id: give the number 'truce incident list' shows", args[0])}
			}
			st, err := a.openExisting(c.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			inc, err := st.GetIncident(c.Context(), id)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no incident %d (see 'truce incident list --dissolved')", id)
			}
			if err != nil {
				return err
			}
			rels, err := review.NewService(st).StandingReleases(c.Context(), store.Subject{Type: store.SubjectIncident, ID: inc.ID})
			if err != nil {
				return err
			}
			return showIncident(report.TermWriter(c.OutOrStdout()), inc, rels)
		},
	}
}

func showIncident(out io.Writer, inc store.Incident, releases []review.Release) error {
	var g incident.Grade
	if err := json.Unmarshal(inc.GradeReason, &g); err != nil {
		return fmt.Errorf("incident %d: grade reason: %w", inc.ID, err)
	}
	fmt.Fprintf(out, "incident %d: %s, %s to %s\n", inc.ID, placeOf(inc), inc.TimeStart.Format(time.RFC3339), inc.TimeEnd.Format(time.RFC3339))
	fmt.Fprintf(out, "  kind %s, target %s\n  %s\n", orDash(inc.Kind, "-"), orDash(inc.Category, "-"), inc.Summary)
	status := inc.Status
	if inc.NeedsReview {
		status += ", needs review (its members changed)"
	}
	if !inc.DissolvedAt.IsZero() {
		status += ", dissolved " + inc.DissolvedAt.Format(time.RFC3339)
	}
	fmt.Fprintf(out, "  review: %s\n", status)
	for _, r := range releases {
		fmt.Fprintf(out, "  releases: %s\n", r)
	}
	fmt.Fprintf(out, "\ngrade %s\n  %s\n", inc.Grade, g.Explanation)
	for _, o := range g.Origins {
		line := fmt.Sprintf("  origin %s (%s): %s", o.Name, o.Kind, strings.Join(o.Members, ", "))
		if o.SameBy != "" {
			line += "; counted once: " + o.SameBy
		}
		fmt.Fprintln(out, line)
	}
	for _, d := range g.Denied {
		fmt.Fprintln(out, "  denied:", d)
	}
	fmt.Fprintf(out, "\nmembers (%d)\n", len(inc.Members))
	for _, m := range inc.Members {
		flags := ""
		if m.Machine {
			flags += " [machine-coded: a lead]"
		}
		if m.Manual {
			flags += " [joined by an analyst]"
		}
		fmt.Fprintf(out, "  %-7s %s:%s (%s/%d)%s\n", m.Role, m.Source, m.SourceID, m.Record.Type, m.Record.ID, flags)
		fmt.Fprintf(out, "          %s\n", memberWhy(m.Reason))
	}
	return nil
}

// memberWhy is a member's reason in one line.
func memberWhy(raw json.RawMessage) string {
	var r incident.MemberReason
	if err := json.Unmarshal(raw, &r); err != nil {
		return string(raw)
	}
	switch {
	case r.Answers != "":
		return "answers (denies) " + r.Answers
	case r.Join != nil:
		return fmt.Sprintf("joined to %s by %s on %s: %s", r.LinkedTo, r.Join.By, r.Join.At.Format(time.DateOnly), r.Join.Reason)
	case r.Link != nil:
		return fmt.Sprintf("linked to %s (score %.2f): %s; %s; %s; %s", r.LinkedTo, r.Link.Score, r.Link.Time, r.Link.Place, r.Link.Kind, r.Link.Target)
	}
	return orDash(r.Note, "-")
}

func (a *invocation) incidentLinkCommand(link bool) *cobra.Command {
	var reason string
	name, short, example := "split", "Keep two records apart in every rebuild", `  truce incident split event/12 event/15 --reason "two strikes an hour apart, 40 km apart"
  truce incident split acled:UKR123 claim/7 --reason "the claim is about the next night"`
	if link {
		name, short, example = "join", "Put two records in one incident in every rebuild", `  truce incident join event/12 claim/7 --reason "the statement names this strike"
  truce incident join acled:UKR123 ucdp-ged:441165 --reason "same clash, coded a day apart"`
	}
	c := &cobra.Command{
		Use:   name + " RECORD RECORD --reason TEXT",
		Short: short,
		Long: short + `, then rebuild. A RECORD is event/ID or claim/ID
(the ids 'truce incident show' prints), or SOURCE:SOURCE_ID. The decision is
stored with who made it, when and why, in the audit log; a later decision on
the same pair replaces it. A decision that would change nothing is refused,
saying why: the same decision already stands; a split of records no incident
holds together; a join of records of different acting sides, countries or (for
a claim naming regions) regions, which no build would apply. Needs a token (TRUCE_TOKEN) of a user who may
edit incidents.`,
		Example: example,
		Args:    usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			if strings.TrimSpace(reason) == "" {
				return &exitError{code: 2, err: fmt.Errorf("--reason is required: say why, for the next analyst")}
			}
			ctx := c.Context()
			st, err := a.openExisting(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			by, err := a.actorFor(ctx, st, auth.EditIncidents)
			if err != nil {
				return err
			}
			var refs [2]store.RecordRef
			for i, arg := range args {
				if refs[i], err = resolveRecord(ctx, st, arg); err != nil {
					return err
				}
			}
			if refs[0] == refs[1] {
				return &exitError{code: 2, err: fmt.Errorf("%s and %s are the same record", args[0], args[1])}
			}
			if why, err := linkNoChange(ctx, st, refs[0], refs[1], link); err != nil {
				return err
			} else if why != "" {
				return fmt.Errorf("nothing to %s: %s", name, why)
			}
			d, err := st.AddLinkDecision(ctx, store.LinkDecision{A: refs[0], B: refs[1], Link: link, By: by, Reason: reason})
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "%s of %s/%d and %s/%d stored (decision %d, audit entry %d); rebuilding\n",
				name, d.A.Type, d.A.ID, d.B.Type, d.B.ID, d.ID, d.AuditSeq)
			res, err := buildIncidents(ctx, st, "", by)
			if err != nil {
				return err
			}
			return res.print(c.OutOrStdout(), c.ErrOrStderr(), false)
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (required)")
	return c
}

// resolveRecord reads "event/12", "claim/7" or "acled:UKR123".
func resolveRecord(ctx context.Context, st store.Store, arg string) (store.RecordRef, error) {
	if typ, id, ok := strings.Cut(arg, "/"); ok && (typ == store.RecordEvent || typ == store.RecordClaim) {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return store.RecordRef{}, &exitError{code: 2, err: fmt.Errorf("%q: the id after %s/ must be a number", arg, typ)}
		}
		f := store.EventFilter{IDs: []int64{n}, IncludeDeleted: true}
		count := st.CountEvents
		if typ == store.RecordClaim {
			count = st.CountClaims
		}
		if found, err := count(ctx, f); err != nil {
			return store.RecordRef{}, err
		} else if found == 0 {
			return store.RecordRef{}, fmt.Errorf("no %s %d in the store", typ, n)
		}
		return store.RecordRef{Type: typ, ID: n}, nil
	}
	source, id, ok := strings.Cut(arg, ":")
	if !ok || source == "" || id == "" {
		return store.RecordRef{}, &exitError{code: 2, err: fmt.Errorf("%q is not a record: write event/ID, claim/ID or SOURCE:SOURCE_ID", arg)}
	}
	if e, err := st.GetEvent(ctx, source, id); err == nil {
		return store.RecordRef{Type: store.RecordEvent, ID: e.ID}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.RecordRef{}, err
	}
	c, err := st.GetClaim(ctx, source, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.RecordRef{}, fmt.Errorf("no event or claim %s:%s in the store", source, id)
	}
	if err != nil {
		return store.RecordRef{}, err
	}
	return store.RecordRef{Type: store.RecordClaim, ID: c.ID}, nil
}
