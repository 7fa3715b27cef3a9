// Package server is truce's team server: the JSON API under /api/v1 over
// the application layer (internal/app), with health checks and metrics.
// It is an adapter like the command line: each route turns a request into
// one use case call and renders what it returns; every rule lives in app.
package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/pdf"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/web"
)

// Config configures a Server. Zero values are the defaults.
type Config struct {
	// Store is the store the server runs on; the caller opens and closes it.
	Store store.Store
	// Replica, if set, answers the API's GET routes: a read-only copy of
	// Store that may lag behind it (a PostgreSQL streaming replica). Who
	// the caller is is always asked of Store. /readyz reports its lag and
	// is 503 while it is over MaxLag (a minute if 0).
	Replica store.Store
	MaxLag  time.Duration
	// Logger receives one line per request; slog.Default() if nil.
	Logger *slog.Logger
	// InsecureSingleUser serves a store with no users beyond loopback: by
	// default such a store, where no request needs a token, is served to
	// loopback clients only.
	InsecureSingleUser bool
	// MaxBody bounds a request body (bytes); 1 MiB if 0. Uploads of files
	// have their own bound.
	MaxBody int64
	// AuthFailures is how many failed authentications a client address
	// may make in a minute before it is answered 429: DefaultAuthFailures
	// if 0, no limit if negative (tests that fail on purpose).
	AuthFailures int
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// Workers is how many jobs (imports, evaluations, incident builds)
	// this server runs at once, from the queue all servers of the database
	// share: 1 if 0, none if negative (a server that only answers).
	Workers int
	// JobStale is how long a running job's server may be silent before
	// another claims it (app.DefaultStale if 0); JobPoll, how often an
	// idle runner looks for work, and a job's event stream for changes
	// (a second if 0).
	JobStale, JobPoll time.Duration
	// Owner names this server as the owner of the jobs it runs; unique
	// by default (host, process, random).
	Owner string
	// MaxUpload bounds an uploaded import file (DefaultMaxUpload if 0).
	MaxUpload int64
	// Boundaries is a GeoJSON file of admin-1 outlines the dashboard's map
	// draws (truce serve --boundaries); checked when the server starts.
	Boundaries string
}

// Server serves the API. Make one with New.
type Server struct {
	app      *app.App
	log      *slog.Logger
	cfg      Config
	metrics  *metrics
	registry *prometheus.Registry
	schema   int // the schema version when the server started
	handler  http.Handler
	failures *failureLimiter
	now      func() time.Time
	specOnce sync.Once
	spec     []byte // the OpenAPI document, once generated

	owner      string
	run        runners
	jobMetrics *jobMetrics
	boundaries []byte // the admin-1 outlines of Config.Boundaries
	// outlines are boundaries by region code, for the reports' maps; nil
	// without boundaries, or when they name no ISO 3166-2 codes.
	outlines *geo.Outlines
	// printing bounds the PDFs printed at once (a browser each), for the
	// API and the dashboard together.
	printing pdf.Slots
}

// maxPrints is how many PDFs a server prints at once.
const maxPrints = 2

// New returns a Server on cfg.Store.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	if cfg.JobPoll <= 0 {
		cfg.JobPoll = time.Second
	}
	if cfg.MaxLag <= 0 {
		cfg.MaxLag = time.Minute
	}
	if cfg.Owner == "" {
		cfg.Owner = ownerName()
	}
	schema, err := cfg.Store.SchemaVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{
		app:      app.New(cfg.Store, app.Options{Now: cfg.Now, Replica: cfg.Replica}),
		log:      cfg.Logger,
		cfg:      cfg,
		registry: prometheus.NewRegistry(),
		schema:   schema,
		failures: newFailureLimiter(cmp.Or(cfg.AuthFailures, DefaultAuthFailures)),
		now:      cfg.Now,
		owner:    cfg.Owner,
		run:      runners{wake: make(chan struct{}, 1)},
		printing: pdf.NewSlots(maxPrints),
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.metrics = newMetrics(s.registry)
	s.jobMetrics = newJobMetrics(s.registry)
	registerPool(s.registry, cfg.Store, cfg.Store.Backend())
	if cfg.Replica != nil {
		if v, err := cfg.Replica.SchemaVersion(ctx); err != nil || v != schema {
			return nil, fmt.Errorf("server: the replica is at schema %d (%v), the primary at %d", v, err, schema)
		}
		registerPool(s.registry, cfg.Replica, "replica")
	}
	if cfg.Boundaries != "" {
		if s.boundaries, err = web.LoadBoundaries(cfg.Boundaries); err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		if s.outlines, err = geo.ParseOutlines(s.boundaries); err != nil {
			s.log.Warn("the boundaries serve the map, but the reports draw none", "err", err)
		}
	}
	s.handler = s.routes()
	return s, nil
}

// Handler is the server's HTTP handler, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Timeouts of the HTTP server: a slow or stalled client cannot hold a
// connection (and its goroutine) for long.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 2 * time.Minute // uploads of evidence and imports
	writeTimeout      = 5 * time.Minute // long exports stream
	idleTimeout       = 2 * time.Minute
	shutdownGrace     = 30 * time.Second
)

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish (up to 30 s) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.checkExposure(ctx, ln.Addr()); err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	runCtx, stopRunners := context.WithCancel(ctx)
	defer stopRunners()
	waitRunners := s.startRunners(runCtx)
	s.log.Info("serving", "addr", ln.Addr().String(), "backend", s.cfg.Store.Backend(), "schema", s.schema,
		"workers", max(s.cfg.Workers, 0), "owner", s.owner)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	// The runners stop at once: a job in hand is left, to be claimed
	// again by another server (or this one, restarted) once it is stale.
	stopRunners()
	err := hs.Shutdown(sctx)
	if e := <-done; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	waitRunners()
	return err
}

// ErrExposedSingleUser: a store without users would be served beyond
// loopback, where anyone who reaches the port could change it.
var ErrExposedSingleUser = errors.New("the store has no users, so no request would need a token: serve it on a loopback address, add a user first ('truce user add NAME --role admin'), or pass --insecure-single-user")

// checkExposure refuses to serve a store without users beyond loopback.
func (s *Server) checkExposure(ctx context.Context, addr net.Addr) error {
	if s.cfg.InsecureSingleUser || isLoopback(addr.String()) {
		return nil
	}
	who, err := s.app.Who(ctx)
	if err == nil && who.Local {
		return ErrExposedSingleUser
	}
	return nil
}

// isLoopback reports whether hostport (an address or a request's
// RemoteAddr) is on the loopback interface.
func isLoopback(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
