package cli

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/load"
	"github.com/truce-monitor/truce/internal/store"
)

func (a *invocation) importsCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "imports [--output table|json]",
		Short: "List import batches with their counts; show a batch's rejected rows",
		Long: `List the import batches in the store, oldest first: one per file that
truce ingest imported (or deletion list it applied), with who imported it,
when, and how many rows were read, new, updated, unchanged, deleted and
rejected: a table, or with --output json one batch a line (JSON Lines).
"truce imports rejects BATCH" prints the rows a batch rejected.`,
		Example: `  truce imports
  truce imports --output json
  truce imports rejects 12
  truce imports rejects 12 --output csv > rejects.csv`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error { return a.runImports(c, output) },
	}
	outputFlag(c, &output, []string{outTable, outJSON})
	c.AddCommand(a.importsRejectsCommand())
	return c
}

func (a *invocation) runImports(c *cobra.Command, output string) error {
	ap, err := a.openApp(c.Context(), true)
	if err != nil {
		return err
	}
	defer ap.Close()
	bs, err := ap.Imports(c.Context())
	if err != nil {
		return err
	}
	if output == outJSON {
		return writeJSONLines(c.OutOrStdout(), bs)
	}
	if len(bs) == 0 {
		fmt.Fprintln(c.OutOrStdout(), "no imports")
		return nil
	}
	tw := tabwriter.NewWriter(c.OutOrStdout(), 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BATCH\tSTARTED\tBY\tSOURCE\tFORMAT\tFILE\tREAD\tNEW\tUPDATED\tUNCHANGED\tDELETED\tREJECTED")
	for _, b := range bs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", b.ID, b.StartedAt.UTC().Format(time.RFC3339),
			orDash(b.By, "-"), b.Source, orDash(b.Format, "-"), orDash(printableName(b.File), "-"),
			b.Read, b.New, b.Updated, b.Unchanged, b.Deleted, b.Rejected)
	}
	return tw.Flush()
}

// printableName escapes what a file name could hold to move the cursor or
// change colours on a terminal.
func printableName(s string) string {
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}

func (a *invocation) importsRejectsCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "rejects BATCH [--output text|csv]",
		Short: "Print the rows an import batch rejected",
		Long: `Print the rows import batch BATCH (see truce imports) rejected, in line
order, as FILE:LINE: field "x": reason (value); with --output csv, as CSV
with the whole record as read (file, line, field, reason, value, raw).`,
		Example: `  truce imports rejects 12
  truce imports rejects 12 --output csv > rejects.csv`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			batch, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || batch < 1 {
				return &exitError{code: 2, err: fmt.Errorf("batch %q is not a batch number (see truce imports)", args[0])}
			}
			return a.runImportsRejects(c, batch, output == outCSV)
		},
	}
	outputFlag(c, &output, []string{outText, outCSV}, outCSV)
	return c
}

func (a *invocation) runImportsRejects(c *cobra.Command, batch int64, asCSV bool) error {
	ap, err := a.openApp(c.Context(), true)
	if err != nil {
		return err
	}
	defer ap.Close()
	out := c.OutOrStdout()
	w := csv.NewWriter(out)
	if asCSV {
		w.Write([]string{"file", "line", "field", "reason", "value", "raw"})
	}
	n := 0
	b, err := ap.ImportRejects(c.Context(), batch, func(b app.ImportBatch, r store.Reject) error {
		n++
		if asCSV {
			return w.Write([]string{b.File, strconv.Itoa(r.Line), r.Field, r.Reason, r.Value, r.Raw})
		}
		_, err := fmt.Fprintln(out, &ingest.RowError{File: printableName(b.File), Line: r.Line, Field: r.Field, Reason: r.Reason, Value: r.Value})
		return err
	})
	if err != nil {
		return err
	}
	w.Flush()
	switch {
	case !asCSV && n == 0:
		fmt.Fprintf(out, "batch %d rejected no rows\n", batch)
	case b.Rejected > n:
		fmt.Fprintf(c.ErrOrStderr(), "... and %d more rejected rows, counted but not kept (a batch keeps its first %d)\n", b.Rejected-n, load.KeptRejects)
	}
	return w.Error()
}
