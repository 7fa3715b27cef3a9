package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *invocation) auditCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the append-only, hash-chained audit log",
		Long: `Every change truce makes on behalf of a user (users, tokens, reviews,
evidence, incident joins and splits) is written to the audit log in the same
transaction as the change. Each entry holds the hash of the one before, so
editing, deleting or reordering entries breaks the chain, and
'truce audit verify' names the first bad entry.

Deleting the last entries leaves a shorter chain that is still whole. To
catch that, keep the head ('truce audit head', or 'truce audit head --out
FILE') somewhere the database's administrators cannot write (a ticket, a
signed mail, another machine, a publication) and verify against it later
with --head. Verify also checks that no review, evidence item or incident
link cites an entry past the end of the log.

The chain shows edits to the log; 'truce audit verify --state' shows edits
past it: it replays the log and checks that every finding's and incident's
review status, and every user's role and enabled flag, are what the log
says.

These commands need no token: whoever can read the database can read the log.`,
		Example: `  truce audit verify
  truce audit head --out audit-head.txt
  truce audit verify --head audit-head.txt --state
  truce audit list --after 100 --limit 20`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.auditVerifyCommand(), a.auditHeadCommand(), a.auditListCommand())
	return c
}

func (a *invocation) auditVerifyCommand() *cobra.Command {
	var head, output string
	var state bool
	c := &cobra.Command{
		Use:   "verify [--head SEQ:HASH|FILE] [--state] [--output text|json]",
		Short: "Check the audit log's hash chain, and the database against it; exit 1 naming what is wrong",
		Long: `Read the whole audit log and check that entries are numbered 1, 2, 3...
without gaps, that each holds the hash of the one before, and that each hash
matches its content.

With --head, also check that the log still holds an entry kept earlier
with its hash: give it as SEQ:HASH (as 'truce audit head' printed it, space
or colon between), or give a FILE of such lines ('truce audit head --out
FILE', or lines appended over time; blank lines and # comments are
skipped), and every head in it is checked.

With --state, also replay the log and check the database against it: every
finding's and incident's review status and revision against the review
steps logged for it (none: alleged), every user's role and enabled flag
against the user entries. A value edited, inserted or deleted in the
database past truce is named, with what the log says and the entry that
said it.

Exit 0 and "audit log intact: N entries, head SEQ HASH" when all holds;
exit 1 naming the first bad entry, or every mismatch of the state,
otherwise. With --output json, the report (entries checked, head, the
first bad entry, the state's mismatches) is printed for programs whatever
it found, and the exit status is the same.`,
		Example: `  truce audit verify
  truce audit verify --head 1042:5f0c...e9a1
  truce audit verify --head audit-heads.txt --state
  truce audit verify --state --output json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			var anchors []store.AuditAnchor
			if head != "" {
				var err error
				if anchors, err = readAnchors(head); err != nil {
					return &exitError{code: 2, err: fmt.Errorf("--head: %w", err)}
				}
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			r, err := ap.VerifyAudit(ctx, anchors, state)
			if err != nil {
				return err
			}
			if output == outJSON {
				return printAuditJSON(c.OutOrStdout(), r)
			}
			return printAuditReport(c.OutOrStdout(), r)
		},
	}
	outputFlag(c, &output, []string{outText, outJSON})
	c.Flags().StringVar(&head, "head", "", "an entry the log must still hold, as `SEQ:HASH` from 'truce audit head', or a FILE of them")
	c.Flags().BoolVar(&state, "state", false, "also check review statuses and users in the database against the log")
	return c
}

// readAnchors reads --head: SEQ:HASH, or a file of "SEQ HASH" lines.
func readAnchors(head string) ([]store.AuditAnchor, error) {
	anchor, err := store.ParseAuditAnchor(head)
	if err == nil {
		return []store.AuditAnchor{anchor}, nil
	}
	content, ferr := os.ReadFile(head)
	if errors.Is(ferr, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w, or a file of them (no file %s)", err, head)
	}
	if ferr != nil {
		return nil, ferr
	}
	var anchors []store.AuditAnchor
	for i, line := range strings.Split(string(content), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		a, err := store.ParseAuditAnchor(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", head, i+1, err)
		}
		anchors = append(anchors, a)
	}
	if len(anchors) == 0 {
		return nil, fmt.Errorf("%s holds no head (SEQ HASH lines, as 'truce audit head' prints them)", head)
	}
	return anchors, nil
}

// printAuditReport prints what verify found; a broken log, or a database
// that does not match it, is an exit-1 error.
func printAuditReport(out io.Writer, r *app.AuditReport) error {
	if r.Problem != nil {
		return &exitError{code: 1, err: r.Err()}
	}
	if r.Head.Seq == 0 {
		fmt.Fprintln(out, "audit log intact: 0 entries (nothing has been recorded yet)")
	} else {
		fmt.Fprintf(out, "audit log intact: %d entries, head %s\n", r.Checked, r.Head)
	}
	s := r.State
	if s == nil {
		return nil
	}
	if len(s.Mismatches) == 0 {
		fmt.Fprintf(out, "state matches the log: %d findings and incidents, %d users, %d review steps replayed\n", s.Subjects, s.Users, s.Steps)
		return nil
	}
	for _, m := range s.Mismatches {
		fmt.Fprintln(out, report.Term(m.String()))
	}
	return &exitError{code: 1, err: r.Err()}
}

// printAuditJSON prints the report as JSON; a broken log, or a database
// that does not match it, is still an exit-1 error.
func printAuditJSON(out io.Writer, r *app.AuditReport) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	if err := r.Err(); err != nil {
		return &exitError{code: 1, err: err}
	}
	return nil
}

func (a *invocation) auditHeadCommand() *cobra.Command {
	var outFile string
	c := &cobra.Command{
		Use:   "head [--out FILE]",
		Short: "Print the last entry's SEQ and HASH, or add it to a file, to keep outside the database",
		Long: `Verify the log, then print its last entry as "SEQ HASH", or with --out
append that line to FILE (created if need be). Keep it where the database's
administrators cannot change it, or publish it; later, 'truce audit verify
--head SEQ:HASH' (or --head FILE, every head in it) shows whether entries up
to it were deleted or rewritten since. A broken log has no head worth
keeping: the command then fails like 'truce audit verify'.`,
		Example: `  truce audit head
  truce audit head --out ~/truce-audit-heads.txt
  truce audit verify --head ~/truce-audit-heads.txt`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			h, err := ap.AuditHead(ctx)
			switch {
			case errors.Is(err, app.ErrAuditEmpty):
				return fmt.Errorf("the audit log is empty: nothing to keep yet")
			case errors.Is(err, app.ErrAuditBroken):
				return &exitError{code: 1, err: err}
			case err != nil:
				return err
			}
			if outFile == "" {
				fmt.Fprintln(c.OutOrStdout(), h)
				return nil
			}
			// Appended, so that the file keeps every head taken: verify
			// checks them all.
			f, err := os.OpenFile(outFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
			if err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			if _, err := fmt.Fprintln(f, h); err != nil {
				f.Close()
				return fmt.Errorf("--out %s: %w", outFile, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("--out %s: %w", outFile, err)
			}
			fmt.Fprintf(c.ErrOrStderr(), "head %s added to %s\n", h, outFile)
			return nil
		},
	}
	c.Flags().StringVar(&outFile, "out", "", "append the head to `FILE` instead of printing it")
	return c
}

func (a *invocation) auditListCommand() *cobra.Command {
	var after int64
	var limit int
	var output string
	c := &cobra.Command{
		Use:   "list [--after N] [--limit N] [--output table|json]",
		Short: "List audit entries, oldest first",
		Long: `List audit log entries with seq greater than --after, oldest first, at most
--limit of them (0 for all). Output: table (for people) or json (JSON Lines,
one entry a line, with its hashes). Listing does not verify: use
'truce audit verify'.`,
		Example: `  truce audit list
  truce audit list --after 200 --limit 50
  truce audit list --limit 0 --output json > audit.jsonl`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			if after < 0 || limit < 0 {
				return &exitError{code: 2, err: fmt.Errorf("--after and --limit must not be negative")}
			}
			ctx := c.Context()
			ap, err := a.openApp(ctx, false)
			if err != nil {
				return err
			}
			defer ap.Close()
			entries, err := ap.AuditEntries(ctx, after, limit)
			if errors.Is(err, app.ErrPastEnd) {
				return fmt.Errorf("--after %d is past the end of the log: see 'truce audit head' for its last entry", after)
			}
			if err != nil {
				return err
			}
			return writeAudit(c.OutOrStdout(), entries, output)
		},
	}
	f := c.Flags()
	f.Int64Var(&after, "after", 0, "list entries after seq `N`")
	f.IntVar(&limit, "limit", 100, "at most `N` entries; 0 for all")
	outputFlag(c, &output, []string{outTable, outJSON})
	return c
}

func writeAudit(w io.Writer, entries []app.AuditEntry, output string) error {
	if output == outJSON {
		return writeJSONLines(w, entries)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tSUBJECT\tDETAIL")
	for _, e := range entries {
		// Escaped: tabs or newlines in a field would break the columns, and
		// control characters would act on the terminal.
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.At.Format(time.RFC3339), report.Term(e.Actor),
			report.Term(e.Action), report.Term(e.Subject), report.Term(string(e.Detail)))
	}
	return tw.Flush()
}
