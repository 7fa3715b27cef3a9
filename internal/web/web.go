// Package web is truce's dashboard: server-rendered pages over the
// application layer (internal/app), for analysts and mediators' staff who
// look rather than read JSON. It is an adapter like the API: each page
// calls use cases of the *app.App the server gives it for the request and
// renders what they return; no rule and no query lives here.
//
// Templates (html/template) and static files are embedded, the templates
// parsed once when the Handler is made. The JavaScript and CSS under
// static/dist are built from web/ with npm and esbuild and committed, so
// the binary needs no npm (docs/dashboard.md).
package web

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/pdf"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are what the server gives the dashboard.
type Options struct {
	// App returns the application as the request's caller: identified,
	// and reading from the replica if there is one. An error is answered
	// with Status's status.
	App func(r *http.Request) (*app.App, error)
	// Status is the HTTP status of a use case's error.
	Status func(error) int
	// Logger receives internal errors; slog.Default() if nil.
	Logger *slog.Logger
	// Boundaries are admin-1 outlines the map draws (LoadBoundaries's),
	// none if nil.
	Boundaries []byte
	// Outlines are Boundaries by region code (geo.ParseOutlines), for the
	// reports' maps; nil for none.
	Outlines *geo.Outlines
	// Printing bounds the PDFs printed at once, shared with the API;
	// nil: no bound.
	Printing pdf.Slots
	// Login checks a user's password and opens a session (app.Login),
	// under the server's limit of failures per client address; Logout
	// ends a session (app.Logout). App acts for the session of the cookie
	// (SessionToken).
	Login  func(r *http.Request, name, password string) (app.Session, error)
	Logout func(r *http.Request, token string) error
	// JobEvents streams a job as server-sent events (the API's handler
	// of GET /api/v1/jobs/{id}/events), which the job page follows under
	// the caller's session; Submitted wakes the server's job runners
	// once an upload is queued; MaxUpload bounds an uploaded file (no
	// bound if 0). See ops.go.
	JobEvents func(w http.ResponseWriter, r *http.Request, ap *app.App) error
	Submitted func()
	MaxUpload int64
}

// Handler serves the dashboard's pages and static files. Make one with
// New; Mount puts it on a mux.
type Handler struct {
	opts   Options
	pages  *pages
	static *static
}

// New parses the templates and indexes the static files.
func New(opts Options) (*Handler, error) {
	if opts.App == nil || opts.Status == nil || opts.Login == nil || opts.Logout == nil {
		return nil, errors.New("web: Options.App, Status, Login and Logout are needed")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	st, err := newStatic(staticFS)
	if err != nil {
		return nil, err
	}
	ps, err := parsePages(templateFS, st)
	if err != nil {
		return nil, err
	}
	return &Handler{opts: opts, pages: ps, static: st}, nil
}

// Mount puts the dashboard's routes on mux: the pages at / and /map, the
// map's data at /map/findings.json, the static files under /static/,
// login and logout (session.go), the review queue and its subjects
// (review.go).
func Mount(mux *http.ServeMux, opts Options) error {
	h, err := New(opts)
	if err != nil {
		return err
	}
	h.Mount(mux)
	return nil
}

// Mount puts h's routes on mux.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET /{$}", h.page(h.overview))
	mux.Handle("GET /map", h.page(h.mapPage))
	mux.Handle("GET /map/findings.json", h.data(h.mapData))
	mux.HandleFunc("GET /map/boundaries.geojson", h.boundaries)
	mux.Handle("GET /timeline", h.page(h.timelinePage))
	mux.Handle("GET /timeline/data.json", h.data(h.timelineData))
	mux.Handle("GET /static/", http.StripPrefix("/static/", h.static))
	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)
	mux.Handle("GET /review", h.page(h.reviewQueue))
	mux.Handle("POST /review", h.page(h.bulkStep))
	mux.Handle("GET /review/{kind}/{id}", h.page(h.reviewSubject))
	mux.Handle("POST /review/{kind}/{id}", h.page(h.transition))
	h.mountBrowse(mux)
	h.mountOps(mux)       // imports, jobs, audit, users, reports: ops.go
	h.mountPositions(mux) // positions.go
}
