package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
)

func (a *invocation) agreementCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "agreement",
		Short: "Check, show and compare agreement files",
		Long: `Agreements are YAML files: parties (with the names each dataset gives them),
a window (local start time in a named IANA time zone, duration or end),
commitments (who is bound, which event kinds against which target categories,
where, with exceptions), each party's reading of disputed terms, proposals
and positions, and a source for every term.

Write one by starting from examples/agreements/energy-moratorium-2025.yaml;
point your editor at the schema from 'truce agreement schema' for completion.`,
	}
	c.AddCommand(a.lintCommand(), a.showCommand(), a.diffCommand(), a.schemaCommand(), a.importCommand(), a.testCommand())
	return c
}

func (a *invocation) lintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check agreement files; print every problem as FILE:LINE:COL: message",
		Long: `Check agreement files strictly: unknown keys, bad time zones, windows that
end before they start, commitments bound to undeclared parties, duplicate or
reused commitment ids, unknown event kinds and target categories, terms
without a source, and more.

Every problem is printed as FILE:LINE:COL: message. When several files are
versions of the same agreement, they are also checked against each other: a
newer version may not drop a commitment or bring a withdrawn id back.

Exit status: 0 when every file is valid, 1 when any has problems.`,
		Example: `  truce agreement lint examples/agreements/*.yaml`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error {
			bad := false
			byID := map[string][]fileAgreement{}
			for _, f := range files {
				ag, err := agreement.ParseFileWith(f, yamlLimits(c))
				if err != nil {
					bad = true
					reportParseError(c.ErrOrStderr(), f, err)
					continue
				}
				byID[ag.ID] = append(byID[ag.ID], fileAgreement{f, ag})
			}
			for _, versions := range byID {
				sort.Slice(versions, func(i, j int) bool { return versions[i].ag.Version < versions[j].ag.Version })
				for i := 1; i < len(versions); i++ {
					for _, msg := range agreement.CheckEvolution(versions[i-1].ag, versions[i].ag) {
						bad = true
						fmt.Fprintf(c.ErrOrStderr(), "%s:1:1: %s (compared with %s)\n", versions[i].file, msg, versions[i-1].file)
					}
				}
			}
			if bad {
				return errProblemsFound
			}
			fmt.Fprintf(c.OutOrStdout(), "%d file(s) valid\n", len(files))
			return nil
		},
	}
}

type fileAgreement struct {
	file string
	ag   *agreement.Agreement
}

// reportParseError prints a parse failure: positioned problems one a line,
// anything else (an unreadable file) as FILE: error.
func reportParseError(w io.Writer, file string, err error) {
	var ps agreement.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintln(w, p)
		}
		return
	}
	fmt.Fprintf(w, "%s: %v\n", file, err)
}

// loadAgreement parses one file for commands that need a valid agreement.
func loadAgreement(c *cobra.Command, file string) (*agreement.Agreement, error) {
	ag, err := agreement.ParseFileWith(file, yamlLimits(c))
	if err != nil {
		reportParseError(c.ErrOrStderr(), file, err)
		return nil, errProblemsFound
	}
	return ag, nil
}

func (a *invocation) showCommand() *cobra.Command {
	var reading, output string
	c := &cobra.Command{
		Use:   "show FILE",
		Short: "Print the normalised agreement, windows resolved to UTC per reading",
		Long: `Print an agreement as truce reads it: parties, the window as written and as
resolved to UTC instants under every party's reading, commitments with
their prohibited conduct, proposals and positions.

--reading PARTY shows the terms as that party reads them. --output json
prints the same for programs.`,
		Example: `  truce agreement show examples/agreements/energy-moratorium-2025.yaml
  truce agreement show --reading UA --output json examples/agreements/energy-moratorium-2025.yaml`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			ag, err := loadAgreement(c, args[0])
			if err != nil {
				return err
			}
			n, err := app.ShowAgreement(ag, reading)
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(n)
			}
			return printAgreement(report.TermWriter(c.OutOrStdout()), ag, n)
		},
	}
	c.Flags().StringVar(&reading, "reading", "", "show the terms as party `PARTY` reads them (e.g. UA)")
	outputFlag(c, &output, []string{outText, outJSON}, outJSON)
	return c
}

