package cli

import (
	"cmp"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/store/backend"
)

func (a *invocation) serveCommand() *cobra.Command {
	var addr, readDB, boundaries string
	var insecureSingleUser bool
	var workers int
	var jobStale, maxLag time.Duration
	c := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--read-db DSN] [--workers N] [--boundaries FILE] [--insecure-single-user]",
		Short: "Run the team server: the JSON API under /api/v1, health checks and metrics",
		Long: `Run truce's team server on the database given by --db: the JSON API under
/api/v1 (the same use cases as these commands), /healthz (the process),
/readyz (the store answers and its schema is current) and Prometheus
metrics at /metrics; and the web dashboard at / (docs/dashboard.md).

The dashboard's map draws country outlines (Natural Earth, built in) and,
with --boundaries, the admin-1 outlines of a GeoJSON file (a
FeatureCollection of Polygon or MultiPolygon features, at most 32 MiB),
checked when the server starts. No map tile is fetched from the internet.

Requests authenticate with "Authorization: Bearer TOKEN", the tokens of
'truce user'. A store without users needs no token for anything, so it is
served on a loopback address only, unless --insecure-single-user.

Imports uploaded to the server, evaluations and incident builds are jobs,
kept in the database: every server on it runs them (--workers at once,
0 for a server that only answers), each job on one server, and a job
whose server is killed is taken up by another once it has been silent for
--job-stale. Any server can report on any job (GET /api/v1/jobs/ID/events).

Several servers on one PostgreSQL database behave as one: they keep
nothing that matters in memory. --read-db names a PostgreSQL streaming
replica of --db that answers the GET routes (who the caller is is still
asked of --db); /readyz shows its lag and is 503 while it is more than
--max-lag behind.

One JSON line per request goes to standard error. SIGINT or SIGTERM stops
the server gracefully: it stops accepting and lets requests in flight end
(up to 30 s); a job in hand is left for another server, or this one
restarted.`,
		Example: `  truce serve
  truce serve --addr 0.0.0.0:8080 --db postgres://truce@db/truce
  truce serve --boundaries ukraine-oblasts.geojson
  truce serve --addr 0.0.0.0:8081 --db postgres://truce@db/truce --read-db postgres://truce@replica/truce
  curl -H "Authorization: Bearer $TRUCE_TOKEN" http://127.0.0.1:8080/api/v1/whoami`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if workers < 0 {
				return &exitError{code: 2, err: fmt.Errorf("--workers is 0 or more, not %d", workers)}
			}
			cfg := server.Config{
				Store:              st,
				Logger:             slog.New(slog.NewJSONHandler(a.env.Stderr, nil)),
				InsecureSingleUser: insecureSingleUser,
				Workers:            cmp.Or(workers, -1),
				JobStale:           jobStale,
				MaxLag:             maxLag,
				Boundaries:         boundaries,
			}
			if readDB != "" {
				rs, err := backend.OpenReplica(ctx, readDB)
				if err != nil {
					return err
				}
				defer rs.Close()
				cfg.Replica = rs
			}
			srv, err := server.New(ctx, cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			defer ln.Close()
			return srv.Serve(ctx, ln)
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "the `HOST:PORT` to listen on")
	c.Flags().StringVar(&readDB, "read-db", "", "a PostgreSQL streaming replica of --db (`DSN`) to answer the GET routes from")
	c.Flags().IntVar(&workers, "workers", 1, "jobs this server runs at once (`N`; 0: none, it only answers)")
	c.Flags().DurationVar(&jobStale, "job-stale", app.DefaultStale, "how long a job's server may be silent before another server takes the job up")
	c.Flags().DurationVar(&maxLag, "max-lag", time.Minute, "how far behind --read-db may be before /readyz answers 503")
	c.Flags().StringVar(&boundaries, "boundaries", "", "a GeoJSON `FILE` of admin-1 outlines for the dashboard's map")
	c.Flags().BoolVar(&insecureSingleUser, "insecure-single-user", false, "serve a store without users beyond loopback (anyone who reaches the port may change it)")
	return c
}
