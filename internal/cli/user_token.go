package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/report"
)

// The user commands on API tokens: make, list, revoke, recover.

// printToken prints a token just made: alone on standard output, so that
// $(...) captures it, with what it is on standard error.
func printToken(c *cobra.Command, user, label, token string) {
	fmt.Fprintf(c.ErrOrStderr(), "API token for %s (label %q) on the next line. It is shown only this once:\nstore it now, and act as %s with: export %s=<the token>\n",
		user, label, user, tokenEnv)
	fmt.Fprintln(c.OutOrStdout(), token)
}

func (a *invocation) userTokenCommand() *cobra.Command {
	var label string
	c := &cobra.Command{
		Use:   "token NAME [--label LABEL]",
		Short: "Make a new API token for a user",
		Long: `Make a new API token for a user and print it, once. Earlier tokens keep
working. An admin may make tokens for anyone, other users for themselves.`,
		Example: `  truce user token alice --label laptop
  truce user token ci --label "github actions"`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.onUser(c, args[0], func(ap *app.App) error {
				token, err := ap.NewToken(c.Context(), args[0], label)
				if err == nil {
					printToken(c, args[0], label, token)
				}
				return err
			})
		},
	}
	c.Flags().StringVar(&label, "label", "", "a `LABEL` to tell the user's tokens apart")
	return c
}

func (a *invocation) userTokensCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "tokens NAME [--output table|json]",
		Short: "List a user's API tokens (ids, labels, when made and revoked)",
		Long: `List a user's API tokens, revoked ones included: id, label, when it was
made and when revoked. The tokens themselves are never stored, so never
shown. An admin may list anyone's, other users their own. Output: table
(for people) or json (JSON Lines, one token a line).`,
		Example: `  truce user tokens alice
  truce user tokens alice --output json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.onUser(c, args[0], func(ap *app.App) error {
				tokens, err := ap.Tokens(c.Context(), args[0])
				if err != nil {
					return err
				}
				return writeTokens(c.OutOrStdout(), tokens, output)
			})
		},
	}
	outputFlag(c, &output, []string{outTable, outJSON})
	return c
}

func writeTokens(out io.Writer, tokens []auth.APIToken, output string) error {
	if output == outJSON {
		return writeJSONLines(out, tokens)
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tLABEL\tMADE\tREVOKED")
	for _, t := range tokens {
		revoked := "-"
		if !t.RevokedAt.IsZero() {
			revoked = t.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", t.ID, report.Term(orDash(t.Label, "-")), t.CreatedAt.Format(time.RFC3339), revoked)
	}
	return w.Flush()
}

func (a *invocation) userRevokeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke NAME TOKEN_ID",
		Short: "Revoke one of a user's API tokens",
		Long: `Revoke a user's API token by its id (see 'truce user tokens'): it stops
working at once, stays listed as revoked, and the revocation is audited. An
admin may revoke anyone's tokens, other users their own. To stop a user
altogether, 'truce user disable' them.`,
		Example: `  truce user tokens alice
  truce user revoke alice 3`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil || id <= 0 {
				return &exitError{code: 2, err: fmt.Errorf("%q is not a token id: see 'truce user tokens %s'", args[1], args[0])}
			}
			return a.onUser(c, args[0], func(ap *app.App) error {
				if err := ap.RevokeToken(c.Context(), args[0], id); err != nil {
					if errors.Is(err, app.ErrNoSuchToken) {
						return fmt.Errorf("%q has no token %d (see 'truce user tokens %s')", args[0], id, args[0])
					}
					return err
				}
				fmt.Fprintf(c.ErrOrStderr(), "revoked token %d of %s\n", id, args[0])
				return nil
			})
		},
	}
}

func (a *invocation) userRecoverCommand() *cobra.Command {
	var label string
	c := &cobra.Command{
		Use:   "recover NAME [--label LABEL]",
		Short: "Make an admin token without a token, for whoever can open the database",
		Long: `Make a new admin token when no admin token is left (lost, revoked, its
admin disabled), and print it once.

It needs no token: it is for whoever can open the database directly, the
owner of the SQLite file or a PostgreSQL role with rights on truce's tables,
who could change the tables by hand anyway. NAME is an existing admin
(enabled again if disabled) or a new name, added as an admin; recovery
never changes another user's role. Every step is written to the audit log
as done by "(recovery)", after a user.recover entry saying what was done,
so a recovery cannot pass unnoticed. The HTTP server never offers it.

The token goes to standard output alone, the rest to standard error.`,
		Example: `  export TRUCE_TOKEN=$(truce user recover alice)
  truce user recover rescue --label "after the laptop was lost"`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			r, err := ap.Recover(ctx, args[0], label)
			if err != nil {
				return err
			}
			switch {
			case r.Created:
				fmt.Fprintf(c.ErrOrStderr(), "recovery: added admin %q\n", args[0])
			case r.Enabled:
				fmt.Fprintf(c.ErrOrStderr(), "recovery: enabled admin %q\n", args[0])
			default:
				fmt.Fprintf(c.ErrOrStderr(), "recovery: new token for admin %q\n", args[0])
			}
			printToken(c, args[0], label, r.Token)
			return nil
		},
	}
	c.Flags().StringVar(&label, "label", "recovery", "a `LABEL` for the token")
	return c
}
