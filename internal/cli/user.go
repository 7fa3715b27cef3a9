package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

func (a *invocation) userCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "Manage the people who act on the store, and their API tokens",
		Long: `Manage users and their API tokens.

Every user has one role:

  admin    manages users; may do everything
  monitor  reviews findings and incidents, adds evidence, joins and splits incidents
  analyst  imports and evaluates, adds evidence, joins and splits incidents
  viewer   reads published items only

Commands act as the user whose API token is in TRUCE_TOKEN. A token is
shown once, when it is made: store it (a password manager, a CI secret) and
set it as TRUCE_TOKEN. The store keeps only its SHA-256, so a lost token
cannot be shown again: make a new one with 'truce user token'. A token that
leaked is revoked with 'truce user revoke' (its id from 'truce user tokens').

A new database has no users: its first user, who must be an admin, is added
without a token. Until then the store is run by whoever holds it: every
command works without a token, and changes are recorded as "local". Once
it has users, changes take the token of a user whose role may make them:
importing (ingest, agreement import) an analyst or admin; incident builds,
joins and splits an analyst, monitor or admin; review steps a monitor or
admin. Every change to a user is written to the audit log.`,
		Example: `  # A new database: the first admin needs no token.
  truce user add alice --role admin
  export TRUCE_TOKEN=truce_...     # the token the command printed

  # Alice adds a monitor, with a password read from stdin.
  printf '%s\n' "$PASSWORD" | truce user add bob --role monitor --password-stdin

  truce user list
  truce user disable bob --reason "left the project"
  truce user token alice --label laptop
  truce user tokens alice
  truce user revoke alice 3

  # The last admin token is lost: whoever can open the database directly.
  export TRUCE_TOKEN=$(truce user recover alice)`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.userAddCommand(), a.userListCommand(), a.userDisableCommand(), a.userEnableCommand(),
		a.userTokenCommand(), a.userTokensCommand(), a.userRevokeCommand(), a.userPasswordCommand(), a.userRecoverCommand())
	return c
}

func (a *invocation) userAddCommand() *cobra.Command {
	var role, label string
	var passwordStdin bool
	c := &cobra.Command{
		Use:   "add NAME --role admin|monitor|analyst|viewer [--password-stdin]",
		Short: "Add a user and print their first API token",
		Long: `Add a user with a role and print their API token, once.

Needs an admin's token in TRUCE_TOKEN, except on a database with no users
yet: its first user is added without one and must be an admin.

NAME is 1 to 64 letters, digits and . _ - @, starting with a letter or digit.
With --password-stdin the first line of standard input becomes the user's
password, stored as an argon2id hash; tokens, not passwords, authenticate
commands.

The token goes to standard output alone, the rest to standard error, so a
script can capture it: TOKEN=$(truce user add ci --role analyst).`,
		Example: `  truce user add alice --role admin
  truce user add bob --role monitor --label laptop
  printf '%s\n' "$PASSWORD" | truce user add carol --role analyst --password-stdin`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.runUserAdd(c, args[0], role, label, passwordStdin)
		},
	}
	c.Flags().StringVar(&role, "role", "", "the user's role: "+roleList())
	c.Flags().StringVar(&label, "label", "first token", "a `LABEL` for the token, to tell a user's tokens apart")
	c.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read a password from the first line of standard input")
	_ = c.MarkFlagRequired("role")
	return c
}

func (a *invocation) runUserAdd(c *cobra.Command, name, role, label string, passwordStdin bool) error {
	ctx := c.Context()
	if err := app.CheckNewUser(name, role); err != nil {
		return &exitError{code: 2, err: err}
	}
	nu := app.NewUser{Name: name, Role: role, TokenLabel: label}
	if passwordStdin {
		var err error
		if nu.Password, err = readPassword(ctx, c.InOrStdin()); err != nil {
			return err
		}
	}
	ap, err := a.openApp(ctx, true)
	if err != nil {
		return err
	}
	defer ap.Close()
	is, err := ap.AddUser(ctx, nu)
	switch {
	case errors.Is(err, app.ErrFirstNotAdmin):
		return fmt.Errorf("%w (truce user add %s --role admin)", err, name)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("add user %q: another first user was added meanwhile: ask an admin for a token (truce user list)", name)
	case errors.Is(err, store.ErrExists):
		return fmt.Errorf("user %q already exists (see 'truce user list'; 'truce user token %s' makes them a new token)", name, name)
	case err != nil:
		return err
	}
	how := ""
	if is.First {
		how = " (the first user of this database)"
	}
	fmt.Fprintf(c.ErrOrStderr(), "added %s %q%s\n", role, name, how)
	printToken(c, is.User.Name, label, is.Token)
	return nil
}

