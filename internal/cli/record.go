package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/vocab"
)

func (a *invocation) recordCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "record",
		Short: "Look up one event or claim",
		Long: `Look up one stored event or claim by any of its ids: event/ID or claim/ID
(as findings, incidents and reviews name it; claim/ID#N names its allegation
N) or SOURCE:SOURCE_ID (as the
source and 'truce check' name it; the strike reports' rows by either
strikes:ID, as ingest stores them, or missile-attacks-ukraine:ID, as
'truce check' names them).`,
	}
	c.AddCommand(a.recordShowCommand())
	return c
}

func (a *invocation) recordShowCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "show RECORD [--output text|json]",
		Short: "Show a record: its raw fields, enrichment with reasons, findings and incident",
		Long: `Show one event or claim: its ids (event/ID or claim/ID, and SOURCE:SOURCE_ID),
version and whether its source deleted it; what was read from it (time, place,
kind, actors and their parties, claimant and accused) and the enrichment with
the words behind each part (target categories, allegations act by act); the
source's own fields as read; its findings under every agreement version, with
their review status; and the incident holding it, or, for a record whose text
alleges several acts, the incident holding each allegation (claim/7#1,
claim/7#2).`,
		Example: `  truce record show event/12
  truce record show claim/7 --output json
  truce record show claim/7#2
  truce record show acled:UKR123
  truce record show strikes:abbd5013bb762172`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			ap, err := a.openApp(c.Context(), false)
			if err != nil {
				return err
			}
			defer ap.Close()
			shown, err := ap.Record(c.Context(), args[0])
			if err != nil {
				return err
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(shown)
			}
			return printRecord(report.TermWriter(c.OutOrStdout()), shown)
		},
	}
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func printRecord(w io.Writer, r *app.Record) error {
	var (
		version   int
		deleted   bool
		span      event.Span
		kind      string
		kindWhy   *event.Reason
		targets   []event.Reason
		alls      []event.Allegation
		text, url string
		raw       json.RawMessage
	)
	if e := r.Event; e != nil {
		version, deleted, span, kind, kindWhy, targets, alls, text, raw = e.Version, e.Deleted, e.Time, e.Kind, e.KindReason, e.Targets, e.Allegations, e.Text, e.Raw
	} else {
		c := r.Claim
		version, deleted, span, kind, targets, alls, text, url, raw = c.Version, c.Deleted, c.Time, c.Kind, c.Targets, c.Allegations, c.Text, c.URL, c.Raw
	}
	fmt.Fprintf(w, "%s  %s  version %d", refName(r.Record), r.Key, version)
	if deleted {
		fmt.Fprint(w, ", deleted upstream")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "time: %s to %s (%s)\n", span.Start.Format(time.RFC3339), span.End.Format(time.RFC3339), span.Precision)
	if e := r.Event; e != nil {
		fmt.Fprintf(w, "place: %s\n", placeText(e.Place))
		for _, a := range e.Actors {
			fmt.Fprintf(w, "actor: %s (%s) -> party %s\n", a.Name, a.Role, orDash(a.Party, "none"))
		}
	} else {
		c := r.Claim
		fmt.Fprintf(w, "claim: %s, by %s against %s, published %s\n", c.Type, c.Claimant, orDash(c.Accused, "-"), c.Published.Format(time.RFC3339))
		for _, p := range c.Places {
			fmt.Fprintf(w, "place: %s\n", placeText(p))
		}
		if c.Count != nil {
			fmt.Fprintf(w, "count: %d\n", *c.Count)
		}
		if c.Answers != "" {
			fmt.Fprintf(w, "answers: %s:%s\n", c.Source, c.Answers)
		}
	}
	fmt.Fprintf(w, "kind: %s%s\n", orDash(kind, "-"), reasonText(kindWhy))
	if url != "" {
		fmt.Fprintf(w, "url: %s\n", url)
	}
	if text != "" {
		fmt.Fprintf(w, "text: %s\n", text)
	}
	fmt.Fprintln(w, "\nenrichment:")
	if len(targets) == 0 && len(alls) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for i := range targets {
		fmt.Fprintf(w, "  target %s%s\n", targets[i].Term, reasonText(&targets[i]))
	}
	for _, a := range alls {
		fmt.Fprintf(w, "  allegation #%d: %s", a.Part, a.Kind)
		if a.Tally {
			fmt.Fprint(w, " (tally)")
		}
		fmt.Fprintf(w, "%s", reasonText(a.KindReason))
		if a.Actor != "" {
			fmt.Fprintf(w, "; by %s%s", a.Actor, reasonText(a.ActorReason))
		}
		if a.Count != nil {
			fmt.Fprintf(w, "; %d times%s", *a.Count, reasonText(a.CountReason))
		}
		for i := range a.Targets {
			fmt.Fprintf(w, "; target %s%s", a.Targets[i].Term, reasonText(&a.Targets[i]))
		}
		for _, p := range a.Places {
			fmt.Fprintf(w, "; in %s", placeText(p))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "\nraw fields:")
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil || len(fields) == 0 {
		fmt.Fprintf(w, "  %s\n", raw)
	} else {
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			fmt.Fprintf(w, "  %s: %v\n", k, fields[k])
		}
	}
	fmt.Fprintf(w, "\nfindings (%d):\n", len(r.Findings))
	for _, f := range r.Findings {
		state := f.Status
		if f.NeedsReview {
			state += ", flagged for review"
		}
		if !f.WithdrawnAt.IsZero() {
			state += ", withdrawn"
		}
		part := ""
		if f.Part > 0 {
			part = fmt.Sprintf(" #%d", f.Part)
		}
		fmt.Fprintf(w, "  finding/%d%s: %s v%d %s, %s reading, against %s (%s)\n      %s\n", f.ID, part, f.AgreementID, f.AgreementVersion,
			f.Verdict, f.Reading, orDash(f.Accused, "-"), state, f.ExplanationText)
	}
	if inc := r.Incident; inc != nil {
		fmt.Fprintf(w, "\nincident/%d: %s, grade %s, %s (truce incident show %d)\n", inc.ID, placeOf(*inc), inc.Grade, inc.Status, inc.ID)
	} else if len(r.Parts) == 0 {
		fmt.Fprintln(w, "\nincident: none")
	}
	// A record whose text alleges several acts: the incident of each.
	if len(r.Parts) > 0 {
		fmt.Fprintf(w, "\nincidents by allegation (%d):\n", len(r.Parts))
	}
	for _, p := range r.Parts {
		if inc := p.Incident; inc != nil {
			fmt.Fprintf(w, "  %s: incident/%d: %s, grade %s, %s (truce incident show %d)\n", refName(p.Record), inc.ID, placeOf(*inc), inc.Grade, inc.Status, inc.ID)
		} else {
			fmt.Fprintf(w, "  %s: none\n", refName(p.Record))
		}
	}
	return nil
}

// reasonText is a reason's words, " ('...' in field)", or "".
func reasonText(r *event.Reason) string {
	if r == nil || (r.Match == "" && r.Rule == "") {
		return ""
	}
	var parts []string
	if r.Match != "" {
		parts = append(parts, fmt.Sprintf("'%s'", r.Match))
	}
	if r.Field != "" {
		parts = append(parts, "in "+r.Field)
	}
	if r.Rule != "" {
		parts = append(parts, "rule "+r.Rule)
	}
	if r.Inferred {
		parts = append(parts, "inferred")
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func placeText(p event.Place) string {
	var parts []string
	for _, s := range []string{p.Name, p.Admin2, p.Admin1, p.Country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if p.Admin1ID != "" {
		parts = append(parts, p.Admin1ID)
	}
	if p.Lat != nil && p.Lon != nil {
		parts = append(parts, fmt.Sprintf("%.4f,%.4f", *p.Lat, *p.Lon))
	}
	if len(parts) == 0 {
		return "unknown"
	}
	return strings.Join(parts, ", ") + " (" + string(p.Precision) + ")"
}

// refName is a record's store id: "event/12", "claim/7", "claim/7#2".
func refName(r vocab.Ref) string { return r.String() }
