// Package review holds the rules of the review workflow that moves findings
// and incidents from alleged to a verdict: which steps exist, who may take
// them and what each needs. The store records the steps (store.Reviews);
// this package decides whether a step may be taken.
package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/vocab"
)

// Each rule a transition can break has its own error, wrapped with what is
// needed in the case at hand.
var (
	ErrUnknownStatus = errors.New("unknown status")
	ErrNoReason      = errors.New("every transition needs a reason")
	// ErrNotAllowed: the workflow has no such step.
	ErrNotAllowed = errors.New("no such step in the review")
	// ErrUnchanged: the subject already has the status and is not flagged
	// for review, so there is nothing to re-affirm.
	ErrUnchanged      = errors.New("nothing to change")
	ErrSecondReviewer = errors.New("confirming needs a second reviewer")
	ErrNeedsEvidence  = errors.New("refuting needs at least one piece of evidence")
	ErrMachineOnly    = errors.New("machine-coded sources are leads only")
)

// IsRuleError reports whether err is a step the workflow's rules refuse
// (one of the errors above), as opposed to a failure of the store.
func IsRuleError(err error) bool {
	for _, e := range []error{ErrUnknownStatus, ErrNoReason, ErrNotAllowed, ErrUnchanged, ErrSecondReviewer, ErrNeedsEvidence, ErrMachineOnly} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Final reports whether status is a verdict: confirmed, refuted,
// inconclusive or not attributable.
func Final(status vocab.Status) bool {
	switch status {
	case vocab.StatusConfirmed, vocab.StatusRefuted, vocab.StatusInconclusive, vocab.StatusNotAttributable:
		return true
	}
	return false
}

// Published reports whether a subject is shown to those who may read only
// published items: it has a verdict, and nothing has sent it back for review
// since.
func Published(status vocab.Status, needsReview bool) bool { return Final(status) && !needsReview }

// Next returns the statuses a subject may move to from status, besides
// re-affirming status itself when it is flagged for review.
func Next(status vocab.Status) []vocab.Status {
	switch {
	case status == vocab.StatusAlleged:
		return []vocab.Status{vocab.StatusCorroborated, vocab.StatusRefuted, vocab.StatusInconclusive, vocab.StatusNotAttributable}
	case status == vocab.StatusCorroborated:
		return []vocab.Status{vocab.StatusConfirmed, vocab.StatusRefuted, vocab.StatusInconclusive, vocab.StatusNotAttributable, vocab.StatusAlleged}
	case Final(status):
		// A verdict may be reopened.
		return []vocab.Status{vocab.StatusAlleged, vocab.StatusCorroborated}
	}
	return nil
}

// Check decides whether the user named by may move the subject in state st
// to status to, giving reason. It applies the workflow's rules only; who
// may review at all is the application's (internal/app) to check. The error
// says which rule failed and what would satisfy it.
func Check(st State, by string, to vocab.Status, reason string) error {
	subj := st.Subject.String()
	if !slices.Contains(vocab.Statuses(), to) {
		return fmt.Errorf("%w %q: use one of %s", ErrUnknownStatus, to, strings.Join(vocab.Names(vocab.Statuses()), ", "))
	}
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("%w: say why %s should be %s", ErrNoReason, subj, to)
	}
	if err := checkStep(st, to); err != nil {
		return err
	}
	switch to {
	case vocab.StatusConfirmed:
		first := lastInto(st.History, vocab.StatusCorroborated)
		if first == nil {
			return fmt.Errorf("%w: no one is recorded moving %s to corroborated", ErrSecondReviewer, subj)
		}
		if first.By == by {
			return fmt.Errorf("%w: %s moved it to corroborated, so someone else must confirm it", ErrSecondReviewer, first.By)
		}
	case vocab.StatusRefuted:
		if len(st.Evidence) == 0 {
			return fmt.Errorf("%w: %s has none standing; add evidence first", ErrNeedsEvidence, subj)
		}
	}
	if st.MachineOnly && len(st.Evidence) == 0 && rank(to) > rank(vocab.StatusAlleged) {
		return fmt.Errorf("%w: %s rests only on machine-coded sources (GDELT) and no evidence, so it stays alleged until evidence is added", ErrMachineOnly, subj)
	}
	return nil
}

// checkStep checks that the workflow has a step from st's status to to.
func checkStep(st State, to vocab.Status) error {
	subj, from := st.Subject.String(), st.Status
	if to == from {
		if !st.NeedsReview {
			return fmt.Errorf("%w: %s is already %s and not flagged for review", ErrUnchanged, subj, from)
		}
		return nil // re-affirmed after an upstream change
	}
	next := Next(from)
	if slices.Contains(next, to) {
		return nil
	}
	if to == vocab.StatusConfirmed {
		return fmt.Errorf("%w: %s is %s, and only a corroborated subject can be confirmed (set it corroborated first)", ErrNotAllowed, subj, from)
	}
	if len(next) == 0 {
		return fmt.Errorf("%w: %s has status %q, which the workflow does not know", ErrNotAllowed, subj, from)
	}
	return fmt.Errorf("%w: %s cannot go from %s to %s; from %s it can go to %s", ErrNotAllowed, subj, from, to, from, strings.Join(vocab.Names(next), ", "))
}

// rank orders statuses by how far they assert that something happened as
// alleged: the machine-only rule caps a subject at alleged.
func rank(status vocab.Status) int {
	switch status {
	case vocab.StatusCorroborated:
		return 1
	case vocab.StatusConfirmed:
		return 2
	}
	return 0
}

// lastInto returns the latest transition into status, or nil. A
// re-affirmation counts: whoever last judged the subject corroborated is the
// first reviewer a confirmation must differ from.
func lastInto(history []Transition, status vocab.Status) *Transition {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].To == status {
			return &history[i]
		}
	}
	return nil
}
