package cli

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

func (a *invocation) demoCommand() *cobra.Command {
	var serve, addr string
	c := &cobra.Command{
		Use:   "demo [--serve=true|false] [--addr HOST:PORT]",
		Short: "Run the whole pipeline on the bundled 2025 scenario",
		Long: `Run the whole pipeline on the scenario bundled with truce, in the database
named by --db (a SQLite file, truce.db, by default):

 1. agreements: the March 2025 energy moratorium (with the Russian and the
    Ukrainian reading of its start and scope), the Jeddah 30-day ceasefire
    proposal with the parties' conditions, the Easter truce of April 2025,
    and the Black Sea arrangements of 25 March 2025 (positive obligations,
    never in force, scored by truce report): each linted, stored, and its
    windows shown under every reading;
 2. evidence: events and claims of 18 March - 23 April 2025 written for
    truce from public reports (examples/evidence), ingested through their
    column mappings;
 3. evaluation: every record against every commitment under every reading;
 4. findings: the candidate and ambiguous violations, each explained;
 5. incidents: the records behind the findings merged with the other
    reports of the same occurrence, each graded (confirmed, fair, weak,
    contested, discounted) with its reasons;
 6. positions: the parties' stances on the terms of a ceasefire, February-
    April 2025 (examples/positions), stored; who accepts what on 18 March
    2025, and the packages of terms every party accepted that day.

Run it twice: the second run finds everything already stored and
evaluated. Then explore with 'truce findings', 'truce incident show',
'truce check' and 'truce agreement show', and review with 'truce user add'
and 'truce review'.

Then it serves the dashboard on the scenario (--addr, 127.0.0.1:8080, or a
free port if that one is taken), prints its URL, and runs until
interrupted (Ctrl-C). The demo's store has no users, so the dashboard asks
for no login on loopback. --serve=false ends after the pipeline, for
scripts and CI; that is also the default when standard output is not a
terminal.`,
		Example: `  truce demo
  truce demo --serve=false --db /tmp/demo.db`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, args []string) error {
			on, err := demoServes(serve, c.OutOrStdout())
			if err != nil {
				return err
			}
			if err := a.runDemo(c, args); err != nil || !on {
				return err
			}
			return a.serveDemo(c, addr)
		},
	}
	c.Flags().StringVar(&serve, "serve", "auto", "serve the dashboard after the pipeline: true, false, or auto (when standard output is a terminal)")
	c.Flags().Lookup("serve").NoOptDefVal = "true"
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "where the dashboard listens (`HOST:PORT`; a free port if this one is taken)")
	return c
}

// demoServes reads --serve: auto serves when out is a terminal.
func demoServes(v string, out io.Writer) (bool, error) {
	switch v {
	case "auto":
		return showProgress("auto", out), nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, &exitError{code: 2, err: fmt.Errorf("--serve %q: use true, false or auto", v)}
}

// serveDemo serves the dashboard on the demo's store until interrupted.
func (a *invocation) serveDemo(c *cobra.Command, addr string) error {
	ctx := c.Context()
	st, err := a.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := server.New(ctx, server.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		// Taken: any free port on the same host will do for a demo.
		host, _, splitErr := net.SplitHostPort(addr)
		if splitErr != nil {
			return err
		}
		if ln, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
			return err
		}
	}
	defer ln.Close()
	fmt.Fprintf(c.OutOrStdout(), "\n== The dashboard: http://%s/  (the map: /map, the timeline: /timeline, the positions: /positions)\n"+
		"   No login: the demo's store has no users, and it is served on loopback only. Ctrl-C stops it.\n", ln.Addr())
	return srv.Serve(ctx, ln)
}

