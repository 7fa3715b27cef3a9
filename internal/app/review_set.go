package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Step is a review step as its author decided it: to what status, why,
// on what they saw, and whether they accept the release a confirmation
// would start (see review.ReleaseError).
type Step struct {
	To            vocab.Status
	Reason        string
	Seen          review.Seen
	AcceptRelease bool
}

// StepResult is one step taken, or refused (Err).
type StepResult struct {
	Subject    vocab.Ref   `json:"subject"`
	Transition *Transition `json:"transition,omitempty"`
	// Releases are what an accepted confirmation started.
	Releases []review.Release `json:"releases,omitempty"`
	Err      error            `json:"-"`
}

// SubjectSelection selects subjects for a bulk step, instead of naming
// them: those now at the step's seen status that the filter selects.
type SubjectSelection struct {
	NeedsReview bool
	AgreementID string     // its findings only
	Type        vocab.Kind // finding or incident; "" for both
}

// ErrNothingSelected: a selection matched no subject.
var ErrNothingSelected = errors.New("nothing to set")

// Transition takes one review step on subj for the caller, who must be
// permitted to review, if subj is still as seen. A subject moved since
// fails with a *store.ConflictError naming who moved it, to what and when;
// a confirmation that would release a party fails with a
// *review.ReleaseError unless the step accepts it.
func (a *App) Transition(ctx context.Context, subj vocab.Ref, step Step) (StepResult, error) {
	who, err := a.actor(ctx, auth.Review)
	if err != nil {
		return StepResult{}, fmt.Errorf("review: %w", err)
	}
	r := a.step(ctx, who, subj, step)
	return r, r.Err
}

// TransitionAll takes the step on each subject named, or, if sel is not
// nil, on each subject it selects; each is its own step, checked and
// audited on its own, and one refused does not stop the others. The
// error is for the whole (the caller may not review, nothing selected);
// each result says whether its step was taken. Subjects and a selection
// together, neither, a revision seen for more than one subject, or a step
// that says nothing of what was seen are KindInvalid.
func (a *App) TransitionAll(ctx context.Context, subjects []vocab.Ref, sel *SubjectSelection, step Step) ([]StepResult, error) {
	who, err := a.actor(ctx, auth.Review)
	if err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	switch {
	case len(subjects) == 0 && sel == nil:
		return nil, errorf(KindInvalid, "name the subjects (finding/N, incident/N) or select them")
	case len(subjects) > 0 && sel != nil:
		return nil, errorf(KindInvalid, "name subjects or select them, not both")
	case step.Seen.HasRevision && (len(subjects) > 1 || sel != nil):
		return nil, errorf(KindInvalid, "a revision seen is one subject's: give the status seen for several")
	case !step.Seen.Given():
		return nil, withKind(KindInvalid, review.ErrUnseen)
	}
	if sel != nil {
		if subjects, err = a.selectSubjects(ctx, *sel, step.Seen.Status); err != nil {
			return nil, err
		}
		if len(subjects) == 0 {
			return nil, withKind(KindNotFound, fmt.Errorf("no subject at %s matches the filter: %w", step.Seen.Status, ErrNothingSelected))
		}
	}
	out := make([]StepResult, 0, len(subjects))
	for _, subj := range subjects {
		out = append(out, a.step(ctx, who, subj, step))
	}
	return out, nil
}

// step takes one step for who, its own transaction and audit entry.
func (a *App) step(ctx context.Context, who Actor, subj vocab.Ref, step Step) StepResult {
	r := StepResult{Subject: subj}
	var releases []review.Release
	if step.AcceptRelease && step.To == vocab.StatusConfirmed {
		// What the confirmation starts, to say so once it is made.
		var err error
		if releases, err = a.releasesIfConfirmed(ctx, subj); err != nil && !errors.Is(err, store.ErrNotFound) {
			r.Err = err
			return r
		}
	}
	t, err := a.transition(ctx, who.Name, subj, step)
	if errors.Is(err, store.ErrNotFound) {
		err = subjectNotFound(subj)
	}
	if err != nil {
		r.Err = err
		return r
	}
	tv := (t)
	r.Transition = &tv
	if t.From != vocab.StatusConfirmed {
		r.Releases = releases
	}
	return r
}

// transition moves subj as step says on behalf of by, if subj is still as
// seen, checking the workflow's rules against it as stored.
func (a *App) transition(ctx context.Context, by string, subj vocab.Ref, step Step) (review.Transition, error) {
	if !step.Seen.Given() {
		return review.Transition{}, withKind(KindInvalid, review.ErrUnseen)
	}
	st, err := a.st.ReviewState(ctx, subj)
	if err != nil {
		return review.Transition{}, err
	}
	conflict := func(err error) error {
		return fmt.Errorf("%s is no longer as you saw it (%s): %w; show it again and decide again", subj, step.Seen, err)
	}
	if !step.Seen.Matches(st) {
		return review.Transition{}, conflict(store.NewConflict(st))
	}
	if err := review.Check(st, by, step.To, step.Reason); err != nil {
		return review.Transition{}, err
	}
	if step.To == vocab.StatusConfirmed && st.Status != vocab.StatusConfirmed && !step.AcceptRelease {
		rs, err := a.releasesIfConfirmed(ctx, subj)
		if err != nil {
			return review.Transition{}, err
		}
		if len(rs) > 0 {
			return review.Transition{}, withKind(KindDenied, &review.ReleaseError{Subject: subj, Releases: rs})
		}
	}
	// st matched what was seen: its revision is the one seen when given
	// (the API's If-Match), else the one whose status was seen. Either way
	// a step taken since fails the compare-and-set.
	t, err := a.st.ApplyTransition(ctx, review.Transition{
		Subject: subj, From: st.Status, To: step.To, By: by, Reason: strings.TrimSpace(step.Reason),
	}, st.Revision)
	if errors.Is(err, store.ErrConflict) {
		return review.Transition{}, conflict(err)
	}
	return t, err
}

// selectSubjects are the subjects sel selects, at status from ("": any).
func (a *App) selectSubjects(ctx context.Context, sel SubjectSelection, from vocab.Status) ([]vocab.Ref, error) {
	var out []vocab.Ref
	at := func(status vocab.Status) bool { return from == "" || status == from }
	if sel.Type != vocab.KindIncident {
		err := a.st.ScanFindings(ctx, store.FindingFilter{AgreementID: sel.AgreementID, NeedsReview: sel.NeedsReview, IncludeWithdrawn: true},
			func(f *store.FindingRecord) error {
				if at(f.Status) {
					out = append(out, vocab.Ref{Kind: vocab.KindFinding, ID: f.ID})
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("select findings: %w", err)
		}
	}
	if sel.Type != vocab.KindFinding && sel.AgreementID == "" {
		incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{NeedsReview: sel.NeedsReview})
		if err != nil {
			return nil, fmt.Errorf("select incidents: %w", err)
		}
		for i := range incs {
			if at(incs[i].Status) {
				out = append(out, vocab.Ref{Kind: vocab.KindIncident, ID: incs[i].ID})
			}
		}
	}
	return out, nil
}
