package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// maxBulk bounds the subjects of one bulk step.
const maxBulk = 200

// bulkResult is what came of one subject's step of a bulk step.
type bulkResult struct {
	Subject string
	To      vocab.Status
	Err     string // "" if taken
}

// bulkStep: POST /review, one step on each subject ticked in the queue:
// subject ("finding/12:alleged", the status the queue showed, which the
// step applies from, as --from does), to, reason, accept_release, csrf.
// Each subject is its own step, checked and recorded on its own; one
// refused does not stop the others. The queue comes back with what came
// of each.
func (h *Handler) bulkStep(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := checkCSRF(w, r); err != nil {
		return err
	}
	if _, err := ap.Authorize(r.Context(), auth.Review); err != nil {
		return err
	}
	form := r.PostForm
	picked := form["subject"]
	switch {
	case len(picked) == 0:
		return &app.Error{Kind: app.KindInvalid, Err: errors.New("no subject selected: tick the ones to change")}
	case len(picked) > maxBulk:
		return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("%d subjects selected: at most %d at once", len(picked), maxBulk)}
	}
	to, err := app.KnownCode("status", form.Get("to"), vocab.Statuses())
	if err != nil {
		return err
	}
	var results []bulkResult
	for _, p := range picked {
		res := bulkResult{Subject: p, To: to}
		ref, seen, err := pickedSubject(p)
		if err == nil {
			res.Subject = ref.String()
			_, err = ap.Transition(r.Context(), ref, app.Step{
				To: to, Reason: form.Get("reason"), AcceptRelease: form.Get("accept_release") == "yes",
				Seen: review.Seen{Status: seen},
			})
		}
		if err != nil {
			if h.opts.Status(err) >= 500 {
				return err
			}
			res.Err = err.Error()
		}
		results = append(results, res)
	}
	return h.renderQueue(w, r, ap, r.URL.Query().Get("all") == "1", results)
}

// pickedSubject reads a ticked subject: "finding/12:alleged".
func pickedSubject(p string) (vocab.Ref, vocab.Status, error) {
	s, st, ok := strings.Cut(p, ":")
	if !ok {
		return vocab.Ref{}, "", &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf("%q: want KIND/ID:STATUS", p)}
	}
	ref, err := vocab.ParseSubject(s)
	if err != nil {
		return vocab.Ref{}, "", &app.Error{Kind: app.KindInvalid, Err: err}
	}
	seen, err := app.KnownCode("status", st, vocab.Statuses())
	return ref, seen, err
}
