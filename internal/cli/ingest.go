package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/report"
)

type ingestFlags struct {
	format     string
	mapping    string
	source     string
	strict     bool
	rejects    string
	gazetteers []string
	deletions  bool
	progress   string
	output     string
	input      inputFlags
}

// inputFlags are how ingest and check read files: encoding and limits.
type inputFlags struct {
	encoding   string
	dateLayout string
	limits     pipeline.Limits
}

func addInputFlags(f *pflag.FlagSet, fl *inputFlags) {
	d := pipeline.DefaultLimits()
	fl.limits = d
	f.StringVar(&fl.encoding, "encoding", "", "the files' `ENCODING` when not UTF-8: windows-1252, iso-8859-1, windows-1251, koi8-r, utf-16le, ... (default: UTF-8, or UTF-16 with a byte order mark)")
	f.StringVar(&fl.dateLayout, "date-layout", "", "order of slashed dates: dmy (14/08/2020) or mdy (8/14/2020) (default: decided per column from the values)")
	f.Int64Var(&fl.limits.MaxField, "max-field", d.MaxField, "refuse a file with a field longer than `BYTES`")
	f.Int64Var(&fl.limits.MaxLine, "max-line", d.MaxLine, "refuse a file with a record (line, or lines of a quoted field) longer than `BYTES`")
	f.Int64Var(&fl.limits.MaxSize, "max-size", d.MaxSize, "refuse a compressed file that decompresses to more than `BYTES`")
	f.Int64Var(&fl.limits.MaxRatio, "max-ratio", d.MaxRatio, "refuse a compressed file that expands more than `N` times (past 64 MiB)")
	f.IntVar(&fl.limits.MaxMembers, "max-members", d.MaxMembers, "refuse a zip archive of more than `N` files")
}

// exitSomeRejected is ingest's exit status when files were imported but
// some of their rows were rejected.
const exitSomeRejected = 3

