package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
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
	var agreementID, output string
	c := &cobra.Command{
		Use:   "build [--agreement ID] [--output text|json]",
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
It prints the counts: a line, or with --output json the same for programs.
Needs a token (TRUCE_TOKEN) of a user who may edit incidents.`,
		Example: `  truce incident build
  truce incident build --agreement energy-moratorium-2025`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ap, err := a.openApp(c.Context(), false)
			if err != nil {
				return err
			}
			defer ap.Close()
			res, err := ap.BuildIncidents(c.Context(), agreementID)
			if err != nil {
				return err
			}
			return printBuild(c.OutOrStdout(), c.ErrOrStderr(), res, output == outJSON)
		},
	}
	c.Flags().StringVar(&agreementID, "agreement", "", "only the findings of agreement `ID`")
	outputFlag(c, &output, []string{outText, outJSON}, outJSON)
	return c
}

// printBuild prints what one build did.
func printBuild(out, errOut io.Writer, r app.BuildResult, jsonOut bool) error {
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

type incidentListFlags struct {
	grades, statuses []string
	needsReview      bool
	dissolved        bool
	output           string
	agreement, party string
	records          recordFlags
}

func (a *invocation) incidentListCommand() *cobra.Command {
	var fl incidentListFlags
	c := &cobra.Command{
		Use: "list [--grade G,...] [--status S,...] [--needs-review] [--dissolved] [--agreement ID] [--party P]" +
			" [--from T] [--to T] [--country CC] [--admin1 CODE] [--output table|json|csv|geojson]",
		Short: "List the incidents, by time",
		Long: `List the stored incidents in time order with their grade, review status
and members. Dissolved incidents (a rebuild left them no members) are left
out unless --dissolved. Output: table (for people), json (JSON Lines, one
incident a line, with its members and the grade's reasons), csv (RFC 4180,
UTF-8, a row an incident: ISO times in UTC, its members in one cell, the
summary) or geojson (RFC 7946, a feature an incident: its point, or its
admin-1 region's centroid when it is placed no closer, geometry_source
saying which). GET /api/v1/incidents/export gives the same files.

--agreement and --party list the incidents holding a standing finding of
the agreement, against the party; --from and --to bound the incident's
start (a date or an RFC 3339 time); --country (ISO 3166-1) and --admin1
(ISO 3166-2, UA-14) select incidents placed there or holding a record
placed there.

A filter that names nothing (an agreement not stored, a party that is not
one, an unknown grade or status, a country or admin-1 that is no ISO code)
is an error listing what there is; codes match in any case.`,
		Example: `  truce incident list
  truce incident list --grade contested --needs-review
  truce incident list --status alleged --output json
  truce incident list --agreement energy-moratorium-2025 --output csv > incidents.csv
  truce incident list --agreement energy-moratorium-2025 --party RU --admin1 UA-14`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runIncidentList(c, fl) },
	}
	f := c.Flags()
	f.StringSliceVar(&fl.grades, "grade", nil, "only these grades: "+words(vocab.Grades()))
	f.StringSliceVar(&fl.statuses, "status", nil, "only these review statuses: "+words(vocab.Statuses()))
	f.BoolVar(&fl.needsReview, "needs-review", false, "only incidents flagged for review")
	f.BoolVar(&fl.dissolved, "dissolved", false, "also list dissolved incidents")
	f.StringVar(&fl.agreement, "agreement", "", "only incidents holding a standing finding of agreement `ID`")
	f.StringVar(&fl.party, "party", "", "only incidents holding a standing finding against party `P`")
	fl.records.add(f, "incidents", false)
	outputFlag(c, &fl.output, []string{outTable, outJSON, outCSV, outGeoJSON})
	return c
}

func (a *invocation) runIncidentList(c *cobra.Command, fl incidentListFlags) error {
	if _, err := knownCodes("grade", fl.grades, vocab.Grades()); err != nil {
		return err
	}
	if _, err := knownCodes("status", fl.statuses, vocab.Statuses()); err != nil {
		return err
	}
	from, to, err := fl.records.times()
	if err != nil {
		return err
	}
	ap, err := a.openApp(c.Context(), false)
	if err != nil {
		return err
	}
	defer ap.Close()
	return printIncidents(c, ap, app.IncidentQuery{Grades: fl.grades, Statuses: fl.statuses,
		NeedsReview: fl.needsReview, Dissolved: fl.dissolved, Agreement: fl.agreement, Party: fl.party,
		From: from, To: to, Country: fl.records.country, Admin1: fl.records.admin1}, fl.output)
}

// printIncidents prints the incidents q selects: incident list's output,
// which the demo prints too.
func printIncidents(c *cobra.Command, ap *app.App, q app.IncidentQuery, output string) error {
	list, err := ap.Incidents(c.Context(), q)
	if err != nil {
		return err
	}
	out := c.OutOrStdout()
	if output == outJSON {
		return writeJSONLines(out, list)
	}
	if output == outCSV || output == outGeoJSON {
		w, err := report.NewIncidentWriter(out, output)
		if err != nil {
			return err
		}
		for i := range list {
			if err := w.Write(&list[i]); err != nil {
				return err
			}
		}
		return w.Close()
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

func placeOf(inc incident.Incident) string {
	switch {
	case inc.Admin1 != "" && inc.Country != "":
		return inc.Admin1 + ", " + inc.Country
	case inc.Admin1 != "":
		return inc.Admin1
	}
	return inc.Country
}

// memberSummary counts members by role, and names the members that are
// one allegation of a record: "3 (2 reports, 1 claim: claim/7#2)".
func memberSummary(ms []incident.Membership) string {
	n := map[vocab.MemberRole]int{}
	var allegations []string
	for _, m := range ms {
		n[m.Role]++
		if m.Record.Part > 0 {
			allegations = append(allegations, m.Record.String())
		}
	}
	var parts []string
	for _, r := range []vocab.MemberRole{vocab.MemberReport, vocab.MemberClaim, vocab.MemberDenial} {
		if n[r] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[r], r))
		}
	}
	if len(allegations) > 0 {
		return fmt.Sprintf("%d (%s: %s)", len(ms), strings.Join(parts, ", "), strings.Join(allegations, ", "))
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
	var output string
	c := &cobra.Command{
		Use:   "show ID [--output text|json]",
		Short: "Show one incident: its members with provenance and why they were linked, and its grade explained",
		Long: `Show one incident, dissolved or not: place, time, kind and target, review
status, the releases it gives under its agreements' release rule, its grade
explained origin by origin, and every member with why it was linked. With
--output json, the incident as the API returns it.`,
		Example: `  truce incident show 3
  truce incident show incident/3 --output json
  truce incident list --grade contested   # to find the ids`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimPrefix(args[0], "incident/"), 10, 64)
			if err != nil || id <= 0 {
				return &exitError{code: 2, err: fmt.Errorf("%q is not an incident id: give the number 'truce incident list' shows", args[0])}
			}
			ap, err := a.openApp(c.Context(), false)
			if err != nil {
				return err
			}
			defer ap.Close()
			page, err := ap.Incident(c.Context(), id)
			if app.KindOf(err) == app.KindNotFound {
				return fmt.Errorf("%w (see 'truce incident list --dissolved')", err)
			}
			if err != nil {
				return err
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(page)
			}
			return showIncident(report.TermWriter(c.OutOrStdout()), page.Incident, page.Releases)
		},
	}
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func showIncident(out io.Writer, inc incident.Incident, releases []review.Release) error {
	var g incident.Grade
	if err := json.Unmarshal(inc.GradeReason, &g); err != nil {
		return fmt.Errorf("incident %d: grade reason: %w", inc.ID, err)
	}
	fmt.Fprintf(out, "incident %d: %s, %s to %s\n", inc.ID, placeOf(inc), inc.TimeStart.Format(time.RFC3339), inc.TimeEnd.Format(time.RFC3339))
	fmt.Fprintf(out, "  kind %s, target %s\n  %s\n", orDash(inc.Kind, "-"), orDash(inc.Category, "-"), inc.Summary)
	status := string(inc.Status)
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
		fmt.Fprintf(out, "  %-7s %s:%s (%s)%s\n", m.Role, m.Source, m.SourceID, m.Record, flags)
		fmt.Fprintf(out, "          %s\n", memberWhy(m.Reason))
	}
	return nil
}

// memberWhy is a member's reason in one line.
func memberWhy(raw json.RawMessage) string { return incident.Why(raw) }
