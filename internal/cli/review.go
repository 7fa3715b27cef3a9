package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *invocation) reviewCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "review",
		Short: "Move findings and incidents through the review, and read their history",
		Long: `Review findings and incidents: every one starts alleged and a monitor moves
it, step by step, to a verdict:

  alleged       -> corroborated, refuted, inconclusive, not_attributable
  corroborated  -> confirmed, refuted, inconclusive, not_attributable, alleged
  a verdict     -> alleged or corroborated (reopened)

The rules:
  - every step needs a reason (--reason), recorded with who and when;
  - confirming needs a second reviewer: not the one who last moved it to
    corroborated;
  - refuting needs at least one piece of evidence ('truce evidence add');
  - a finding or incident resting only on machine-coded sources (GDELT)
    stays alleged (or gets a verdict other than confirmed) until evidence
    is added: such sources are leads only;
  - when an event or claim behind a finding changes upstream, the finding
    is flagged for review: 'review show' lists what changed, and setting it
    to a status (its current one included) clears the flag.

A subject is published when it has a verdict (confirmed, refuted,
inconclusive, not_attributable) and is not flagged for review; viewers see
only published subjects. Commands act as the user whose API token is in
TRUCE_TOKEN (see 'truce user'). Subjects are written finding/ID or
incident/ID, with the ids 'truce findings' and 'truce incident list' show.`,
		Example: `  truce review list --status alleged --needs-review
  truce review show finding/12
  truce review set finding/12 corroborated --from alleged --reason "BBC and Suspilne report it, video geolocated"
  truce review set finding/12 confirmed --from corroborated --reason "checked the geolocation"   # by another monitor`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.reviewListCommand(), a.reviewShowCommand(), a.reviewSetCommand())
	return c
}

// reviewSubject reads a SUBJECT argument; a malformed one is a usage error.
func reviewSubject(arg string) (store.Subject, error) {
	subj, err := store.ParseSubject(arg)
	if err != nil {
		return store.Subject{}, &exitError{code: 2, err: err}
	}
	return subj, nil
}

// errSubjectNotFound is what anyone who may not see a subject is told, so
// that its existence does not leak.
func errSubjectNotFound(subj store.Subject) error {
	return fmt.Errorf("%s not found (see 'truce review list')", subj)
}

func checkReviewOutput(output string, allowed ...string) error {
	if !slices.Contains(allowed, output) {
		return &exitError{code: 2, err: fmt.Errorf("unknown output %q: use %s", output, strings.Join(allowed, " or "))}
	}
	return nil
}

// reviewItem is one line of 'review list'.
type reviewItem struct {
	Subject     string    `json:"subject"`
	Status      string    `json:"status"`
	NeedsReview bool      `json:"needs_review"`
	Published   bool      `json:"published"`
	Withdrawn   bool      `json:"withdrawn,omitempty"`
	Time        time.Time `json:"time"`
	Summary     string    `json:"summary"`
}

type reviewListFlags struct {
	typ         string
	statuses    []string
	needsReview bool
	output      string
}

