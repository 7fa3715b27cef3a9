package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/positions"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// The positions commands read a positions file given with --file (like
// 'agreement lint' they then change nothing, open no store and need no
// token) or a version stored with 'truce positions import', named with
// --set; either way they call the same use cases (internal/app).

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

matrix, common-ground and timeline read a file (--file FILE) or a version
stored with 'truce positions import' (--set ID [--version N]): the API and
the dashboard read the stored ones.

Problems in the file are printed as FILE:LINE:COL: message (exit 1).`,
	}
	c.AddCommand(a.positionsLintCommand(), a.positionsImportCommand(), a.positionsListCommand(),
		a.positionsMatrixCommand(), a.positionsGroundCommand(), a.positionsTimelineCommand())
	return c
}

// positionsSource is where a positions command reads: a file or a stored
// version.
type positionsSource struct {
	file, set string
	version   int
}

func (s *positionsSource) flags(c *cobra.Command) {
	c.Flags().StringVar(&s.file, "file", "", "the positions `FILE`")
	c.Flags().StringVar(&s.set, "set", "", "a stored positions set, by `ID` (truce positions list)")
	c.Flags().IntVar(&s.version, "version", 0, "with --set: the stored version `N` (default the latest)")
}

// positionsView computes a view from --file with ofFile, or from the
// stored version --set names with stored.
func positionsView[T any](a *invocation, c *cobra.Command, src positionsSource,
	ofFile func(*positions.File) (T, error), stored func(*app.App, app.PositionsQuery) (T, error),
) (T, error) {
	var zero T
	switch {
	case src.file != "" && src.set != "":
		return zero, &exitError{code: 2, err: fmt.Errorf("%s: give --file or --set, not both", c.CommandPath())}
	case src.file != "":
		f, err := positions.Load(src.file, yamlLimits(c))
		if err != nil {
			reportParseError(c.ErrOrStderr(), src.file, err)
			return zero, errProblemsFound
		}
		return ofFile(f)
	case src.set == "":
		return zero, &exitError{code: 2, err: fmt.Errorf("%s: --file or --set is required (see %s --help)", c.CommandPath(), c.CommandPath())}
	}
	ap, err := a.openApp(c.Context(), false)
	if err != nil {
		return zero, err
	}
	defer ap.Close()
	return stored(ap, app.PositionsQuery{ID: src.set, Version: src.version})
}

// checkAt reads --at as a flag: its mistakes are usage errors (exit 2).
func checkAt(c *cobra.Command, at string) error {
	if at == "" {
		return &exitError{code: 2, err: fmt.Errorf("%s: --at DATE is required, e.g. --at 2025-03-18", c.CommandPath())}
	}
	if _, err := positions.ParseDate(at); err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--at: %w", err)}
	}
	return nil
}

func (a *invocation) positionsLintCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lint FILE...",
		Short: "Check positions files; print every problem as FILE:LINE:COL: message",
		Long: `Check positions files strictly: unknown keys; unknown parties, terms and