func (a *invocation) ingestCommand() *cobra.Command {
	var fl ingestFlags
	var formatHelp strings.Builder
	for _, f := range pipeline.Formats() {
		fmt.Fprintf(&formatHelp, "  %-8s %s\n", f.Name, f.Help)
	}
	c := &cobra.Command{
		Use:   "ingest --format FORMAT [--mapping FILE] [--output table|json] FILE...",
		Short: "Import events and claims from files into the store",
		Long: `Import evidence into the store named by --db. Files may be plain, gzipped
(.gz) or zipped (.zip, every member); "-" reads standard input.

Formats:
` + formatHelp.String() + `
Each record is classified on the way in: target categories from its text
(English, Ukrainian, Russian; every category with the words that gave it),
its place resolved to an admin-1 unit, its actors mapped to parties through
the alias tables of the agreements in the store.

Importing is idempotent: the same file twice adds nothing; a record whose
content changed upstream is stored as a new version, the old one kept, and
the findings it supports are marked for re-review. Each file is imported in
one transaction: if truce is killed, the store is as it was before that file.
The first file into a new SQLite file that no other process has open is
written straight into the file, holding it alone: a command that opens it
meanwhile waits for the import (see docs/ingest.md, "A first import").

A .zip archive is imported member by member, each a file of its own in the
summary. Input must be UTF-8 (a byte order mark is fine), UTF-16 with a byte
order mark, or decoded with --encoding; a file whose header or first
megabyte is not UTF-8 is refused naming the line, and a later row with
bytes that are not UTF-8, or a NUL byte, is rejected. The missing-value
tokens NA, N/A, NULL and None are read as empty. Dates are read in every
layout the sources use (2025-05-16, 16 May 2025, 9-May-20, 14/08/2020,
8/14/2020 2:30 PM); whether 03/04/2020 is day or month first is decided per
column per file from its first values and named in the summary, or, when
they cannot tell, the file is refused: give --date-layout dmy or mdy. See
docs/ingest.md.

A row that cannot be read is rejected: the first 10 of each file are shown
on stderr as FILE:LINE: field "x": reason (value), then "... and N more";
all are counted, the first 10,000 kept with the import batch in the store
(truce imports rejects BATCH), and with --rejects FILE all are written to
FILE as CSV (FILE must not exist). The rest goes in. With --strict a bad row fails its whole file and
nothing of it is written.

Limits: a field longer than --max-field (1 MiB), a record longer than
--max-line (4 MiB), a compressed file that decompresses to more than
--max-size (16 GiB) or more than --max-ratio (100) times its size, a zip of
more than --max-members (100) files: the file is refused, naming the line
and the limit.

The summary is a table of the files with their counts, or with --output
json the same for programs.

Exit status: 0 when every row of every file was imported; 3 when files were
imported but some rows were rejected; 1 when a file was refused (not
readable, not in the format, over a limit) or none of its rows imported;
2 for a usage error.`,
		Example: `  truce ingest --format acled ../shared/data/acled-sample-acledR/acled_sample_ukraine_2022H1.csv
  truce ingest --format claims --mapping examples/mappings/mod-russia-telegram.yaml posts.csv
  truce ingest --format acled --deletions deleted.csv
  truce ingest --format auto --encoding windows-1252 --date-layout mdy ged-excel.csv
  truce ingest --format acled --rejects bad-rows.csv acled-2020.csv.gz
  gunzip -c big.csv.gz | truce ingest --format acled -`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error {
			return a.runIngest(c, fl, files)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.format, "format", "", "input format: "+strings.Join(pipeline.Names(), ", ")+" (required; auto picks it from each file's first line)")
	f.StringVar(&fl.mapping, "mapping", "", "column mapping `FILE` for the claims and csv formats")
	f.StringVar(&fl.source, "source", "", "store records under this source `NAME` (default: the format's, or the mapping's)")
	f.BoolVar(&fl.strict, "strict", false, "fail a whole file, writing nothing, at its first bad row")
	f.StringVar(&fl.rejects, "rejects", "", "also write every rejected row to `FILE` as CSV (it must not exist)")
	f.StringSliceVar(&fl.gazetteers, "gazetteer", nil, "extra gazetteer `FILE`s: GeoNames TSV (.txt) or oblast CSV/GeoJSON")
	f.BoolVar(&fl.deletions, "deletions", false, "the files are ACLED deletion lists (event_id_cnty, deleted_timestamp): mark those events deleted")
	f.StringVar(&fl.progress, "progress", "auto", "progress display: auto (when stderr is a terminal), always, never")
	outputFlag(c, &fl.output, []string{outTable, outJSON}, outJSON)
	addInputFlags(f, &fl.input)
	c.MarkFlagRequired("format")
	return c
}

func (a *invocation) runIngest(c *cobra.Command, fl ingestFlags, files []string) error {
	ctx := c.Context()
	defer bulkGC(a.env.Getenv)()
	format, err := pipeline.Lookup(fl.format)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	m, err := loadMapping(c, format, fl.mapping)
	if err != nil {
		return err
	}
	order, err := ingest.ParseOrder(fl.input.dateLayout)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	ap, err := a.openApp(ctx, true)
	if err != nil {
		return err
	}
	defer ap.Close()
	req := app.IngestRequest{Format: format, Mapping: m, MappingFile: fl.mapping, Source: fl.source, Strict: fl.strict,
		Gazetteers: fl.gazetteers, Encoding: fl.input.encoding, DateOrder: order, Limits: fl.input.limits, YAML: yamlLimits(c),
		Files: files, Stdin: c.InOrStdin(), RejectsFile: fl.rejects, Sole: true}
	ev := app.IngestEvents{BadRows: c.ErrOrStderr(), ShowBad: 10}
	if fl.deletions {
		return a.ingestDeletions(c, ap, req, ev, fl.output == outJSON)
	}
	if showProgress(fl.progress, a.env.Stderr) {
		ev.Progress = drawProgress(a.env.Stderr) // raw: it redraws its line with control sequences
	}
	return ingestFiles(c, ap, req, ev, fl.output == outJSON)
}

// ingestFiles runs the ingest and prints what it did as it goes: refused
// files and bad rows on stderr, then the summary.
func ingestFiles(c *cobra.Command, ap *app.App, req app.IngestRequest, ev app.IngestEvents, asJSON bool) error {
	ctx := c.Context()
	stderr := c.ErrOrStderr()
	rejected := false
	ev.Refused = func(name string, err error) { fmt.Fprintf(stderr, "%s; nothing imported\n", withName(name, err)) }
	ev.Imported = func(s app.IngestSummary) {
		switch {
		case s.NoneImported():
			fmt.Fprintf(stderr, "%s: none of its %d rows imported\n", s.File, s.Read)
		case s.Rejected > 0:
			rejected = true
		}
	}
	res, err := ap.Ingest(ctx, req, ev)
	if res.Files == nil && err != nil && ctx.Err() == nil {
		return err // nothing was tried
	}
	printSummaries(c.OutOrStdout(), res.Files, asJSON)
	if res.RejectsWritten {
		fmt.Fprintf(stderr, "rejected rows written to %s\n", req.RejectsFile)
	}
	refused := res.Refused > 0
	for _, s := range res.Files {
		refused = refused || s.NoneImported()
	}
	switch {
	case err != nil:
		return err
	case refused:
		return errProblemsFound
	case rejected:
		return &exitError{code: exitSomeRejected}
	}
	return nil
}

// drawProgress draws ingest's progress on w, a terminal, as one line it
// redraws, and clears it when a file is done.
func drawProgress(w io.Writer) func(pipeline.Progress) {
	return func(p pipeline.Progress) {
		if p.Done {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		fmt.Fprintf(w, "\r\033[K%s", p)
	}
}

// withName is err's message starting with the file name, once.
func withName(name string, err error) string {
	if msg := err.Error(); strings.HasPrefix(msg, name+":") {
		return msg
	}
	return name + ": " + err.Error()
}

func printSummaries(w io.Writer, sums []app.IngestSummary, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(sums)
		return
	}
	if len(sums) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tREAD\tNEW\tUPDATED\tUNCHANGED\tREJECTED\tSECONDS")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.2f\n", report.Term(s.File), s.Read, s.New, s.Updated, s.Unchanged, s.Rejected, s.Seconds)
	}
	tw.Flush()
	for _, s := range sums {
		for _, n := range s.Notes {
			fmt.Fprintf(w, "%s: %s\n", report.Term(s.File), report.Term(n))
		}
	}
}