func (a *invocation) reviewListCommand() *cobra.Command {
	var fl reviewListFlags
	c := &cobra.Command{
		Use:   "list [--type finding|incident] [--status S]... [--needs-review] [--output table|json]",
		Short: "List findings and incidents with their review status",
		Long: `List findings (of the latest evaluated version of each agreement, withdrawn
ones included, since their reviews stand) and incidents, in time order,
with their review status and whether they are flagged for review.

A viewer sees only published subjects: those with a verdict and not
flagged for review. Output: table (for people) or json (JSON Lines). An
unknown type or status is an error listing the known ones; they match in
any case.`,
		Example: `  truce review list
  truce review list --type finding --status alleged --status corroborated
  truce review list --needs-review --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runReviewList(c, fl) },
	}
	f := c.Flags()
	f.StringVar(&fl.typ, "type", "", "only `finding` or incident subjects (default: both)")
	f.StringSliceVar(&fl.statuses, "status", nil, "only these statuses (repeat or comma-separate): "+strings.Join(store.Statuses(), ", "))
	f.BoolVar(&fl.needsReview, "needs-review", false, "only subjects flagged for review")
	f.StringVar(&fl.output, "output", "table", "output: table, json")
	return c
}

func (a *invocation) runReviewList(c *cobra.Command, fl reviewListFlags) error {
	ctx := c.Context()
	if fl.typ != "" {
		typ, err := knownCodes("type", []string{fl.typ}, []string{store.SubjectFinding, store.SubjectIncident})
		if err != nil {
			return err
		}
		fl.typ = typ[0]
	}
	var err error
	if fl.statuses, err = knownCodes("status", fl.statuses, store.Statuses()); err != nil {
		return err
	}
	if err := checkReviewOutput(fl.output, "table", "json"); err != nil {
		return err
	}
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.currentUser(ctx, st)
	if err != nil {
		return fmt.Errorf("list reviews: %w", err)
	}
	keep := func(status string, needsReview bool) bool {
		return (len(fl.statuses) == 0 || slices.Contains(fl.statuses, status)) &&
			(!fl.needsReview || needsReview) && review.CanSee(u, status, needsReview)
	}
	var items []reviewItem
	if fl.typ != store.SubjectIncident {
		err := st.ScanFindings(ctx, store.FindingFilter{NeedsReview: fl.needsReview, IncludeWithdrawn: true}, func(f *store.FindingRecord) error {
			if keep(f.Status, f.NeedsReview) {
				items = append(items, reviewFindingItem(f))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if fl.typ != store.SubjectFinding {
		incs, err := st.ListIncidents(ctx, store.IncidentFilter{Statuses: fl.statuses, NeedsReview: fl.needsReview})
		if err != nil {
			return err
		}
		for i := range incs {
			if keep(incs[i].Status, incs[i].NeedsReview) {
				items = append(items, reviewIncidentItem(&incs[i]))
			}
		}
	}
	slices.SortStableFunc(items, func(x, y reviewItem) int { return x.Time.Compare(y.Time) })
	if err := writeReviewItems(c.OutOrStdout(), items, fl.output); err != nil {
		return err
	}
	flagged := 0
	for _, it := range items {
		if it.NeedsReview {
			flagged++
		}
	}
	note := ""
	if auth.Allow(u, auth.ReadUnpublished) != nil {
		note = " (published only: your role is " + string(u.Role) + ")"
	}
	fmt.Fprintf(c.ErrOrStderr(), "%d subjects, %d flagged for review%s\n", len(items), flagged, note)
	return nil
}

func reviewFindingItem(f *store.FindingRecord) reviewItem {
	sub := &f.Subject
	summary := fmt.Sprintf("%s v%d %s (%s reading) against %s: %s; %s %s/%s", f.AgreementID, f.AgreementVersion,
		f.CommitmentID, f.Reading, orDash(f.Accused, "-"), f.Verdict, f.Record.Type, sub.Source, sub.SourceID)
	if sub.Deleted {
		summary += " (deleted upstream)"
	}
	return reviewItem{
		Subject: store.Subject{Type: store.SubjectFinding, ID: f.ID}.String(), Status: f.Status, NeedsReview: f.NeedsReview,
		Published: review.Published(f.Status, f.NeedsReview), Withdrawn: !f.WithdrawnAt.IsZero(), Time: f.RecordTime, Summary: summary,
	}
}

func reviewIncidentItem(inc *store.Incident) reviewItem {
	summary := fmt.Sprintf("grade %s, %d members: %s", inc.Grade, len(inc.Members), inc.Summary)
	return reviewItem{
		Subject: store.Subject{Type: store.SubjectIncident, ID: inc.ID}.String(), Status: inc.Status, NeedsReview: inc.NeedsReview,
		Published: review.Published(inc.Status, inc.NeedsReview), Withdrawn: !inc.DissolvedAt.IsZero(), Time: inc.TimeStart, Summary: summary,
	}
}

func writeReviewItems(w io.Writer, items []reviewItem, output string) error {
	if output == "json" {
		enc := json.NewEncoder(w)
		for i := range items {
			if err := enc.Encode(&items[i]); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tSTATUS\tFLAG\tTIME\tSUMMARY")
	for _, it := range items {
		var flags []string
		if it.NeedsReview {
			flags = append(flags, "needs review")
		}
		if it.Withdrawn {
			flags = append(flags, "withdrawn")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Subject, it.Status, orDash(strings.Join(flags, ", "), "-"), it.Time.Format(time.DateOnly), report.Term(it.Summary))
	}
	return tw.Flush()
}

// reviewShown is what 'review show' prints.
type reviewShown struct {
	Subject     store.Subject `json:"subject"`
	Status      string        `json:"status"`
	NeedsReview bool          `json:"needs_review"`
	Published   bool          `json:"published"`
	MachineOnly bool          `json:"machine_only"`
	Revision    int           `json:"revision"`
	// Releases are the confirmed violations among its findings that release
	// the other parties under the release rule, and since when.
	Releases []review.Release       `json:"releases,omitempty"`
	Next     []string               `json:"next"` // statuses it may move to
	History  []store.Transition     `json:"history"`
	Evidence []store.EvidenceItem   `json:"evidence"` // superseded ones included
	Finding  *store.FindingRecord   `json:"finding,omitempty"`
	Upstream *review.UpstreamChange `json:"upstream,omitempty"`
	Incident *store.Incident        `json:"incident,omitempty"`
	// InIncident is the incident that holds a finding's record, if any:
	// its grade, and the denials that answer the record, belong beside the
	// finding.
	InIncident *store.Incident `json:"in_incident,omitempty"`
	// MemberChanges are the last upstream change of each incident member
	// with more than one version.
	MemberChanges []review.UpstreamChange `json:"member_changes,omitempty"`
}

func (a *invocation) reviewShowCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "show SUBJECT [--output text|json]",
		Short: "Show a finding's or an incident's review: status, history, evidence, records",
		Long: `Show one finding or incident: its review status, every step taken (who,
when, from, to, why), its evidence (superseded items marked), and what it is
about: for a finding, the agreement clause, the explanation and the event or
claim; for an incident, its grade and members.

When the event or claim behind a finding got a new version upstream since
it was last judged (by the last review step, or by evaluation if never
reviewed), the version judged and the current one are shown side by side,
field by field, and a deletion upstream is called out.

A viewer can show only published subjects; any other is "not found".`,
		Example: `  truce review show finding/12
  truce review show incident/3 --output json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			if err := checkReviewOutput(output, "text", "json"); err != nil {
				return err
			}
			return a.runReviewShow(c, subj, output)
		},
	}
	c.Flags().StringVar(&output, "output", "text", "output: text, json")
	return c
}

