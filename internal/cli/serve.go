package cli

import (
	"log/slog"
	"net"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/internal/server"
)

func (a *invocation) serveCommand() *cobra.Command {
	var addr string
	var insecureSingleUser bool
	c := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--insecure-single-user]",
		Short: "Run the team server: the JSON API under /api/v1, health checks and metrics",
		Long: `Run truce's team server on the database given by --db: the JSON API under
/api/v1 (the same use cases as these commands), /healthz (the process),
/readyz (the store answers and its schema is current) and Prometheus
metrics at /metrics.

Requests authenticate with "Authorization: Bearer TOKEN", the tokens of
'truce user'. A store without users needs no token for anything, so it is
served on a loopback address only, unless --insecure-single-user.

One JSON line per request goes to standard error. SIGINT or SIGTERM stops
the server gracefully: it stops accepting and lets requests in flight end
(up to 30 s).`,
		Example: `  truce serve
  truce serve --addr 0.0.0.0:8080 --db postgres://truce@db/truce
  curl -H "Authorization: Bearer $TRUCE_TOKEN" http://127.0.0.1:8080/api/v1/whoami`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			st, err := a.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			srv, err := server.New(ctx, server.Config{
				Store:              st,
				Logger:             slog.New(slog.NewJSONHandler(a.env.Stderr, nil)),
				InsecureSingleUser: insecureSingleUser,
			})
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
	c.Flags().BoolVar(&insecureSingleUser, "insecure-single-user", false, "serve a store without users beyond loopback (anyone who reaches the port may change it)")
	return c
}
