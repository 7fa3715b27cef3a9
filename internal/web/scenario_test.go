package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/scenariotest"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/store/backend"
)

// scenario serves the bundled scenario (the demo's agreements and
// evidence, evaluated, incidents built) on a new database of dsn, as
// internal/server's tests load it, and returns the server's URL and the
// application on its store (to compare pages with use cases); configs
// change the server's configuration.
func scenario(t *testing.T, dsn string, configs ...func(*server.Config)) (string, *app.App) {
	t.Helper()
	ctx := t.Context()
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ap := app.New(st, app.Options{})
	scenariotest.Load(t, ap, scenariotest.Events, scenariotest.Claims)
	cfg := server.Config{Store: st, Workers: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, c := range configs {
		c(&cfg)
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL, ap
}