sources; conditions that do not parse or name an unknown term (pointed at
within the formula); a party's positions on a term out of date order; and
more (docs/positions.md). Exit status: 0 when every file is valid, 1 when
any has problems.`,
		Example: `  truce positions lint examples/positions/*.yaml`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, names []string) error {
			bad := false
			for _, name := range names {
				if _, err := readPositions(c, name); err != nil {
					bad = true
				}
			}
			if bad {
				return errProblemsFound
			}
			fmt.Fprintf(c.OutOrStdout(), "%d file(s) valid\n", len(names))
			return nil
		},
	}
}

// readPositions reads and parses one file, printing its problems.
func readPositions(c *cobra.Command, name string) (app.PositionsFile, error) {
	src, err := strictyaml.ReadFile(name, yamlLimits(c))
	var f app.PositionsFile
	if err == nil {
		f, err = app.ParsePositions(name, src, yamlLimits(c))
	}
	if err != nil {
		reportParseError(c.ErrOrStderr(), name, err)
	}
	return f, err
}

func (a *invocation) positionsImportCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Store positions files in the database, each as the next version of its set",
		Long: `Validate positions files and store each in the database named by --db as
the next version of its set (the file's id); the store numbers the
versions. Importing a file whose content is the set's latest version
changes nothing. The API and the dashboard read the stored versions.`,
		Example: `  truce positions import examples/positions/ceasefire-2025.yaml`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, names []string) error {
			var files []app.PositionsFile
			for _, name := range names {
				f, err := readPositions(c, name)
				if err != nil {
					return errProblemsFound
				}
				files = append(files, f)
			}
			ap, err := a.openApp(c.Context(), true)
			if err != nil {
				return err
			}
			defer ap.Close()
			done, err := ap.ImportPositions(c.Context(), files)
			for _, d := range done {
				verb := "stored"
				if !d.Created {
					verb = "unchanged"
				}
				fmt.Fprintf(c.OutOrStdout(), "%s %s version %d\n", verb, d.ID, d.Version)
			}
			return err
		},
	}
}

func (a *invocation) positionsListCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "list [--output table|json]",
		Short: "The stored positions sets, latest version of each",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ap, err := a.openApp(c.Context(), false)
			if err != nil {
				return err
			}
			defer ap.Close()
			sets, err := ap.PositionSets(c.Context())
			if err != nil {
				return err
			}
			if output == outJSON {
				return writeJSONLines(c.OutOrStdout(), sets)
			}
			return writePositionSets(c.OutOrStdout(), sets)
		},
	}
	outputFlag(c, &output, []string{outTable, outJSON})
	return c
}

func (a *invocation) positionsMatrixCommand() *cobra.Command {
	var src positionsSource
	var at, output string
	var req app.MatrixRequest
	c := &cobra.Command{
		Use:   "matrix (--file F | --set ID) --at DATE [--party P,...] [--term T,...] [--output table|md|json|html]",
		Short: "Parties x terms on a date: each stance, its condition and its source",
		Example: `  truce positions matrix --file examples/positions/ceasefire-2025.yaml --at 2025-03-18
  truce positions matrix --set ceasefire-positions-2025 --at 2025-03-18 --output md
  truce positions matrix --file examples/positions/ceasefire-2025.yaml --at 2025-03-18 --output html > matrix.html`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkAt(c, at); err != nil {
				return err
			}
			req.At = at
			m, err := positionsView(a, c, src,
				func(f *positions.File) (app.PositionsMatrix, error) { return app.PositionsMatrixOf(f, req) },
				func(ap *app.App, q app.PositionsQuery) (app.PositionsMatrix, error) {
					return ap.PositionsMatrix(c.Context(), q, req)
				})
			if err != nil {
				return err
			}
			w := c.OutOrStdout()
			switch output {
			case outJSON:
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(m)
			case outMarkdown:
				return writeMatrixMarkdown(w, m)
			case outHTML:
				return writeMatrixHTML(w, m)
			}
			return writeMatrixTable(w, m)
		},
	}
	src.flags(c)
	c.Flags().StringVar(&at, "at", "", "the `DATE` (2025-03-18): each party's latest stance on or before it")
	c.Flags().StringSliceVar(&req.Parties, "party", nil, "only these parties (`P,...`, by id)")
	c.Flags().StringSliceVar(&req.Terms, "term", nil, "only these terms (`T,...`, by id)")
	outputFlag(c, &output, []string{outTable, outMarkdown, outJSON, outHTML})
	return c
}

func (a *invocation) positionsGroundCommand() *cobra.Command {
	var src positionsSource
	var at, output string
	var top int
	c := &cobra.Command{
		Use:   "common-ground (--file F | --set ID) --at DATE [--top N] [--output text|json]",
		Short: "The packages of terms every party accepts on a date, computed exactly, and what blocks the others",
		Long: `Print the packages of terms every party accepts on DATE: the inclusion-maximal
ones, largest first (the first --top, then how many more there are), each
with the conditions it meets and the unknown stances it rests on; the number
of acceptable packages; and what blocks the packages that fail (every term
on the table, and the best package with each term it leaves out): the
party, its stance or condition, and its source.

When no package but the empty one is acceptable, it says so and shows the
fewest stance changes (party, term, to supports) that would open one.

The search is exhaustive with pruning, so the answer is exact; it stops with
an error past 20 million steps or 10 seconds (docs/positions.md).`,
		Example: `  truce positions common-ground --file examples/positions/ceasefire-2025.yaml --at 2025-03-18`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkAt(c, at); err != nil {
				return err
			}
			req := app.GroundRequest{At: at, Top: top}
			g, err := positionsView(a, c, src,
				func(f *positions.File) (app.PositionsGround, error) {
					return app.PositionsGroundOf(c.Context(), f, req)
				},
				func(ap *app.App, q app.PositionsQuery) (app.PositionsGround, error) {
					return ap.PositionsGround(c.Context(), q, req)
				})
			if err != nil {
				return err
			}
			if output == outJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(g)
			}
			return writeGround(c.OutOrStdout(), g)
		},
	}
	src.flags(c)
	c.Flags().StringVar(&at, "at", "", "the `DATE` (2025-03-18): each party's latest stance on or before it")
	c.Flags().IntVar(&top, "top", app.DefaultPackages, fmt.Sprintf("show the `N` largest maximal packages (1 to %d)", app.MaxPackages))
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}

func (a *invocation) positionsTimelineCommand() *cobra.Command {
	var src positionsSource
	var output string
	c := &cobra.Command{
		Use:     "timeline (--file F | --set ID) [--output text|json]",
		Short:   "When each stance changed, and what that changed in the common ground",
		Example: `  truce positions timeline --file examples/positions/ceasefire-2025.yaml`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			tl, err := positionsView(a, c, src,
				func(f *positions.File) (app.PositionsTimeline, error) { return app.PositionsTimelineOf(c.Context(), f) },
				func(ap *app.App, q app.PositionsQuery) (app.PositionsTimeline, error) {
					return ap.PositionsTimeline(c.Context(), q)
				})
			if err != nil {
				return err
			}
			if output == outJSON {
				return writeJSONLines(c.OutOrStdout(), tl.Steps)
			}
			return writeTimeline(c.OutOrStdout(), tl.Steps)
		},
	}
	src.flags(c)
	outputFlag(c, &output, []string{outText, outJSON})
	return c
}