func (a *invocation) runReviewShow(c *cobra.Command, subj store.Subject, output string) error {
	ctx := c.Context()
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.currentUser(ctx, st)
	if err != nil {
		return fmt.Errorf("show %s: %w", subj, err)
	}
	shown, err := loadReview(ctx, st, u, subj)
	if err != nil {
		return err
	}
	if output == "json" {
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(shown)
	}
	return printReview(report.TermWriter(c.OutOrStdout()), shown)
}

// loadReview reads what 'review show' prints, if u may see it.
func loadReview(ctx context.Context, st store.Store, u store.User, subj store.Subject) (*reviewShown, error) {
	rs, err := st.ReviewState(ctx, subj)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !review.CanSee(u, rs.Status, rs.NeedsReview)) {
		return nil, errSubjectNotFound(subj)
	}
	if err != nil {
		return nil, err
	}
	shown := &reviewShown{
		Subject: subj, Status: rs.Status, NeedsReview: rs.NeedsReview, Published: review.Published(rs.Status, rs.NeedsReview),
		MachineOnly: rs.MachineOnly, Revision: rs.Revision, Next: review.Next(rs.Status), History: rs.History,
	}
	if rs.NeedsReview {
		shown.Next = append([]string{rs.Status}, shown.Next...)
	}
	if shown.Evidence, err = st.ListEvidence(ctx, subj, true); err != nil {
		return nil, err
	}
	if shown.Releases, err = review.NewService(st).StandingReleases(ctx, subj); err != nil {
		return nil, err
	}
	switch subj.Type {
	case store.SubjectFinding:
		f, err := st.GetFinding(ctx, subj.ID)
		if err != nil {
			return nil, err
		}
		shown.Finding = &f
		up, err := review.Upstream(ctx, st, f.Record.Type, f.Subject.Source, f.Subject.SourceID, rs.JudgedVersion)
		if err != nil {
			return nil, err
		}
		shown.Upstream = &up
		holding, err := st.ListIncidents(ctx, store.IncidentFilter{Record: f.Record})
		if err != nil {
			return nil, err
		}
		if len(holding) > 0 {
			shown.InIncident = &holding[0]
		}
	case store.SubjectIncident:
		inc, err := st.GetIncident(ctx, subj.ID)
		if err != nil {
			return nil, err
		}
		shown.Incident = &inc
		for _, m := range inc.Members {
			up, err := review.LastChange(ctx, st, m.Record.Type, m.Source, m.SourceID)
			if err != nil {
				return nil, err
			}
			if up.Changed() {
				shown.MemberChanges = append(shown.MemberChanges, up)
			}
		}
	}
	return shown, nil
}