// showProgress decides whether to draw progress on w.
func showProgress(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (a *invocation) ingestDeletions(c *cobra.Command, ap *app.App, req app.IngestRequest, ev app.IngestEvents, asJSON bool) error {
	ev.Refused = func(name string, err error) {
		fmt.Fprintf(c.ErrOrStderr(), "%s; nothing marked\n", withName(name, err))
	}
	done, refused, err := ap.IngestDeletions(c.Context(), req, ev)
	if asJSON {
		enc := json.NewEncoder(c.OutOrStdout())
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(done); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		for _, d := range done {
			fmt.Fprintf(c.OutOrStdout(), "%s: %d listed, %d marked deleted\n", report.Term(d.File), d.Listed, d.Marked)
		}
	}
	if err != nil {
		return err
	}
	if refused > 0 {
		return errProblemsFound
	}
	return nil
}

// loadMapping reads the --mapping file a format needs.
func loadMapping(c *cobra.Command, format pipeline.Format, path string) (*mapped.Mapping, error) {
	switch {
	case format.NeedsMapping && path == "":
		return nil, &exitError{code: 2, err: fmt.Errorf("--format %s needs --mapping FILE (see examples/mappings/)", format.Name)}
	case path == "":
		return nil, nil
	case !format.NeedsMapping:
		return nil, &exitError{code: 2, err: fmt.Errorf("--format %s reads its files by their own columns and takes no --mapping (mappings are for --format claims and csv)", format.Name)}
	}
	m, err := mapped.LoadWith(path, yamlLimits(c))
	if err != nil {
		reportParseError(c.ErrOrStderr(), path, err)
		return nil, errProblemsFound
	}
	return m, nil
}