func partyList(ps []agreement.Party) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.ID + " (" + p.Name + ")"
	}
	return strings.Join(s, ", ")
}

func printAgreement(w io.Writer, ag *agreement.Agreement, n agreement.Normalized) error {
	fmt.Fprintf(w, "%s version %d: %s [%s]\n", n.ID, n.Version, n.Title, n.Status)
	if n.Summary != "" {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(n.Summary))
	}
	fmt.Fprintf(w, "\nParties:    %s\n", partyList(n.Parties))
	if len(n.Mediators) > 0 {
		fmt.Fprintf(w, "Mediators:  %s\n", partyList(n.Mediators))
	}
	if len(n.Guarantors) > 0 {
		fmt.Fprintf(w, "Guarantors: %s\n", partyList(n.Guarantors))
	}
	win := ag.Window
	fmt.Fprintf(w, "\nWindow as written: start %s, %s, time zone %s [%s]\n", orDash(win.Start, "on acceptance"), lengthOf(win), win.TimeZone, win.Source)
	if n.Extension != nil {
		fmt.Fprintf(w, "  extension: %s [%s]\n", n.Extension.Text, n.Extension.Source)
	}
	if n.Release != nil {
		fmt.Fprintf(w, "  release:   %s: %s [%s]\n", n.Release.Kind, n.Release.Text, n.Release.Source)
	}

	fmt.Fprintln(w, "\nWindows by reading (UTC):")
	printWindows(w, n)
	for _, t := range n.Readings {
		if t.Description != "" && t.Reading != agreement.AgreedReading {
			fmt.Fprintf(w, "  %s reads: %s [%s]\n", t.Reading, strings.TrimSpace(t.Description), orDash(t.Source, "-"))
		}
	}

	fmt.Fprintln(w, "\nCommitments:")
	for _, c := range ag.Commitments {
		state := ""
		if c.Withdrawn != nil {
			state = fmt.Sprintf(" (withdrawn in version %d)", c.Withdrawn.Version)
		}
		fmt.Fprintf(w, "  %s: %s%s [%s]\n", c.ID, c.Title, state, c.Source)
		fmt.Fprintf(w, "    binds:      %s\n", strings.Join(c.Bound, ", "))
		if o := c.Obligation; o != nil {
			fmt.Fprintf(w, "    must:       %s%s\n", strings.TrimSpace(o.Action), ifSet(" (by "+o.Due+")", o.Due))
			for _, st := range c.Implementation {
				fmt.Fprintf(w, "    %s: %s: %s [%s]\n", st.Date, st.Level, strings.TrimSpace(st.Note), st.Source)
			}
			continue
		}
		fmt.Fprintf(w, "    prohibits:  %s against %s\n", strings.Join(c.Prohibited.Kinds, ", "), orDash(strings.Join(c.Prohibited.Targets, ", "), "any target"))
		if g := c.Geography; g != nil {
			fmt.Fprintf(w, "    where:      %s\n", geographyText(g))
		}
		for _, e := range c.Exceptions {
			fmt.Fprintf(w, "    except %s: %s [%s]\n", e.ID, e.Description, e.Source)
		}
		for _, t := range n.Readings {
			if o, ok := t.Overrides[c.ID]; ok {
				fmt.Fprintf(w, "    %s reads:   %s against %s", t.Reading, orDash(strings.Join(o.Kinds, ", "), "same kinds"), orDash(strings.Join(o.Targets, ", "), "same targets"))
				if o.Note != "" {
					fmt.Fprintf(w, " (%s)", o.Note)
				}
				fmt.Fprintln(w)
			}
		}
	}
	if len(n.Proposals) > 0 {
		fmt.Fprintln(w, "\nProposals and positions:")
		for _, p := range n.Proposals {
			fmt.Fprintf(w, "  %s: %s (by %s, %s) [%s]\n", p.ID, p.Term, p.By, p.Date, p.Source)
			for _, pos := range p.Positions {
				cond := ""
				if len(pos.Conditions) > 0 {
					cond = " on " + strings.Join(pos.Conditions, ", ")
				}
				fmt.Fprintf(w, "    %s %s: %s%s [%s]\n", pos.Date, pos.Party, pos.Stance, cond, pos.Source)
			}
		}
	}
	fmt.Fprintf(w, "\nSources: %d; history: %d version(s)\n", len(n.Sources), len(n.History))
	return nil
}

