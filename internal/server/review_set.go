package server

import (
	"fmt"
	"net/http"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// transitionsRequest is the body of one step on many subjects, as 'truce
// review set' takes it: the subjects named, or a selection of those now at
// from.
type transitionsRequest struct {
	Subjects []string          `json:"subjects,omitempty"` // finding/N, incident/N
	Select   *selectionRequest `json:"select,omitempty"`
	To       string            `json:"to"`
	// From is the status the author saw, required: a revision is one
	// subject's (the single-subject route takes it as If-Match).
	From          string `json:"from"`
	Reason        string `json:"reason"`
	AcceptRelease bool   `json:"accept_release,omitempty"`
}

// selectionRequest selects subjects instead of naming them.
type selectionRequest struct {
	NeedsReview bool   `json:"needs_review,omitempty"`
	Agreement   string `json:"agreement,omitempty"` // its findings only
	Type        string `json:"type,omitempty"`      // finding or incident
}

// transitionsView answers a step on many subjects: each one's result.
type transitionsView struct {
	Results []stepOutcome `json:"results"`
	Taken   int           `json:"taken"`
	Refused int           `json:"refused"`
}

// stepOutcome is one subject's step: taken (transition, and the releases
// an accepted confirmation started) or refused (error).
type stepOutcome struct {
	Subject    vocab.Ref        `json:"subject"`
	Transition *app.Transition  `json:"transition,omitempty"`
	Releases   []review.Release `json:"releases,omitempty"`
	Error      *stepError       `json:"error,omitempty"`
}

// stepError is why a step was refused, as an error body says it.
type stepError struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// transitions: POST /api/v1/review/transitions. Each subject is its own
// step, checked and audited on its own; one refused does not stop the
// others, so the answer is 200 with each one's result. A request that is
// wrong as a whole (a subject that is not one, nothing named or
// selected, both) is 400; a selection that matches nothing is 404.
func (s *Server) transitions(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var req transitionsRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	to, seen, err := stepStatuses(req.To, req.From)
	if err != nil {
		return err
	}
	subjects := make([]vocab.Ref, len(req.Subjects))
	for i, text := range req.Subjects {
		if subjects[i], err = vocab.ParseSubject(text); err != nil {
			return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("subjects[%d]: %w", i, err)}
		}
	}
	var sel *app.SubjectSelection
	if q := req.Select; q != nil {
		sel = &app.SubjectSelection{NeedsReview: q.NeedsReview, AgreementID: q.Agreement}
		if q.Type != "" {
			if sel.Type, err = app.KnownCode("type", q.Type, []vocab.Kind{vocab.KindFinding, vocab.KindIncident}); err != nil {
				return err
			}
		}
	}
	results, err := ap.TransitionAll(r.Context(), subjects, sel, app.Step{To: to, Reason: req.Reason, Seen: seen, AcceptRelease: req.AcceptRelease})
	if err != nil {
		return err
	}
	out := transitionsView{Results: make([]stepOutcome, len(results))}
	for i, res := range results {
		out.Results[i] = stepOutcome{Subject: res.Subject, Transition: res.Transition, Releases: res.Releases}
		if res.Err == nil {
			out.Taken++
			continue
		}
		out.Refused++
		k := app.KindOf(res.Err)
		e := &stepError{Kind: k.String(), Message: res.Err.Error()}
		if k == app.KindInternal {
			s.log.ErrorContext(r.Context(), "review step failed", "subject", res.Subject.String(), "err", res.Err)
			e.Message = "internal error: see the server's log"
		}
		out.Results[i].Error = e
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
