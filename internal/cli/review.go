package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
)

// maxEvidenceFile bounds an upload: the store keeps files in the database.
const maxEvidenceFile = 64 << 20

func (a *app) reviewCommand() *cobra.Command {
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
  truce review set finding/12 corroborated --reason "BBC and Suspilne report it, video geolocated"
  truce review set finding/12 confirmed --reason "checked the geolocation"   # by another monitor`,
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

func (a *app) reviewListCommand() *cobra.Command {
	var fl reviewListFlags
	c := &cobra.Command{
		Use:   "list [--type finding|incident] [--status S]... [--needs-review] [--output table|json]",
		Short: "List findings and incidents with their review status",
		Long: `List findings (of the latest evaluated version of each agreement, withdrawn
ones included, since their reviews stand) and incidents, in time order,
with their review status and whether they are flagged for review.

A viewer sees only published subjects: those with a verdict and not
flagged for review. Output: table (for people) or json (JSON Lines).`,
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

func (a *app) runReviewList(c *cobra.Command, fl reviewListFlags) error {
	ctx := c.Context()
	if fl.typ != "" && fl.typ != store.SubjectFinding && fl.typ != store.SubjectIncident {
		return &exitError{code: 2, err: fmt.Errorf("unknown --type %q: use finding or incident", fl.typ)}
	}
	for _, s := range fl.statuses {
		if !slices.Contains(store.Statuses(), s) {
			return &exitError{code: 2, err: fmt.Errorf("unknown status %q: use one of %s", s, strings.Join(store.Statuses(), ", "))}
		}
	}
	if err := checkReviewOutput(fl.output, "table", "json"); err != nil {
		return err
	}
	st, err := a.openStore(ctx)
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
		note = " (published only: your role is " + u.Role + ")"
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Subject, it.Status, orDash(strings.Join(flags, ", "), "-"), it.Time.Format(time.DateOnly), it.Summary)
	}
	return tw.Flush()
}

// reviewShown is what 'review show' prints.
type reviewShown struct {
	Subject     store.Subject          `json:"subject"`
	Status      string                 `json:"status"`
	NeedsReview bool                   `json:"needs_review"`
	Published   bool                   `json:"published"`
	MachineOnly bool                   `json:"machine_only"`
	Revision    int                    `json:"revision"`
	Next        []string               `json:"next"` // statuses it may move to
	History     []store.Transition     `json:"history"`
	Evidence    []store.EvidenceItem   `json:"evidence"` // superseded ones included
	Finding     *store.FindingRecord   `json:"finding,omitempty"`
	Upstream    *review.UpstreamChange `json:"upstream,omitempty"`
	Incident    *store.Incident        `json:"incident,omitempty"`
	// InIncident is the incident that holds a finding's record, if any:
	// its grade, and the denials that answer the record, belong beside the
	// finding.
	InIncident *store.Incident `json:"in_incident,omitempty"`
	// MemberChanges are the last upstream change of each incident member
	// with more than one version.
	MemberChanges []review.UpstreamChange `json:"member_changes,omitempty"`
}

func (a *app) reviewShowCommand() *cobra.Command {
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

func (a *app) runReviewShow(c *cobra.Command, subj store.Subject, output string) error {
	ctx := c.Context()
	st, err := a.openStore(ctx)
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
	return printReview(c.OutOrStdout(), shown)
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
	fmt.Fprintf(w, "%s: %s", r.Subject, r.Status)
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
		fmt.Fprintf(tw, "  %s\t%s\t%s -> %s%s\t%s\n", t.At.Format(time.RFC3339), t.By, t.From, t.To, version, t.Reason)
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

func printEvidenceItem(w io.Writer, e *store.EvidenceItem) {
	fmt.Fprintf(w, "  #%d %s by %s", e.ID, e.AddedAt.Format(time.RFC3339), e.AddedBy)
	switch {
	case e.SupersededBy != 0:
		fmt.Fprintf(w, " (superseded by #%d)", e.SupersededBy)
	case e.Supersedes != 0:
		fmt.Fprintf(w, " (supersedes #%d)", e.Supersedes)
	}
	fmt.Fprintln(w)
	if e.URL != "" {
		fmt.Fprintf(w, "     url: %s\n", e.URL)
	}
	if e.SHA256 != "" {
		fmt.Fprintf(w, "     file: %s sha256 %s (%d bytes, %s)\n", orDash(e.FileName, "-"), e.SHA256, e.Size, e.MediaType)
	}
	if e.Lat != nil {
		fmt.Fprintf(w, "     geolocation: %s, %s by %s: %s\n", strconv.FormatFloat(*e.Lat, 'f', -1, 64),
			strconv.FormatFloat(*e.Lon, 'f', -1, 64), e.AddedBy, e.GeoMethod)
	}
	if e.Chronolocation != "" {
		fmt.Fprintf(w, "     chronolocation: %s\n", e.Chronolocation)
	}
	if e.Notes != "" {
		fmt.Fprintf(w, "     notes: %s\n", e.Notes)
	}
}

func (a *app) reviewSetCommand() *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "set SUBJECT STATUS --reason TEXT",
		Short: "Move a finding or an incident to another review status",
		Long: `Move a finding or an incident to STATUS, recording who (the user of
TRUCE_TOKEN, who must be a monitor or an admin), when, from, to and why.
STATUS is one of: alleged, corroborated, confirmed, refuted, inconclusive,
not_attributable.

Setting the status it already has re-affirms it after an upstream change
(allowed only while it is flagged for review) and clears the flag. The
rules ('truce review --help') are checked against the subject as stored; a
step someone else took meanwhile makes this one fail: show it again and
decide again.`,
		Example: `  truce review set finding/12 corroborated --reason "two independent outlets, one with video"
  truce review set finding/12 confirmed --reason "geolocation checked"      # a second monitor
  truce review set incident/3 refuted --reason "the photo predates the moratorium (evidence #4)"
  truce review set finding/12 confirmed --reason "the upstream edit changes only the count"`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			to := args[1]
			if !slices.Contains(store.Statuses(), to) {
				return &exitError{code: 2, err: fmt.Errorf("unknown status %q: use one of %s", to, strings.Join(store.Statuses(), ", "))}
			}
			if strings.TrimSpace(reason) == "" {
				return &exitError{code: 2, err: fmt.Errorf("--reason is empty: say why %s should be %s", subj, to)}
			}
			return a.runReviewSet(c, subj, to, reason)
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why, recorded with the step (required)")
	_ = c.MarkFlagRequired("reason")
	return c
}

func (a *app) runReviewSet(c *cobra.Command, subj store.Subject, to, reason string) error {
	ctx := c.Context()
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.requireUser(ctx, st, auth.Review)
	if err != nil {
		return fmt.Errorf("review %s: %w", subj, err)
	}
	t, err := review.NewService(st).Transition(ctx, u.Name, subj, to, reason)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errSubjectNotFound(subj)
	case errors.Is(err, review.ErrNeedsEvidence):
		return fmt.Errorf("%w (truce evidence add %s --url URL | --file FILE ...)", err, subj)
	case err != nil:
		return err
	}
	fmt.Fprintf(c.OutOrStdout(), "%s: %s -> %s by %s at %s (audit entry %d)\n", subj, t.From, t.To, t.By, t.At.Format(time.RFC3339), t.AuditSeq)
	return nil
}

func (a *app) evidenceCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "evidence",
		Short: "Attach evidence to findings and incidents, and list it",
		Long: `Evidence backs a review step: a URL, an uploaded file (stored once by its
SHA-256, with its size and media type), a geolocation (latitude, longitude
and how it was established; by whom is the user adding it),
chronolocation notes, free notes, or several of these in one item.

Evidence is never deleted or edited: a correction is a new item that
supersedes the old one (--supersedes ID). Refuting needs at least one
standing item, and a subject resting only on machine-coded sources (GDELT)
needs one before it can be corroborated. Monitors, analysts and admins may
add evidence.`,
		Example: `  truce evidence add finding/12 --url https://t.me/channel/1234 --notes "video of the strike"
  truce evidence add finding/12 --file crater.jpg --lat 48.8512 --lon 37.6031 --geo-method "skyline matched to satellite imagery"
  truce evidence add finding/12 --chronolocation "shadows put it at 09:00-10:00 local" --supersedes 3
  truce evidence list finding/12 --all
  truce evidence get finding/12 <sha256> -o crater.jpg`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.evidenceAddCommand(), a.evidenceListCommand(), a.evidenceGetCommand())
	return c
}

