package server

import (
	"errors"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/web"
)

// mountWeb puts the dashboard (internal/web) on mux: its pages call the
// use cases as the request's caller, identified by their session cookie
// (or, as the API's are, by a bearer token), reading from the replica if
// any; logins share the API's limit of failures per client address.
func (s *Server) mountWeb(mux *http.ServeMux) {
	err := web.Mount(mux, web.Options{
		App:        s.pageApp,
		Status:     pageStatus,
		Logger:     s.log,
		Boundaries: s.boundaries,
		Outlines:   s.outlines,
		Printing:   s.printing,
		Login:      s.pageLogin,
		Logout:     func(r *http.Request, token string) error { return s.app.Logout(r.Context(), token) },
		JobEvents:  s.jobEvents,
		Submitted:  s.wakeRunners,
		MaxUpload:  s.cfg.MaxUpload,
	})
	if err != nil {
		panic(err) // the embedded templates do not parse: a build's bug the tests catch
	}
}

// pageStatus is the status of a page's error.
func pageStatus(err error) int {
	if errors.Is(err, errTooManyFailures) {
		return http.StatusTooManyRequests
	}
	return statusOf(app.KindOf(err))
}

// pageApp is the application as a page's caller: the user of the
// session cookie, else of the bearer token. A GET reads from the replica,
// if there is one; a form's POST acts on the primary.
func (s *Server) pageApp(r *http.Request) (*app.App, error) {
	if s.failures.blocked(clientIP(r), s.now()) {
		return nil, errTooManyFailures
	}
	ap := s.app.As(bearer(r))
	if tok := web.SessionToken(r); tok != "" && bearer(r) == "" {
		ap = s.app.InSession(tok)
	}
	if _, err := ap.Who(r.Context()); err != nil {
		// No credentials at all is no guess; a wrong token or session is.
		if app.KindOf(err) == app.KindUnauthenticated && !errors.Is(err, app.ErrNoToken) {
			s.failures.fail(clientIP(r), s.now())
		}
		return nil, err
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return ap, nil
	}
	return ap.Reading(r.Context())
}

// pageLogin checks a password for the login form; a wrong one counts as a
// failed authentication of the client's address.
func (s *Server) pageLogin(r *http.Request, name, password string) (app.Session, error) {
	if s.failures.blocked(clientIP(r), s.now()) {
		return app.Session{}, errTooManyFailures
	}
	sess, err := s.app.Login(r.Context(), name, password)
	if errors.Is(err, app.ErrBadLogin) {
		s.failures.fail(clientIP(r), s.now())
	}
	return sess, err
}
