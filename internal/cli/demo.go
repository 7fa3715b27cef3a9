package cli

import (
	"fmt"
	"io/fs"
	"path"
	"sort"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *app) demoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run truce on the bundled 2025 scenario",
		Long: `Run the whole pipeline on the scenario bundled with truce: the March 2025
energy moratorium (with the Russian and the Ukrainian reading of its start),
the Jeddah 30-day ceasefire proposal with the parties' conditions, and the
Easter truce of April 2025.

The demo lints each bundled agreement, stores it in the database named by
--db (a SQLite file, truce.db, by default) and prints its windows under each
reading. Run it twice: the second run finds everything already stored.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			out := c.OutOrStdout()
			dir := "examples/agreements"
			entries, err := fs.Glob(truce.Examples, path.Join(dir, "*.yaml"))
			if err != nil {
				return err
			}
			sort.Strings(entries)
			s, err := a.openStore(c.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			fmt.Fprintf(out, "truce demo: %d bundled agreements, store %s (%s)\n\n", len(entries), store.RedactDSN(a.db), s.Backend())
			for _, name := range entries {
				src, err := fs.ReadFile(truce.Examples, name)
				if err != nil {
					return err
				}
				ag, err := agreement.Parse(name, src)
				if err != nil {
					reportParseError(c.ErrOrStderr(), name, err)
					return errProblemsFound
				}
				fmt.Fprintf(out, "== %s: lint ok\n", name)
				created, err := putAgreement(c.Context(), s, src, ag)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				reportStored(out, ag, created)
				n, err := ag.Normalize("")
				if err != nil {
					return err
				}
				fmt.Fprintln(out)
				if err := printAgreement(out, ag, n); err != nil {
					return err
				}
				fmt.Fprintln(out)
			}
			return nil
		},
	}
}
