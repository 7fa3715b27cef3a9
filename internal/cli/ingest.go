package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest/acled"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
)

type ingestFlags struct {
	format     string
	mapping    string
	source     string
	strict     bool
	rejectsDir string
	gazetteers []string
	deletions  bool
	progress   string
	jsonOut    bool
}

func (a *app) ingestCommand() *cobra.Command {
	var fl ingestFlags
	var formatHelp strings.Builder
	for _, f := range pipeline.Formats() {
		fmt.Fprintf(&formatHelp, "  %-8s %s\n", f.Name, f.Help)
	}
	c := &cobra.Command{
		Use:   "ingest --format FORMAT [--mapping FILE] FILE...",
		Short: "Import events and claims from files into the store",
		Long: `Import evidence into the store named by --db. Files may be plain, gzipped
(.gz) or, for GDELT, zipped as published; "-" reads standard input.

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

A row that cannot be read is reported as FILE:LINE: field "x": reason (value)
and written to FILE.rejects.csv (in --rejects-dir); the rest goes in. With
--strict a bad row fails its whole file and nothing of it is written.

Exit status: 0 when every file was imported (even with rejected rows), 1 when
any file failed.`,
		Example: `  truce ingest --format acled ../shared/data/acled-sample-acledR/acled_sample_ukraine_2022H1.csv
  truce ingest --format claims --mapping examples/mappings/mod-russia-telegram.yaml posts.csv
  truce ingest --format acled --deletions deleted.csv
  gunzip -c big.csv.gz | truce ingest --format acled -`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error {
			return a.runIngest(c, fl, files)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.format, "format", "", "input format: "+strings.Join(pipeline.Names(), ", ")+" (required)")
	f.StringVar(&fl.mapping, "mapping", "", "column mapping `FILE` for the claims and csv formats")
	f.StringVar(&fl.source, "source", "", "store records under this source `NAME` (default: the format's, or the mapping's)")
	f.BoolVar(&fl.strict, "strict", false, "fail a whole file, writing nothing, at its first bad row")
	f.StringVar(&fl.rejectsDir, "rejects-dir", ".", "`DIR` where FILE.rejects.csv is written for files with bad rows")
	f.StringSliceVar(&fl.gazetteers, "gazetteer", nil, "extra gazetteer `FILE`s: GeoNames TSV (.txt) or oblast CSV/GeoJSON")
	f.BoolVar(&fl.deletions, "deletions", false, "the files are ACLED deletion lists (event_id_cnty, deleted_timestamp): mark those events deleted")
	f.StringVar(&fl.progress, "progress", "auto", "progress display: auto (when stderr is a terminal), always, never")
	f.BoolVar(&fl.jsonOut, "json", false, "print the summary as JSON")
	c.MarkFlagRequired("format")
	return c
}

func (a *app) runIngest(c *cobra.Command, fl ingestFlags, files []string) error {
	ctx := c.Context()
	format, err := pipeline.Lookup(fl.format)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	m, err := loadMapping(c, format, fl.mapping)
	if err != nil {
		return err
	}
	st, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	by, err := a.actorFor(ctx, st, auth.Import)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}

	if fl.deletions {
		return a.ingestDeletions(c, st, fl, files)
	}
	gaz := geo.Builtin()
	for _, g := range fl.gazetteers {
		if err := loadGazetteer(gaz, g); err != nil {
			return err
		}
	}
	parties, err := storedParties(c, st)
	if err != nil {
		return err
	}
	enr := pipeline.NewEnricher(classify.New(), gaz, parties)
	if m != nil {
		if enr, err = enr.WithAllegations(m.Allegations); err != nil {
			return fmt.Errorf("%s: %w", fl.mapping, err)
		}
	}
	opts := pipeline.Options{Format: format, Mapping: m, Source: fl.source, Strict: fl.strict, RejectsDir: fl.rejectsDir, By: by}
	if showProgress(fl.progress, c.ErrOrStderr()) {
		opts.Progress = c.ErrOrStderr()
	}
	var sums []pipeline.Summary
	failed := false
	for _, name := range files {
		in, err := pipeline.Open(name, c.InOrStdin())
		if err != nil {
			failed = true
			fmt.Fprintf(c.ErrOrStderr(), "%s: %v\n", name, err)
			continue
		}
		sum, err := pipeline.ImportFile(ctx, st, in, enr, opts)
		in.Close()
		if err != nil {
			failed = true
			fmt.Fprintf(c.ErrOrStderr(), "%s: nothing imported: %v\n", in.Name, err)
			if ctx.Err() != nil {
				break
			}
			continue
		}
		sums = append(sums, sum)
	}
	printSummaries(c.OutOrStdout(), sums, fl.jsonOut)
	if failed {
		return errProblemsFound
	}
	return nil
}

func printSummaries(w io.Writer, sums []pipeline.Summary, asJSON bool) {
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
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.2f\n", s.File, s.Read, s.New, s.Updated, s.Unchanged, s.Rejected, s.Seconds)
	}
	tw.Flush()
	for _, s := range sums {
		if s.RejectsFile != "" {
			fmt.Fprintf(w, "%d bad row(s) of %s written to %s\n", s.Rejected, s.File, s.RejectsFile)
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

func loadGazetteer(g *geo.Gazetteer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var format geo.Format
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".tsv":
		format = geo.GeoNamesPostal
	case ".csv":
		format = geo.OblastCSV
	case ".geojson", ".json":
		format = geo.GeoJSON
	default:
		return fmt.Errorf("gazetteer %s: unknown kind of file (want GeoNames .txt, oblast .csv or .geojson)", path)
	}
	if _, err := g.Load(f, format); err != nil {
		return fmt.Errorf("gazetteer %s: %w", path, err)
	}
	return nil
}

// storedParties builds the alias index from the latest version of every
// agreement in the store.
func storedParties(c *cobra.Command, st store.Store) (*pipeline.Parties, error) {
	versions, err := st.ListAgreements(c.Context())
	if err != nil {
		return nil, err
	}
	var ags []*agreement.Agreement
	for _, v := range versions {
		ag, err := agreement.ParseWith(v.AgreementID, v.Source, yamlLimits(c))
		if err != nil {
			return nil, fmt.Errorf("stored agreement %s version %d no longer parses: %w", v.AgreementID, v.Version, err)
		}
		ags = append(ags, ag)
	}
	return pipeline.NewParties(ags...), nil
}

func (a *app) ingestDeletions(c *cobra.Command, st store.Store, fl ingestFlags, files []string) error {
	source := fl.source
	if source == "" {
		source = fl.format
	}
	for _, name := range files {
		in, err := pipeline.Open(name, c.InOrStdin())
		if err != nil {
			return err
		}
		dels, err := acled.ReadDeletions(in, in.Name)
		in.Close()
		if err != nil {
			return err
		}
		ids := make([]string, len(dels))
		for i, d := range dels {
			ids[i] = d.EventID
		}
		n, err := st.MarkDeleted(c.Context(), source, ids)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(c.OutOrStdout(), "%s: %d listed, %d marked deleted\n", in.Name, len(ids), n)
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
	}
	m, err := mapped.LoadWith(path, yamlLimits(c))
	if err != nil {
		reportParseError(c.ErrOrStderr(), path, err)
		return nil, errProblemsFound
	}
	return m, nil
}
