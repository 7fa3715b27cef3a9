package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// subject reads the review subject of the path: /{kind}/{id}.
func subject(r *http.Request) (vocab.Ref, error) {
	ref, err := vocab.ParseSubject(r.PathValue("kind") + "/" + r.PathValue("id"))
	if err != nil {
		return vocab.Ref{}, &app.Error{Kind: app.KindNotFound, Err: err}
	}
	return ref, nil
}

// reviewQueue: GET /api/v1/review?type=&status=&needs_review=.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p reviewParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	f := app.ReviewFilter{NeedsReview: p.NeedsReview}
	var err error
	if p.Type != "" {
		if f.Type, err = app.KnownCode("type", p.Type, []vocab.Kind{vocab.KindFinding, vocab.KindIncident}); err != nil {
			return err
		}
	}
	if f.Statuses, err = app.KnownCodes("status", p.Status, vocab.Statuses()); err != nil {
		return err
	}
	queue, err := ap.ReviewQueue(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, queue)
	return nil
}

// reviewPage: GET /api/v1/review/{kind}/{id}. Its ETag is the review
// revision, which a transition gives back as If-Match.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := subject(r)
	if err != nil {
		return err
	}
	page, err := ap.ReviewPage(r.Context(), subj)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(page.Revision)))
	writeJSON(w, http.StatusOK, page)
	return nil
}

// transitionRequest is the body of a review step.
type transitionRequest struct {
	To     string `json:"to"`
	Reason string `json:"reason"`
	// From is the status the author saw; with If-Match (the revision they
	// saw) or instead of it.
	From          string `json:"from,omitempty"`
	AcceptRelease bool   `json:"accept_release,omitempty"`
}

// transition: POST /api/v1/review/{kind}/{id}/transitions. The step
// applies only if the subject is still as its author saw it: If-Match
// names the revision (the review page's ETag), "from" the status; a step
// taken meanwhile is 409 Conflict, naming who took it.
func (s *Server) transition(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := subject(r)
	if err != nil {
		return err
	}
	var req transitionRequest
	if err := readJSON(r, &req); err != nil {
		return err
	}
	to, seen, err := stepStatuses(req.To, req.From)
	if err != nil {
		return err
	}
	if m := r.Header.Get("If-Match"); m != "" {
		n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(m, "W/"), `"`))
		if err != nil || n < 0 {
			return &app.Error{Kind: app.KindInvalid, Err: badParam{"If-Match", m, `a review revision, as the review page's ETag gives it ("3")`}}
		}
		seen.Revision, seen.HasRevision = n, true
	}
	res, err := ap.Transition(r.Context(), subj, app.Step{To: to, Reason: req.Reason, Seen: seen, AcceptRelease: req.AcceptRelease})
	if err != nil {
		return err
	}
	if res.Err != nil {
		return res.Err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// stepStatuses checks a step's statuses: where to, and the status the
// author saw (none if from is "").
func stepStatuses(to, from string) (vocab.Status, review.Seen, error) {
	var seen review.Seen
	st, err := app.KnownCode("status", to, vocab.Statuses())
	if err == nil && from != "" {
		seen.Status, err = app.KnownCode("status", from, vocab.Statuses())
	}
	return st, seen, err
}

// evidenceList: GET /api/v1/review/{kind}/{id}/evidence?all=.
func (s *Server) evidenceList(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := subject(r)
	if err != nil {
		return err
	}
	var p evidenceParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	items, err := ap.Evidence(r.Context(), subj, p.All)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, evidenceView{items})
	return nil
}