func printReview(w io.Writer, r *reviewShown) error {
	// The status and revision are what 'review set --from/--revision' takes.
	fmt.Fprintf(w, "%s: %s, revision %d", r.Subject, r.Status, r.Revision)
	switch {
	case r.NeedsReview:
		fmt.Fprint(w, ", flagged for review")
	case r.Published:
		fmt.Fprint(w, ", published")
	default:
		fmt.Fprint(w, ", not published")
	}
	fmt.Fprintln(w)
	if r.MachineOnly {
		fmt.Fprintln(w, "rests only on machine-coded sources (GDELT): a lead until evidence is added")
	}
	fmt.Fprintf(w, "next: %s\n", strings.Join(r.Next, ", "))
	for _, rel := range r.Releases {
		fmt.Fprintf(w, "releases: %s\n", rel)
	}
	if f := r.Finding; f != nil {
		printReviewFinding(w, f)
	}
	if inc := r.InIncident; inc != nil {
		printHoldingIncident(w, inc, r.Finding.Record)
	}
	if u := r.Upstream; u != nil && u.Changed() {
		printReviewUpstream(w, u, true)
	}
	if inc := r.Incident; inc != nil {
		printReviewIncident(w, inc)
	}
	for i := range r.MemberChanges {
		printReviewUpstream(w, &r.MemberChanges[i], false)
	}

	fmt.Fprintln(w, "\nhistory:")
	if len(r.History) == 0 {
		fmt.Fprintln(w, "  none: never reviewed")
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, t := range r.History {
		version := ""
		if t.RecordVersion > 0 {
			version = fmt.Sprintf(" (record v%d)", t.RecordVersion)
		}
		// Cells one line each, so that the columns hold.
		fmt.Fprintf(tw, "  %s\t%s\t%s -> %s%s\t%s\n", t.At.Format(time.RFC3339), report.Term(t.By), t.From, t.To, version, report.Term(t.Reason))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nevidence:")
	if len(r.Evidence) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for i := range r.Evidence {
		printEvidenceItem(w, &r.Evidence[i])
	}
	return nil
}

func printReviewFinding(w io.Writer, f *store.FindingRecord) {
	sub := &f.Subject
	fmt.Fprintf(w, "\n%s version %d, commitment %s, %s reading, against %s: %s\n",
		f.AgreementID, f.AgreementVersion, f.CommitmentID, f.Reading, orDash(f.Accused, "-"), f.Verdict)
	if !f.WithdrawnAt.IsZero() {
		fmt.Fprintf(w, "withdrawn %s: evaluation no longer gives it\n", f.WithdrawnAt.Format(time.RFC3339))
	}
	state := ""
	if sub.Deleted {
		state = ", deleted upstream"
	}
	fmt.Fprintf(w, "%s %s/%s version %d%s: %s to %s, %s\n", f.Record.Type, sub.Source, sub.SourceID, sub.Version, state,
		sub.Time.Start.Format(time.RFC3339), sub.Time.End.Format(time.RFC3339), reviewPlace(sub))
	if sub.Text != "" {
		fmt.Fprintf(w, "  %s\n", sub.Text)
	}
	var ex explanation
	if json.Unmarshal(f.Explanation, &ex) == nil && len(ex.Checks) > 0 {
		fmt.Fprintln(w, "explanation:")
		for _, c := range ex.Checks {
			mark := "ok"
			switch {
			case !c.OK:
				mark = "FAILS"
			case c.Unsure:
				mark = "unsure"
			}
			fmt.Fprintf(w, "  %-7s %s: %s\n", mark, c.Clause, c.Detail)
		}
		for _, n := range ex.Notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
	} else if f.ExplanationText != "" {
		fmt.Fprintf(w, "explanation: %s\n", f.ExplanationText)
	}
}

func reviewPlace(s *store.FindingSubject) string {
	var parts []string
	for _, p := range []string{s.Place.Name, s.Place.Admin1, s.Place.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "place unknown"
	}
	return strings.Join(parts, ", ")
}

// printReviewUpstream prints u: since the version judged (a finding's), or
// the last change of an incident member.
func printReviewUpstream(w io.Writer, u *review.UpstreamChange, judged bool) {
	what := "changed"
	if u.Deleted {
		what = "DELETED"
	}
	if judged {
		fmt.Fprintf(w, "\n%s upstream since judged: %s %s/%s version %d (judged) -> version %d (now)\n",
			what, u.Type, u.Source, u.SourceID, u.JudgedVersion, u.Version)
	} else {
		fmt.Fprintf(w, "\nmember %s upstream, last change: %s %s/%s version %d -> version %d (now)\n",
			what, u.Type, u.Source, u.SourceID, u.JudgedVersion, u.Version)
	}
	if u.Deleted {
		fmt.Fprintln(w, "  deleted upstream: the source withdrew this record")
	}
	// Short values on one line; long ones (texts) one above the other, whole,
	// so that a change of one word in a long text shows.
	for _, c := range u.Changes {
		judged, now := reviewValue(c.Judged), reviewValue(c.Now)
		if utf8.RuneCountInString(judged)+utf8.RuneCountInString(now) <= 60 {
			fmt.Fprintf(w, "  %s: %s -> %s\n", c.Field, judged, now)
			continue
		}
		fmt.Fprintf(w, "  %s:\n    judged: %s\n    now:    %s\n", c.Field, judged, now)
	}
}

// reviewValue puts a value on one line and marks an empty one.
func reviewValue(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(none)"
	}
	return s
}

// printHoldingIncident says which incident holds a finding's record (rec),
// how it is graded and which claims in it deny others: a denied claim is
// never shown without its denial.
func printHoldingIncident(w io.Writer, inc *store.Incident, rec store.RecordRef) {
	var reason struct{ Explanation string }
	_ = json.Unmarshal(inc.GradeReason, &reason) // a grade without reasons still shows
	fmt.Fprintf(w, "\nin incident/%d, review %s, grade %s: %s\n", inc.ID, inc.Status, inc.Grade, orDash(reason.Explanation, "-"))
	for _, m := range inc.Members {
		if m.Role != store.MemberDenial {
			continue
		}
		this := ""
		if m.Record == rec {
			this = " (this finding's record)"
		}
		fmt.Fprintf(w, "  denial %s/%s%s: %s\n", m.Source, m.SourceID, this, memberWhy(m.Reason))
	}
}

func printReviewIncident(w io.Writer, inc *store.Incident) {
	fmt.Fprintf(w, "\nincident %d: grade %s, %s to %s", inc.ID, inc.Grade, inc.TimeStart.Format(time.RFC3339), inc.TimeEnd.Format(time.RFC3339))
	if inc.Country != "" || inc.Admin1 != "" {
		fmt.Fprintf(w, ", %s", strings.Trim(inc.Admin1+", "+inc.Country, ", "))
	}
	fmt.Fprintln(w)
	if inc.Summary != "" {
		fmt.Fprintf(w, "  %s\n", inc.Summary)
	}
	if !inc.DissolvedAt.IsZero() {
		fmt.Fprintf(w, "dissolved %s: a rebuild gave it no members\n", inc.DissolvedAt.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "members (%d):\n", len(inc.Members))
	for _, m := range inc.Members {
		var flags []string
		if m.Machine {
			flags = append(flags, "machine-coded")
		}
		if m.Manual {
			flags = append(flags, "joined by an analyst")
		}
		extra := ""
		if len(flags) > 0 {
			extra = " (" + strings.Join(flags, ", ") + ")"
		}
		fmt.Fprintf(w, "  %-6s %s %d %s/%s%s\n", m.Role, m.Record.Type, m.Record.ID, m.Source, m.SourceID, extra)
	}
}