type evidenceFlags struct {
	url, file, mediaType, geoMethod, chrono, notes string
	lat, lon                                       float64
	supersedes                                     int64
}

func (a *app) evidenceAddCommand() *cobra.Command {
	var fl evidenceFlags
	c := &cobra.Command{
		Use:   "add SUBJECT [--url U] [--file F] [--media-type T] [--lat X --lon Y --geo-method TEXT] [--chronolocation TEXT] [--notes TEXT] [--supersedes ID]",
		Short: "Attach an evidence item to a finding or an incident",
		Long: `Attach one evidence item to SUBJECT (finding/ID or incident/ID), as the user
of TRUCE_TOKEN. Give at least one of --url, --file, a geolocation,
--chronolocation or --notes.

A file is read whole (up to 64 MiB) and stored once by its SHA-256, which is
printed; its media type is sniffed from its first bytes unless --media-type
says it. A geolocation needs --lat, --lon and --geo-method together.
--supersedes ID replaces a standing item of the same subject, which stays
on record, marked superseded.`,
		Example: `  truce evidence add finding/12 --url https://example.org/report --notes "local news, names the substation"
  truce evidence add incident/3 --file photo.jpg --lat 48.8512 --lon 37.6031 --geo-method "street signs and skyline"
  truce evidence add finding/12 --notes "the video is from 2023 (reverse image search)" --supersedes 5`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			return a.runEvidenceAdd(c, subj, fl)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.url, "url", "", "where the evidence is published")
	f.StringVar(&fl.file, "file", "", "a `FILE` to upload (photo, video, document)")
	f.StringVar(&fl.mediaType, "media-type", "", "the file's media `TYPE` (default: sniffed from its content)")
	f.Float64Var(&fl.lat, "lat", 0, "geolocation: latitude, decimal degrees")
	f.Float64Var(&fl.lon, "lon", 0, "geolocation: longitude, decimal degrees")
	f.StringVar(&fl.geoMethod, "geo-method", "", "geolocation: how the place was established")
	f.StringVar(&fl.chrono, "chronolocation", "", "when it happened, and how that was established")
	f.StringVar(&fl.notes, "notes", "", "anything else a reviewer should know")
	f.Int64Var(&fl.supersedes, "supersedes", 0, "the `ID` of a standing item this one replaces")
	return c
}