func (a *invocation) runDemo(c *cobra.Command, _ []string) error {
	ctx := c.Context()
	out := c.OutOrStdout()
	entries, err := fs.Glob(truce.Examples, "examples/agreements/*.yaml")
	if err != nil {
		return err
	}
	sort.Strings(entries)
	ap, err := a.openApp(ctx, true)
	if err != nil {
		return err
	}
	defer ap.Close()
	_, err = ap.Authorize(ctx, auth.Import)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(out, "truce demo on %s (%s)\n\n== 1. Agreements\n", store.RedactDSN(a.db), ap.Store().Backend())
	for _, name := range entries {
		src, err := fs.ReadFile(truce.Examples, name)
		if err != nil {
			return err
		}
		f, err := app.ParseAgreement(name, src, strictyaml.DefaultLimits())
		if err != nil {
			reportParseError(c.ErrOrStderr(), name, err)
			return errProblemsFound
		}
		done, err := ap.ImportAgreements(ctx, []app.AgreementFile{f})
		if err != nil {
			return err
		}
		n, err := f.Agreement.Normalize("")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n%s: lint ok; ", name)
		reportStored(out, done[0])
		fmt.Fprintf(out, "  %s [%s]\n", f.Agreement.Title, f.Agreement.Status)
		printWindows(out, n)
	}

	// The evidence is embedded; the ingest path reads files, so it gets a
	// temporary copy.
	tmp, err := os.MkdirTemp("", "truce-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	copyOut := func(name string) (string, error) {
		b, err := fs.ReadFile(truce.Examples, name)
		if err != nil {
			return "", err
		}
		p := filepath.Join(tmp, path.Base(name))
		return p, os.WriteFile(p, b, 0o644)
	}
	fmt.Fprintln(out, "\n== 2. Evidence (examples/evidence: public reports of 18 March - 23 April 2025)")
	for _, in := range []struct{ format, mapping, file string }{
		{"csv", "examples/mappings/scenario-events.yaml", "examples/evidence/moratorium-2025-events.csv"},
		{"claims", "examples/mappings/scenario-claims.yaml", "examples/evidence/moratorium-2025-claims.csv"},
		// The defence ministry's channel, in Russian: what each post alleges
		// is read from its text (allegations), act by act.
		{"claims", "examples/mappings/mod-russia-telegram.yaml", "examples/evidence/mod-telegram-2025-moratorium.csv"},
	} {
		mapping, err := copyOut(in.mapping)
		if err != nil {
			return err
		}
		file, err := copyOut(in.file)
		if err != nil {
			return err
		}
		format, err := pipeline.Lookup(in.format)
		if err != nil {
			return err
		}
		m, err := loadMapping(c, format, mapping)
		if err != nil {
			return err
		}
		req := app.IngestRequest{Format: format, Mapping: m, MappingFile: mapping, Limits: pipeline.DefaultLimits(), YAML: yamlLimits(c),
			Files: []string{file}, Stdin: c.InOrStdin(), Sole: true}
		if err := ingestFiles(c, ap, req, app.IngestEvents{BadRows: c.ErrOrStderr(), ShowBad: 10}, false); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, "\n== 3. Evaluation: every record, every commitment, every reading")
	res, err := ap.Evaluate(ctx, app.EvaluateRequest{YAML: yamlLimits(c)})
	if err != nil {
		return err
	}
	if err := printEvaluated(out, res, false); err != nil {
		return err
	}

	fmt.Fprintln(out, "\n== 4. Candidate and ambiguous violations of the energy moratorium, explained")
	q := app.FindingQuery{Agreement: "energy-moratorium-2025", Verdicts: []string{"candidate", "ambiguous"}}
	if err := printFindings(c, ap, q, outTable); err != nil {
		return err
	}
	fmt.Fprintln(out, "\n== 5. Incidents: the findings' records merged across sources, and graded")
	built, err := ap.BuildIncidents(ctx, "")
	if err != nil {
		return err
	}
	if err := printBuild(out, c.ErrOrStderr(), built, false); err != nil {
		return err
	}
	if err := printIncidents(c, ap, app.IncidentQuery{}, outTable); err != nil {
		return err
	}
	if err := demoPositions(c, ap); err != nil {
		return err
	}
	// The commands to try next, as the user can run them: with the program
	// as they ran it (a 'go run' build is gone by now) and this database.
	fmt.Fprintf(out, `
Next:
  %[1]s --db %[2]s incident show 1
  %[1]s --db %[2]s user add NAME --role admin      # the first user; prints an API token
  TRUCE_TOKEN=... %[1]s --db %[2]s review list
  %[1]s --db %[2]s findings --agreement easter-truce-2025
  %[1]s --db %[2]s findings --reading UA --output geojson > findings.geojson
  %[1]s agreement show examples/agreements/energy-moratorium-2025.yaml
  %[1]s agreement test examples/tests/*.test.yaml
  %[1]s --db %[2]s positions common-ground --set %[3]s --at 2025-03-27
`, a.program(), shellQuote(a.db), demoPositionsID)
	return nil
}

// The demo's positions file, and the date it shows.
const (
	demoPositionsFile = "examples/positions/ceasefire-2025.yaml"
	demoPositionsID   = "ceasefire-positions-2025"
	demoPositionsDate = "2025-03-18"
)

// demoPositions stores the bundled positions and prints, compactly, the
// matrix and the common ground of 18 March 2025 from the stored version.
func demoPositions(c *cobra.Command, ap *app.App) error {
	ctx, out := c.Context(), c.OutOrStdout()
	fmt.Fprintf(out, "\n== 6. Positions on %s (%s): who accepts what, and the common ground\n", demoPositionsDate, demoPositionsFile)
	src, err := fs.ReadFile(truce.Examples, demoPositionsFile)
	if err != nil {
		return err
	}
	f, err := app.ParsePositions(demoPositionsFile, src, strictyaml.DefaultLimits())
	if err != nil {
		reportParseError(c.ErrOrStderr(), demoPositionsFile, err)
		return errProblemsFound
	}
	done, err := ap.ImportPositions(ctx, []app.PositionsFile{f})
	if err != nil {
		return err
	}
	verb := "stored"
	if !done[0].Created {
		verb = "unchanged"
	}
	fmt.Fprintf(out, "%s %s version %d\n\n", verb, done[0].ID, done[0].Version)
	q := app.PositionsQuery{ID: done[0].ID, Version: done[0].Version}
	m, err := ap.PositionsMatrix(ctx, q, app.MatrixRequest{At: demoPositionsDate})
	if err != nil {
		return err
	}
	if err := writeMatrixGrid(out, m); err != nil {
		return err
	}
	g, err := ap.PositionsGround(ctx, q, app.GroundRequest{At: demoPositionsDate, Top: 3})
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	return writeGroundBrief(out, g)
}
