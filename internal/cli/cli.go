// Package cli is the truce command line, an adapter over the use cases of
// internal/app: each command is its flags, one call and the printing of what
// it returns. It holds no use case and no domain rule of its own.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
)

// Env is what the command line reads from and writes to, passed in so tests
// run commands in-process without touching the real environment.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Program is how the user runs truce, for the commands truce prints
	// for them to run next ("./truce", "go run ./cmd/truce"; see
	// ProgramName). Empty means "truce".
	Program string
}

// ProgramName is how the user ran truce, given os.Args[0]: that, quoted for
// a POSIX shell if need be, or "go run ./cmd/truce" when it is the
// temporary build of 'go run' (under the temporary directory, in a
// go-build directory), which is gone once the command ends.
func ProgramName(arg0 string) string {
	return programName(arg0, os.TempDir())
}

func programName(arg0, tmp string) string {
	switch {
	case arg0 == "":
		return "truce"
	case strings.Contains(arg0, "go-build") && underDir(arg0, tmp):
		return "go run ./cmd/truce"
	}
	return shellQuote(arg0)
}

// underDir reports whether path lies inside dir.
func underDir(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

// shellQuote is s as a POSIX shell word: as it is when it holds nothing
// the shell would read otherwise, else in single quotes.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-./:@%+=,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// exitError carries an exit code through cobra: 1 for "the input has
// problems" (already reported), 2 for usage errors.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// problemsFound reports that problems were printed and the exit code is 1.
var errProblemsFound = &exitError{code: 1}

// DefaultDB is the database used when neither --db nor TRUCE_DB is given.
const DefaultDB = "truce.db"

// invocation holds the state shared by the commands of one invocation.
type invocation struct {
	env Env
	db  string
}

// program is how the user runs truce, for the commands printed for them.
func (a *invocation) program() string {
	if a.env.Program == "" {
		return "truce"
	}
	return a.env.Program
}

// openStore opens the store named by --db, migrating it to this truce's
// schema, and creates a SQLite file that does not exist: for the commands
// that put things in (migrate, ingest, agreement import, user add, demo).
// Every other command uses openExisting.
func (a *invocation) openStore(ctx context.Context) (store.Store, error) {
	return backend.Open(ctx, a.db)
}

// openExisting is openStore for commands that read or change what is
// stored: a missing SQLite file is an error saying how to create one.
func (a *invocation) openExisting(ctx context.Context) (store.Store, error) {
	return backend.OpenExisting(ctx, a.db)
}

// tokenEnv holds the API token a command acts with. An environment
// variable rather than a flag, so the token stays out of shell history and
// process listings.
const tokenEnv = "TRUCE_TOKEN"

// openApp opens the store as openStore (create) or openExisting does and
// returns the application on it, acting for the holder of TRUCE_TOKEN.
// The caller closes it.
func (a *invocation) openApp(ctx context.Context, create bool) (*app.App, error) {
	open := a.openExisting
	if create {
		open = a.openStore
	}
	st, err := open(ctx)
	if err != nil {
		return nil, err
	}
	return app.New(st, app.Options{}).As(a.env.Getenv(tokenEnv)), nil
}

// Run executes the command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	a := &invocation{env: env}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	// Messages quote file names (zip members too), values and records:
	// whatever reaches the terminal is escaped. The progress line alone
	// writes its own control sequences, to env.Stderr.
	root.SetErr(report.TermWriter(env.Stderr))
	noticesTo(root, root.ErrOrStderr())
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(env.Stderr, "truce:", report.TermText(ee.err.Error()))
		}
		return ee.code
	}
	// Errors quote file names, values and records: escape what they bring.
	fmt.Fprintln(env.Stderr, "truce:", report.TermText(explain(err)))
	if isUsageError(err) {
		return 2
	}
	return 1
}

// isUsageError recognises the command-line mistakes cobra reports as plain
// errors (it has no types for them): a missing required flag, an unknown
// command; and an argument app finds wrong as written (app.ArgumentError).
func isUsageError(err error) bool {
	var arg *app.ArgumentError
	if errors.As(err, &arg) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "required flag(s)") || strings.HasPrefix(msg, "unknown command")
}

func (a *invocation) rootCommand() *cobra.Command {
	dbDefault := a.env.Getenv("TRUCE_DB")
	if dbDefault == "" {
		dbDefault = DefaultDB
	}
	root := &cobra.Command{
		Use:   "truce",
		Short: "Ceasefire and peace-agreement compliance monitor",
		Long: `truce checks what happened against what was promised.

Encode an agreement as YAML (parties, window, commitments, each party's
reading of disputed terms, every term with its source), ingest the evidence
(ACLED, UCDP GED, GDELT, daily strike reports, claims feeds), and review the
candidate violations it finds.

Start with the bundled 2025 energy-moratorium scenario:

  truce demo

The work, in order: 'truce agreement import' the agreements, 'truce ingest'
the evidence, 'truce evaluate' to store the findings, 'truce incident build'
to merge their records into graded incidents, then review them: 'truce user
add' makes each person an API token (TRUCE_TOKEN), and 'truce review' and
'truce evidence' record every verdict, audited ('truce audit verify').

The store is a SQLite file by default (truce.db in the working directory);
give --db postgres://user@host/dbname (or set TRUCE_DB) for a team
deployment on PostgreSQL.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("truce {{.Version}}\n")
	root.PersistentFlags().StringVar(&a.db, "db", dbDefault,
		"database: a SQLite file path, or a postgres:// URL (env TRUCE_DB)")
	addYAMLLimitFlag(root)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: 2, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(a.agreementCommand(), a.ingestCommand(), a.importsCommand(), a.checkCommand(), a.evaluateCommand(), a.findingsCommand(), a.reportCommand(), a.migrateCommand(), a.demoCommand(),
		a.incidentCommand(), a.recordCommand(), a.reviewCommand(), a.evidenceCommand(), a.userCommand(), a.auditCommand(), a.positionsCommand(), a.serveCommand())
	return root
}

// usageArgs wraps a cobra argument check so that a wrong count exits 2.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %w (see %s --help)", c.CommandPath(), err, c.CommandPath())}
		}
		return nil
	}
}