func (a *app) runEvidenceAdd(c *cobra.Command, subj store.Subject, fl evidenceFlags) error {
	ctx := c.Context()
	item := store.EvidenceItem{
		Subject: subj, URL: fl.url, MediaType: fl.mediaType, GeoMethod: fl.geoMethod,
		Chronolocation: fl.chrono, Notes: fl.notes, Supersedes: fl.supersedes,
	}
	flags := c.Flags()
	if flags.Changed("lat") || flags.Changed("lon") || fl.geoMethod != "" {
		if !flags.Changed("lat") || !flags.Changed("lon") || strings.TrimSpace(fl.geoMethod) == "" {
			return &exitError{code: 2, err: errors.New("a geolocation needs --lat, --lon and --geo-method together")}
		}
		item.Lat, item.Lon = &fl.lat, &fl.lon
	}
	if u, err := url.Parse(fl.url); fl.url != "" && (err != nil || u.Scheme == "" || u.Host == "" && u.Opaque == "") {
		return &exitError{code: 2, err: fmt.Errorf("--url %q is not an absolute URL: write it as https://host/path", fl.url)}
	}
	if fl.mediaType != "" && fl.file == "" {
		return &exitError{code: 2, err: errors.New("--media-type describes --file: give the file too")}
	}
	if item.URL == "" && fl.file == "" && item.Lat == nil && item.Chronolocation == "" && item.Notes == "" {
		return &exitError{code: 2, err: errors.New("nothing to add: give --url, --file, --lat/--lon/--geo-method, --chronolocation or --notes")}
	}
	var content []byte
	if fl.file != "" {
		var err error
		if content, err = readEvidenceFile(fl.file); err != nil {
			return err
		}
		item.FileName = filepath.Base(fl.file)
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.requireUser(ctx, st, auth.AddEvidence)
	if err != nil {
		return fmt.Errorf("add evidence to %s: %w", subj, err)
	}
	stored, err := review.NewService(st).AddEvidence(ctx, u.Name, item, content)
	if errors.Is(err, store.ErrNotFound) {
		return errSubjectNotFound(subj)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.OutOrStdout(), "evidence #%d on %s by %s (audit entry %d)\n", stored.ID, subj, stored.AddedBy, stored.AuditSeq)
	if stored.SHA256 != "" {
		fmt.Fprintf(c.OutOrStdout(), "file %s sha256 %s (%d bytes, %s)\n", stored.FileName, stored.SHA256, stored.Size, stored.MediaType)
	}
	if stored.Supersedes != 0 {
		fmt.Fprintf(c.OutOrStdout(), "supersedes #%d\n", stored.Supersedes)
	}
	return nil
}

// readEvidenceFile reads an upload, refusing one too large to keep in the
// database before reading it.
func readEvidenceFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("--file: %w", err)
	}
	if info.Size() > maxEvidenceFile {
		return nil, fmt.Errorf("--file %s: %d bytes is over the %d MiB truce stores: keep it elsewhere and give its --url", name, info.Size(), maxEvidenceFile>>20)
	}
	content, err := io.ReadAll(io.LimitReader(f, maxEvidenceFile+1))
	if err != nil {
		return nil, fmt.Errorf("--file %s: %w", name, err)
	}
	if len(content) == 0 {
		return nil, fmt.Errorf("--file %s is empty", name)
	}
	if len(content) > maxEvidenceFile {
		return nil, fmt.Errorf("--file %s is over the %d MiB truce stores: keep it elsewhere and give its --url", name, maxEvidenceFile>>20)
	}
	return content, nil
}

