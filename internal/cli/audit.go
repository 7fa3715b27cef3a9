package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *app) auditCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "audit",
		Short: "Read and verify the append-only, hash-chained audit log",
		Long: `Every change truce makes on behalf of a user (users, tokens, reviews,
evidence, incident joins and splits) is written to the audit log in the same
transaction as the change. Each entry holds the hash of the one before, so
editing, deleting or reordering entries breaks the chain, and
'truce audit verify' names the first bad entry.

Deleting the last entries leaves a shorter chain that is still whole. To
catch that, keep the head ('truce audit head') somewhere the database's
administrators cannot write (a ticket, a signed mail, another machine) and
verify against it later with --head. Verify also checks that no review,
evidence item or incident link cites an entry past the end of the log.

These commands need no token: whoever can read the database can read the log.`,
		Example: `  truce audit verify
  truce audit head > audit-head.txt
  truce audit verify --head "$(cat audit-head.txt)"
  truce audit list --after 100 --limit 20`,
		Args: usageArgs(cobra.NoArgs),
	}
	c.AddCommand(a.auditVerifyCommand(), a.auditHeadCommand(), a.auditListCommand())
	return c
}

func (a *app) auditVerifyCommand() *cobra.Command {
	var head string
	c := &cobra.Command{
		Use:   "verify [--head SEQ:HASH]",
		Short: "Check the audit log's hash chain; exit 1 naming the first bad entry",
		Long: `Read the whole audit log and check that entries are numbered 1, 2, 3...
without gaps, that each holds the hash of the one before, and that each hash
matches its content. With --head SEQ:HASH (as 'truce audit head' printed it,
space or colon between), also check that the log still holds that entry with
that hash.

Exit 0 and "audit log intact: N entries, head SEQ HASH" when all holds;
exit 1 naming the first bad entry and what is wrong with it otherwise.`,
		Example: `  truce audit verify
  truce audit verify --head 1042:5f0c...e9a1`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			var opts store.AuditVerifyOptions
			if head != "" {
				anchor, err := store.ParseAuditAnchor(head)
				if err != nil {
					return &exitError{code: 2, err: fmt.Errorf("--head: %w", err)}
				}
				opts.Anchor = anchor
			}
			r, err := a.verifyAudit(c, opts)
			if err != nil {
				return err
			}
			if r.Head.Seq == 0 {
				fmt.Fprintln(c.OutOrStdout(), "audit log intact: 0 entries (nothing has been recorded yet)")
				return nil
			}
			fmt.Fprintf(c.OutOrStdout(), "audit log intact: %d entries, head %s\n", r.Checked, r.Head)
			return nil
		},
	}
	c.Flags().StringVar(&head, "head", "", "an entry the log must still hold, as `SEQ:HASH` from 'truce audit head'")
	return c
}

// verifyAudit verifies the log of --db; a broken log is an exit-1 error
// naming the first bad entry.
func (a *app) verifyAudit(c *cobra.Command, opts store.AuditVerifyOptions) (store.AuditReport, error) {
	ctx := c.Context()
	st, err := a.openExisting(ctx)
	if err != nil {
		return store.AuditReport{}, err
	}
	defer st.Close()
	r, err := store.VerifyAudit(ctx, st, opts)
	if err != nil {
		return r, err
	}
	if p := r.Problem; p != nil {
		return r, &exitError{code: 1, err: fmt.Errorf("audit log broken at entry %d: %s (the %d entries before it are sound)", p.Seq, p.What, r.Checked)}
	}
	return r, nil
}

func (a *app) auditHeadCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "head",
		Short: "Print the last entry's SEQ and HASH, to keep outside the database",
		Long: `Verify the log, then print its last entry as "SEQ HASH". Keep that line
where the database's administrators cannot change it; later,
'truce audit verify --head SEQ:HASH' shows whether entries up to it were
deleted or rewritten since. A broken log has no head worth keeping: the
command then fails like 'truce audit verify'.`,
		Example: `  truce audit head
  truce audit head >> ~/truce-audit-heads.txt`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			r, err := a.verifyAudit(c, store.AuditVerifyOptions{})
			if err != nil {
				return err
			}
			if r.Head.Seq == 0 {
				return fmt.Errorf("the audit log is empty: nothing to keep yet")
			}
			fmt.Fprintln(c.OutOrStdout(), r.Head)
			return nil
		},
	}
}

func (a *app) auditListCommand() *cobra.Command {
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
			if output != "table" && output != "json" {
				return &exitError{code: 2, err: fmt.Errorf("unknown output %q: use table or json", output)}
			}
			if after < 0 || limit < 0 {
				return &exitError{code: 2, err: fmt.Errorf("--after and --limit must not be negative")}
			}
			ctx := c.Context()
			st, err := a.openExisting(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			entries, err := st.ListAudit(ctx, after, limit)
			if err != nil {
				return err
			}
			return writeAudit(c.OutOrStdout(), entries, output)
		},
	}
	f := c.Flags()
	f.Int64Var(&after, "after", 0, "list entries after seq `N`")
	f.IntVar(&limit, "limit", 100, "at most `N` entries; 0 for all")
	f.StringVar(&output, "output", "table", "output: table, json")
	return c
}

func writeAudit(w io.Writer, entries []store.AuditEntry, output string) error {
	if output == "json" {
		enc := json.NewEncoder(w)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
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
