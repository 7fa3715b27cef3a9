package server

import (
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/web"
)

// mountWeb puts the dashboard (internal/web) on mux: its pages call the
// use cases as the request's caller, identified as the API's are (a
// bearer token; sessions come later), reading from the replica if any.
func (s *Server) mountWeb(mux *http.ServeMux) {
	err := web.Mount(mux, web.Options{
		App:        s.pageApp,
		Status:     func(err error) int { return statusOf(app.KindOf(err)) },
		Logger:     s.log,
		Boundaries: s.boundaries,
	})
	if err != nil {
		panic(err) // the embedded templates do not parse: a build's bug the tests catch
	}
}

// pageApp is the application as a page's caller.
func (s *Server) pageApp(r *http.Request) (*app.App, error) {
	if s.failures.blocked(clientIP(r), s.now()) {
		return nil, errTooManyFailures
	}
	ap := s.app.As(bearer(r))
	if _, err := ap.Who(r.Context()); err != nil {
		if app.KindOf(err) == app.KindUnauthenticated {
			s.failures.fail(clientIP(r), s.now())
		}
		return nil, err
	}
	return ap.Reading(r.Context())
}