// printWindows prints the window of each reading in UTC and local time.
func printWindows(w io.Writer, n agreement.Normalized) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  READING\tSTART (UTC)\tEND (UTC)\tLOCAL")
	for _, t := range n.Readings {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s .. %s %s\n", t.Reading, utc(t.Window.Start), utc(t.Window.End),
			orDash(t.Window.StartLocal, "-"), orDash(t.Window.EndLocal, "-"), t.Window.TimeZone)
	}
	tw.Flush()
}

func geographyText(g *agreement.Geography) string {
	var parts []string
	if len(g.Countries) > 0 {
		parts = append(parts, "countries "+strings.Join(g.Countries, ", "))
	}
	if len(g.Admin1) > 0 {
		parts = append(parts, "regions "+strings.Join(g.Admin1, ", "))
	}
	if g.Polygon != nil {
		parts = append(parts, "inside a "+g.Polygon.Type)
	}
	return orDash(strings.Join(parts, "; "), "everywhere")
}

func lengthOf(w agreement.Window) string {
	switch {
	case w.Duration != "":
		return "for " + w.Duration
	case w.End != "":
		return "until " + w.End
	}
	return "open-ended"
}

func utc(t time.Time) string {
	if t.IsZero() {
		return "open"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s, dash string) string {
	if s == "" {
		return dash
	}
	return s
}

func (a *invocation) diffCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed between two versions of an agreement, term by term",
		Long: `Compare two versions of an agreement term by term. Commitments, parties,
sources, readings and proposals are matched by id, so reordering is not a
change; windows are also compared as resolved to UTC under every reading.
Lines start with + (added), - (removed) or ~ (changed).

Warnings follow when the newer version breaks the rules of evolution
(dropped commitments, reused ids). Exit status 0 whether or not they differ.
--output json prints the changes and warnings for programs.`,
		Example: `  truce agreement diff moratorium-v1.yaml moratorium-v2.yaml
  truce agreement diff --output json moratorium-v1.yaml moratorium-v2.yaml`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			old, err := loadAgreement(c, args[0])
			if err != nil {
				return err
			}
			cur, err := loadAgreement(c, args[1])
			if err != nil {
				return err
			}
			cmp, err := agreement.Compare(old, cur)
			if err != nil {
				return err
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(cmp)
			}
			out := report.TermWriter(c.OutOrStdout())
			fmt.Fprintf(out, "%s: version %d -> %d, %d change(s)\n", cmp.ID, cmp.From, cmp.To, len(cmp.Changes))
			for _, ch := range cmp.Changes {
				fmt.Fprintln(out, ch)
			}
			for _, w := range cmp.Warnings {
				fmt.Fprintln(report.TermWriter(c.ErrOrStderr()), "warning:", w)
			}
			return nil
		},
	}
	outputFlag(c, &output, []string{outText, outJSON}, outJSON)
	return c
}

func (a *invocation) schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the agreement format",
		Long: `Print a JSON Schema (draft 2020-12) of the agreement format, generated from
the same Go types the parser uses, with every event kind and target
category listed. Save it and point your editor's YAML support at it, e.g.
with a first line '# yaml-language-server: $schema=agreement.schema.json'.`,
		Example: `  truce agreement schema > agreement.schema.json`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			b, err := agreement.Schema()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.OutOrStdout(), "%s\n", b)
			return err
		},
	}
}

// ifSet is s when v is not empty.
func ifSet(s, v string) string {
	if v == "" {
		return ""
	}
	return s
}