// readPassword reads the first line of r, or fails when ctx ends first (a
// terminal no one types into).
func readPassword(ctx context.Context, r io.Reader) (string, error) {
	line, err := untilDone(ctx, func() (string, error) {
		return bufio.NewReader(r).ReadString('\n')
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", &exitError{code: 2, err: errors.New("--password-stdin: standard input has no password (pipe one line into the command)")}
	}
	return password, nil
}

func (a *invocation) userListCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "list [--output table|json]",
		Short: "List users, their roles and whether they are disabled",
		Long: `List every user by name, disabled ones included.

Needs the token of any enabled user in TRUCE_TOKEN. Output: table (for
people) or json (JSON Lines, one user a line). Password hashes and tokens
are never shown.`,
		Example: `  truce user list
  truce user list --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			users, err := ap.ListUsers(ctx)
			if err != nil {
				return err
			}
			return writeUsers(c.OutOrStdout(), users, output)
		},
	}
	outputFlag(c, &output, []string{outTable, outJSON})
	return c
}

func writeUsers(w io.Writer, users []auth.User, output string) error {
	if output == outJSON {
		return writeJSONLines(w, users)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tPASSWORD\tCREATED")
	for _, u := range users {
		status, password := "active", "no"
		if u.Disabled {
			status = "disabled"
		}
		if u.PasswordHash != "" {
			password = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", report.Term(u.Name), u.Role, status, password, u.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}

func (a *invocation) userDisableCommand() *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   "disable NAME --reason TEXT",
		Short: "Stop a user from acting, keeping their record and history",
		Long: `Disable a user: every command refuses their tokens until an admin runs
'truce user enable'. Users are never deleted, since the audit log and the
reviews name them. Needs an admin's token; admins cannot disable themselves,
so a database always keeps an admin who can undo it.`,
		Example: `  truce user disable bob --reason "left the project"`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.setDisabled(c, args[0], true, reason)
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why, for the audit log (required)")
	_ = c.MarkFlagRequired("reason")
	return c
}

func (a *invocation) userEnableCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "enable NAME",
		Short:   "Let a disabled user act again",
		Long:    `Enable a disabled user: their tokens work again. Needs an admin's token.`,
		Example: `  truce user enable bob`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.setDisabled(c, args[0], false, "")
		},
	}
}

func (a *invocation) setDisabled(c *cobra.Command, name string, disabled bool, reason string) error {
	ctx := c.Context()
	if disabled && strings.TrimSpace(reason) == "" {
		return &exitError{code: 2, err: errors.New("--reason must say why, for the audit log")}
	}
	ap, err := a.openApp(ctx, false)
	if err != nil {
		return err
	}
	defer ap.Close()
	if err := ap.SetUserDisabled(ctx, name, disabled, reason); err != nil {
		return userError(err, name)
	}
	if disabled {
		fmt.Fprintf(c.OutOrStdout(), "disabled user %q: their tokens are refused until 'truce user enable %s'\n", name, name)
	} else {
		fmt.Fprintf(c.OutOrStdout(), "enabled user %q\n", name)
	}
	return nil
}

// userError adds to an error about user name's account what to do next.
func userError(err error, name string) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("no user %q (see 'truce user list')", name)
	case errors.Is(err, app.ErrTargetDisabled):
		return fmt.Errorf("user %q is disabled: enable them first ('truce user enable %s')", name, name)
	}
	return err
}

// onUser opens the application and runs fn on it: a command on user
// name's account.
func (a *invocation) onUser(c *cobra.Command, name string, fn func(*app.App) error) error {
	ap, err := a.openApp(c.Context(), false)
	if err != nil {
		return err
	}
	defer ap.Close()
	return userError(fn(ap), name)
}

func (a *invocation) userPasswordCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "password NAME < FILE",
		Short: "Set a user's password from the first line of standard input",
		Long: `Set a user's password, read from the first line of standard input and
stored as an argon2id hash. An admin may set anyone's, other users their own.`,
		Example: `  printf '%s\n' "$PASSWORD" | truce user password bob`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			return a.onUser(c, args[0], func(ap *app.App) error {
				// The token first: standard input is read only for someone who may set it.
				if err := ap.CheckUser(c.Context(), args[0]); err != nil {
					return fmt.Errorf("set password of %q: %w", args[0], err)
				}
				password, err := readPassword(c.Context(), c.InOrStdin())
				if err != nil {
					return err
				}
				if err := ap.SetPassword(c.Context(), args[0], password); err != nil {
					return err
				}
				fmt.Fprintf(c.OutOrStdout(), "password of %q set\n", args[0])
				return nil
			})
		},
	}
}

func roleList() string {
	var rs []string
	for _, r := range vocab.Roles() {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}
