package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The review page as 'truce review show' prints it for people.

func printReview(w io.Writer, r *app.ReviewPage) error {
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
	fmt.Fprintf(w, "next: %s\n", strings.Join(vocab.Names(r.Next), ", "))
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
	fmt.Fprintf(w, "%s %s/%s version %d%s: %s to %s, %s\n", f.Record.Kind, sub.Source, sub.SourceID, sub.Version, state,
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
func printHoldingIncident(w io.Writer, inc *incident.Incident, rec vocab.Ref) {
	var reason struct{ Explanation string }
	_ = json.Unmarshal(inc.GradeReason, &reason) // a grade without reasons still shows
	fmt.Fprintf(w, "\nin incident/%d, review %s, grade %s: %s\n", inc.ID, inc.Status, inc.Grade, orDash(reason.Explanation, "-"))
	for _, m := range inc.Members {
		if m.Role != vocab.MemberDenial {
			continue
		}
		this := ""
		if m.Record == rec {
			this = " (this finding's record)"
		}
		fmt.Fprintf(w, "  denial %s/%s%s: %s\n", m.Source, m.SourceID, this, memberWhy(m.Reason))
	}
}

func printReviewIncident(w io.Writer, inc *incident.Incident) {
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
		fmt.Fprintf(w, "  %-6s %s %d %s/%s%s\n", m.Role, m.Record.Kind, m.Record.ID, m.Source, m.SourceID, extra)
	}
}