func (a *app) evidenceListCommand() *cobra.Command {
	var all bool
	var output string
	c := &cobra.Command{
		Use:   "list SUBJECT [--all] [--output text|json]",
		Short: "List the evidence on a finding or an incident",
		Long: `List the standing evidence items of SUBJECT, oldest first; --all adds the
superseded ones, marked with their successor. A viewer can list the
evidence of published subjects only.`,
		Example: `  truce evidence list finding/12
  truce evidence list incident/3 --all --output json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			if err := checkReviewOutput(output, "text", "json"); err != nil {
				return err
			}
			ctx := c.Context()
			var items []store.EvidenceItem
			err = a.onVisibleSubject(ctx, subj, "list evidence of", func(st store.Store) (err error) {
				items, err = st.ListEvidence(ctx, subj, all)
				return err
			})
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			if output == "json" {
				enc := json.NewEncoder(w)
				for i := range items {
					if err := enc.Encode(&items[i]); err != nil {
						return err
					}
				}
				return nil
			}
			for i := range items {
				printEvidenceItem(w, &items[i])
			}
			fmt.Fprintf(c.ErrOrStderr(), "%d evidence items on %s\n", len(items), subj)
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "also list superseded items")
	c.Flags().StringVar(&output, "output", "text", "output: text, json")
	return c
}

// onVisibleSubject opens the store and runs fn if the user of TRUCE_TOKEN
// may see subj; a subject they may not see is "not found", like a missing
// one, so that its existence does not leak. what names the action in
// errors.
func (a *app) onVisibleSubject(ctx context.Context, subj store.Subject, what string, fn func(store.Store) error) error {
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := a.currentUser(ctx, st)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, subj, err)
	}
	rs, err := st.ReviewState(ctx, subj)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !review.CanSee(u, rs.Status, rs.NeedsReview)) {
		return errSubjectNotFound(subj)
	}
	if err != nil {
		return err
	}
	return fn(st)
}

func (a *app) evidenceGetCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "get SUBJECT SHA256 [-o FILE]",
		Short: "Write out a file attached as evidence, checked against its SHA-256",
		Long: `Write the file with this SHA-256 (as 'truce evidence list' shows it),
attached to SUBJECT, to FILE or to standard output. The content is hashed
again before it is written: a file whose content no longer matches its
SHA-256 was altered in the database, and is refused. A viewer can get the
files of published subjects only.`,
		Example: `  truce evidence get finding/12 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 -o crater.jpg`,
		Args:    usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			subj, err := reviewSubject(args[0])
			if err != nil {
				return err
			}
			sum := strings.ToLower(args[1])
			if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
				return &exitError{code: 2, err: fmt.Errorf("%q is not a SHA-256: write its 64 hex digits, as 'truce evidence list %s' shows them", args[1], subj)}
			}
			ctx := c.Context()
			var content []byte
			err = a.onVisibleSubject(ctx, subj, "get evidence of", func(st store.Store) error {
				// Only a file this subject cites: visibility is the subject's.
				items, err := st.ListEvidence(ctx, subj, true)
				if err != nil {
					return err
				}
				if !slices.ContainsFunc(items, func(e store.EvidenceItem) bool { return e.SHA256 == sum }) {
					return fmt.Errorf("no evidence file %s on %s (see 'truce evidence list %s --all')", sum, subj, subj)
				}
				content, err = st.EvidenceFile(ctx, sum)
				return err
			})
			if err != nil {
				return err
			}
			if got := sha256.Sum256(content); hex.EncodeToString(got[:]) != sum {
				return fmt.Errorf("evidence file %s: its content hashes to %x: altered in the database; not written", sum, got)
			}
			if output == "" || output == "-" {
				_, err = c.OutOrStdout().Write(content)
				return err
			}
			if err := os.WriteFile(output, content, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "wrote %s (%d bytes, sha256 verified)\n", output, len(content))
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "", "write to `FILE` (default: standard output)")
	return c
}
