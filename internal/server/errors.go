package server

import (
	"errors"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// statusOf is the one place an application error becomes an HTTP status.
func statusOf(k app.Kind) int {
	switch k {
	case app.KindInvalid:
		return http.StatusBadRequest
	case app.KindNotFound:
		return http.StatusNotFound
	case app.KindConflict:
		return http.StatusConflict
	case app.KindUnauthenticated:
		return http.StatusUnauthorized
	case app.KindDenied:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// errorBody is what every failed request answers.
type errorBody struct {
	Error struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
		// Problems are an invalid file's, each with its line and column.
		Problems []strictyaml.Problem `json:"problems,omitempty"`
	} `json:"error"`
}

// statusClientClosed is what the log and the metrics record for a request
// its client cancelled, as nginx's 499 does: not a server error.
const statusClientClosed = 499

// errTooManyFailures answers a client that failed to authenticate too
// often lately.
var errTooManyFailures error = &app.Error{Kind: app.KindDenied, Err: errors.New("too many failed authentications from this address: wait a minute")}

// writeError answers err with its status and a JSON body. An internal
// error's message stays in the log: it may name files or the database.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away (or the server is stopping): nobody reads
		// an answer, and it is not the store failing.
		w.WriteHeader(statusClientClosed)
		return
	}
	k := app.KindOf(err)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		k = app.KindInvalid
	}
	status := statusOf(k)
	var b errorBody
	b.Error.Kind, b.Error.Message = k.String(), err.Error()
	var problems strictyaml.Problems
	if errors.As(err, &problems) {
		b.Error.Problems = problems
	}
	if k == app.KindInternal {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		b.Error.Message = "internal error: see the server's log"
	}
	switch {
	case errors.As(err, &tooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.As(err, new(errMethod)):
		status = http.StatusMethodNotAllowed
	case errors.Is(err, errTooManyFailures):
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", "60")
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="truce"`)
	}
	writeJSON(w, status, b)
}
