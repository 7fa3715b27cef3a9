package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreementtest"
)

func (a *invocation) testCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "test TESTFILE...",
		Short: "Run an agreement's test file: fixture records and the findings expected",
		Long: `Run agreement test files, in the spirit of 'promtool test rules'. A test file
names an agreement file (relative to itself) and lists tests: fixture events
and claims (time with precision and time zone, place, actors as the sources
name them, kind, text or target categories) and every finding expected for
them under each reading: record, reading, commitment, verdict (candidate,
ambiguous, excepted, near_miss with the failing clause) and, optionally,
words the explanation must contain.

Each test passes when the findings are exactly those expected; otherwise
the missing and unexpected findings are printed with their explanations.
Exit status: 0 when every test passes, 1 otherwise.`,
		Example: `  truce agreement test examples/tests/*.test.yaml`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error {
			failed := false
			for _, path := range files {
				f, ag, err := agreementtest.LoadWith(path, yamlLimits(c))
				if err != nil {
					reportParseError(c.ErrOrStderr(), path, err)
					failed = true
					continue
				}
				results, err := agreementtest.Run(f, ag)
				if err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if agreementtest.Report(c.OutOrStdout(), path, results) > 0 {
					failed = true
				}
			}
			if failed {
				return errProblemsFound
			}
			return nil
		},
	}
}
