package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// maxQueue bounds the rows of the review queue page.
const maxQueue = 500

// queueData is what the review queue page shows.
type queueData struct {
	*app.ReviewQueue
	All   bool // every subject the caller sees, not only those to decide on
	Shown []app.ReviewItem
	More  int // items past maxQueue, not shown
	// CanReview: the caller may take steps, so the rows can be ticked
	// for a bulk step (review_bulk.go) to any of Statuses.
	CanReview bool
	Statuses  []vocab.Status
	Results   []bulkResult // what came of a bulk step just sent
}

// reviewQueue: GET /review, the subjects that wait for a decision (not
// published: no verdict yet, or flagged for review), or with ?all=1 every
// subject the caller sees, in time order.
func (h *Handler) reviewQueue(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return h.renderQueue(w, r, ap, r.URL.Query().Get("all") == "1", nil)
}

func (h *Handler) renderQueue(w http.ResponseWriter, r *http.Request, ap *app.App, all bool, results []bulkResult) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	q, err := ap.ReviewQueue(r.Context(), app.ReviewFilter{})
	if err != nil {
		return err
	}
	d := queueData{ReviewQueue: q, All: all, Results: results, Statuses: vocab.Statuses()}
	_, err = ap.Authorize(r.Context(), auth.Review)
	d.CanReview = err == nil
	for _, it := range q.Items {
		if !d.All && it.Published {
			continue
		}
		if len(d.Shown) == maxQueue {
			d.More++
			continue
		}
		d.Shown = append(d.Shown, it)
	}
	h.render(w, r, http.StatusOK, "review", view{Title: "Review", Here: "review", Who: who, Data: d})
	return nil
}

// subjectData is what a review subject's page shows.
type subjectData struct {
	*app.ReviewPage
	Path      string // the page's own path, where its forms go
	CanReview bool   // the caller may take steps: the buttons are shown
	Checks    *app.Explanation
	Message   string // what came of the last step sent, or why it failed
	Failed    bool
	Reasons   map[vocab.Status]string // a refused step's reason, to send again
	// Members are the incident's, or the denials in the incident holding
	// a finding's record (a denied claim is never shown without its
	// denial), with why each is there.
	Members []member
}

// member is an incident member as a page lists it.
type member struct {
	incident.Membership
	Why  string
	This bool // the finding's own record
}

// reviewSubject: GET /review/{kind}/{id}, a finding or incident as a
// reviewer decides on it: what it is, the clause-by-clause explanation,
// members, evidence, history, and a form for each step the caller's role
// may take from here.
func (h *Handler) reviewSubject(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	subj, err := pathSubject(r)
	if err != nil {
		return err
	}
	d := subjectData{}
	if to := r.URL.Query().Get("moved"); to != "" {
		d.Message = "Moved to " + strings.ReplaceAll(to, "_", " ") + "."
	}
	return h.renderSubject(w, r, ap, subj, http.StatusOK, d)
}

func (h *Handler) renderSubject(w http.ResponseWriter, r *http.Request, ap *app.App, subj vocab.Ref, status int, d subjectData) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	page, err := ap.ReviewPage(r.Context(), subj)
	if err != nil {
		return err
	}
	d.ReviewPage, d.Path = page, "/review/"+string(subj.Kind)+"/"+strconv.FormatInt(subj.ID, 10)
	_, err = ap.Authorize(r.Context(), auth.Review)
	d.CanReview = err == nil
	if inc := page.Incident; inc != nil {
		for _, m := range inc.Members {
			d.Members = append(d.Members, member{Membership: m, Why: incident.Why(m.Reason)})
		}
	}
	if inc := page.InIncident; inc != nil && page.Finding != nil {
		for _, m := range inc.Members {
			if m.Role == vocab.MemberDenial {
				d.Members = append(d.Members, member{Membership: m, Why: incident.Why(m.Reason), This: m.Record == page.Finding.Record})
			}
		}
	}
	if f := page.Finding; f != nil {
		var ex app.Explanation
		if json.Unmarshal(f.Explanation, &ex) == nil && len(ex.Checks) > 0 {
			d.Checks = &ex
		}
	}
	h.render(w, r, status, "subject", view{Title: subj.String(), Here: "review", Who: who, Data: d})
	return nil
}

// transition: POST /review/{kind}/{id}, one step from the subject's page:
// to (a status), reason, the revision the page showed (the step applies
// only if the subject is still at it) and, for a confirmation, whether
// its author accepts a release it would start. Taken, it goes back to the
// page; refused, the page shows why (who moved it meanwhile, on a
// conflict) with the status of the refusal.
func (h *Handler) transition(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	if err := checkCSRF(w, r); err != nil {
		return err
	}
	subj, err := pathSubject(r)
	if err != nil {
		return err
	}
	form := r.PostForm
	to, err := app.KnownCode("status", form.Get("to"), vocab.Statuses())
	if err != nil {
		return err
	}
	rev, err := strconv.Atoi(form.Get("revision"))
	if err != nil || rev < 0 {
		return &app.Error{Kind: app.KindInvalid, Err: errors.New("the form has no revision: reload the page")}
	}
	step := app.Step{
		To: to, Reason: form.Get("reason"), AcceptRelease: form.Get("accept_release") == "yes",
		Seen: review.Seen{Revision: rev, HasRevision: true},
	}
	_, err = ap.Transition(r.Context(), subj, step)
	if err == nil {
		http.Redirect(w, r, r.URL.Path+"?moved="+url.QueryEscape(string(to))+"#history", http.StatusSeeOther)
		return nil
	}
	status := h.opts.Status(err)
	if status >= 500 || status == http.StatusUnauthorized {
		return err
	}
	d := subjectData{Failed: true, Message: "Not changed: " + err.Error(), Reasons: map[vocab.Status]string{to: step.Reason}}
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		d.Message = "Not changed: someone took a step since you opened this page. " + conflict.Error() + ". Here it is as it is now: decide again."
		d.Reasons = nil
	}
	return h.renderSubject(w, r, ap, subj, status, d)
}

// pathSubject is the subject of the path's {kind}/{id}.
func pathSubject(r *http.Request) (vocab.Ref, error) {
	ref, err := vocab.ParseSubject(r.PathValue("kind") + "/" + r.PathValue("id"))
	if err != nil {
		return vocab.Ref{}, &app.Error{Kind: app.KindNotFound, Err: err}
	}
	return ref, nil
}
