package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func (a *invocation) incidentLinkCommand(link bool) *cobra.Command {
	var reason string
	name, short, example := "split", "Keep two records apart in every rebuild", `  truce incident split event/12 event/15 --reason "two strikes an hour apart, 40 km apart"
  truce incident split acled:UKR123 claim/7 --reason "the claim is about the next night"
  truce incident split claim/7#2 event/12 --reason "the claim's second act is the Sumy strike, not this one"`
	if link {
		name, short, example = "join", "Put two records in one incident in every rebuild", `  truce incident join event/12 claim/7 --reason "the statement names this strike"
  truce incident join acled:UKR123 ucdp-ged:441165 --reason "same clash, coded a day apart"`
	}
	c := &cobra.Command{
		Use:   name + " RECORD RECORD --reason TEXT",
		Short: short,
		Long: short + `, then rebuild. A RECORD is event/ID or claim/ID
(the ids 'truce incident show' prints), or SOURCE:SOURCE_ID; claim/ID#N (or
event/ID#N) is the record's allegation N, for a record whose text alleges
several acts, each in its own incident ('truce record show' lists them). A
decision on a record so read holds for each of its allegations. The decision is
stored with who made it, when and why, in the audit log; a later decision on
the same pair replaces it. A decision that would change nothing is refused,
saying why: the same decision already stands; a split of records no incident
holds together; a join of records of different acting sides, countries or (for
a claim naming regions) regions, which no build would apply. Needs a token (TRUCE_TOKEN) of a user who may
edit incidents.`,
		Example: example,
		Args:    usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			if strings.TrimSpace(reason) == "" {
				return &exitError{code: 2, err: fmt.Errorf("--reason is required: say why, for the next analyst")}
			}
			ap, err := a.openApp(c.Context(), false)
			if err != nil {
				return err
			}
			defer ap.Close()
			decide := ap.SplitRecords
			if link {
				decide = ap.JoinRecords
			}
			res, err := decide(c.Context(), args[0], args[1], reason)
			if d := res.Decision; d.ID != 0 {
				fmt.Fprintf(c.OutOrStdout(), "%s of %s and %s stored (decision %d, audit entry %d); rebuilding\n",
					name, d.A, d.B, d.ID, d.AuditSeq)
			}
			if err != nil {
				return err
			}
			return printBuild(c.OutOrStdout(), c.ErrOrStderr(), res.Build, false)
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (required)")
	return c
}
