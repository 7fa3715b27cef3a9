package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/positions"
)

// The positions commands read a positions file (examples/positions/), not
// the store: like 'agreement lint' they change nothing and need no token.

func (a *invocation) positionsCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "positions",
		Short: "Each party's stance on each term over time, and the packages every party accepts",
		Long: `A positions file lists the terms on the table in a negotiation, the parties,
and each party's dated stance on each term: supports, rejects, unknown, or
conditional on a formula over other terms (arms-pause AND mobilisation-halt;
AND, OR, NOT and parentheses), each with its source and a short quote.

The common ground is computed exactly: every package (each term included or
excluded) that every party accepts. A party accepts a package when each
included term is one it supports, or one whose condition the package meets;
an unknown stance does not block, but the package is marked as resting on
it; a rejected term is never included. See docs/positions.md.

Problems in the file are printed as FILE:LINE:COL: message (exit 1).`,
	}
	c.AddCommand(a.positionsMatrixCommand(), a.positionsGroundCommand(), a.positionsTimelineCommand())
	return c
}

// loadPositions parses a positions file, printing its problems.
func loadPositions(c *cobra.Command, file string) (*positions.File, error) {
	if file == "" {
		return nil, &exitError{code: 2, err: fmt.Errorf("%s: --file is required (see %s --help)", c.CommandPath(), c.CommandPath())}
	}
	f, err := positions.Load(file, yamlLimits(c))
	if err != nil {
		reportParseError(c.ErrOrStderr(), file, err)
		return nil, errProblemsFound
	}
	return f, nil
}

// snapshotAt reads --at: a date on or after the file's first position.
func snapshotAt(c *cobra.Command, f *positions.File, at string) (positions.Snapshot, error) {
	if at == "" {
		return positions.Snapshot{}, &exitError{code: 2, err: fmt.Errorf("%s: --at DATE is required, e.g. --at 2025-03-18", c.CommandPath())}
	}
	d, err := positions.ParseDate(at)
	if err != nil {
		return positions.Snapshot{}, &exitError{code: 2, err: fmt.Errorf("--at: %w", err)}
	}
	if first := f.FirstDate(); d.Before(first) {
		return positions.Snapshot{}, fmt.Errorf("%s records no stance on or before %s: its first position is dated %s",
			f.Name(), at, first.Format(positions.DateLayout))
	}
	return f.At(d), nil
}

func (a *invocation) positionsMatrixCommand() *cobra.Command {
	var file, at, output string
	var parties, terms []string
	c := &cobra.Command{
		Use:   "matrix --file F --at DATE [--party P,...] [--term T,...] [--output table|md|json]",
		Short: "Parties x terms on a date: each stance, its condition and its source",
		Example: `  truce positions matrix --file examples/positions/ceasefire-2025.yaml --at 2025-03-18
  truce positions matrix --file examples/positions/ceasefire-2025.yaml --at 2025-03-18 --output md`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			f, err := loadPositions(c, file)
			if err != nil {
				return err
			}
			s, err := snapshotAt(c, f, at)
			if err != nil {
				return err
			}
			if s, err = s.Select(parties, terms); err != nil {
				return &exitError{code: 2, err: err}
			}
			w := c.OutOrStdout()
			switch output {
			case outJSON:
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(matrixView(f, s))
			case outMarkdown:
				return writeMatrixMarkdown(w, f, s)
			}
			return writeMatrixTable(w, f, s)
		},
	}
	c.Flags().StringVar(&file, "file", "", "the positions `FILE`")
	c.Flags().StringVar(&at, "at", "", "the `DATE` (2025-03-18): each party's latest stance on or before it")
	c.Flags().StringSliceVar(&parties, "party", nil, "only these parties (`P,...`, by id)")
	c.Flags().StringSliceVar(&terms, "term", nil, "only these terms (`T,...`, by id)")
	outputFlag(c, &output, []string{outTable, outMarkdown, outJSON})
	return c
}

func (a *invocation) positionsGroundCommand() *cobra.Command {
	var file, at, output string
	c := &cobra.Command{
		Use:   "common-ground --file F --at DATE [--output text|json]",
		Short: "The packages of terms every party accepts on a date, computed exactly, and what blocks the others",
		Long: `Print the packages of terms every party accepts on DATE: the inclusion-maximal
ones, largest first, each with the conditions it meets and the unknown
stances it rests on; the number of acceptable packages; and what blocks the
packages that fail (every term on the table, and the best package with each
term it leaves out): the party, its stance or condition, and its source.

When no package but the empty one is acceptable, it says so and shows the
fewest stance changes (party, term, to supports) that would open one.

The search is exhaustive with pruning, so the answer is exact; see
docs/positions.md for the rules.`,
		Example: `  truce positions common-ground --file examples/positions/ceasefire-2025.yaml --at 2025-03-18`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			f, err := loadPositions(c, file)
			if err != nil {
				return err
			}
			s, err := snapshotAt(c, f, at)
			if err != nil {
				return err
			}
			r, err := positions.CommonGround(s)
			if err != nil {
				return err
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(r)
			}
			return writeGround(c.OutOrStdout(), f, r)
		},
	}
	c.Flags().StringVar(&file, "file", "", "the positions `FILE`")
	c.Flags().StringVar(&at, "at", "", "the `DATE` (2025-03-18): each party's latest stance on or before it")
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func (a *invocation) positionsTimelineCommand() *cobra.Command {
	var file, output string
	c := &cobra.Command{
		Use:     "timeline --file F [--output text|json]",
		Short:   "When each stance changed, and what that changed in the common ground",
		Example: `  truce positions timeline --file examples/positions/ceasefire-2025.yaml`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			f, err := loadPositions(c, file)
			if err != nil {
				return err
			}
			steps, err := f.Timeline()
			if err != nil {
				return err
			}
			if output == outJSON {
				return writeJSONLines(c.OutOrStdout(), steps)
			}
			return writeTimeline(c.OutOrStdout(), steps)
		},
	}
	c.Flags().StringVar(&file, "file", "", "the positions `FILE`")
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

// day formats a date.
func day(t time.Time) string { return t.Format(positions.DateLayout) }
