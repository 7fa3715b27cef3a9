package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/store"
)

func (a *invocation) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Long: `Create the database named by --db, or upgrade it to this truce's schema.

Every command that uses the store migrates on open, so this is only needed
to prepare a database ahead of time (for instance a shared PostgreSQL one).
A database migrated by a newer truce is refused, never downgraded.`,
		Example: `  truce migrate
  truce --db postgres://truce@localhost/truce migrate`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ap, err := a.openApp(c.Context(), true)
			if err != nil {
				return err
			}
			defer ap.Close()
			m, err := ap.Migrate(c.Context())
			if err != nil {
				return err
			}
			out := c.OutOrStdout()
			if m.From == m.To {
				fmt.Fprintf(out, "%s database %s is up to date at schema version %d\n", m.Backend, store.RedactDSN(a.db), m.To)
			} else {
				fmt.Fprintf(out, "%s database %s migrated from schema version %d to %d\n", m.Backend, store.RedactDSN(a.db), m.From, m.To)
			}
			return nil
		},
	}
}
