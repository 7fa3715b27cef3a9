package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
)

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the status is sent: a failed write is the client's
}

// readJSON decodes the request body into v: one JSON value, no unknown
// fields, within the body limit the middleware set.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("request body: %w", err)}
	}
	if dec.More() {
		return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("request body: more than one JSON value")}
	}
	return nil
}
