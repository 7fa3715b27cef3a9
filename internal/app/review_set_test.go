package app_test

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// One step on many subjects: each its own, one refused does not stop the
// others; a request that names nothing, or subjects and a selection, or a
// revision for several, is invalid; a selection that matches nothing is
// not found.
func TestTransitionAll(t *testing.T) {
	sc := newScenario(t)
	a := sc.app("")
	var f vocab.Ref
	err := sc.st.ScanFindings(t.Context(), store.FindingFilter{}, func(r *store.FindingRecord) error {
		f = vocab.Ref{Kind: vocab.KindFinding, ID: r.ID}
		return nil
	})
	if err != nil || f.ID == 0 {
		t.Fatalf("the scenario's finding: %v", err)
	}
	missing := vocab.Ref{Kind: vocab.KindFinding, ID: f.ID + 100}
	step := app.Step{To: vocab.StatusCorroborated, Reason: "two sources", Seen: review.Seen{Status: vocab.StatusAlleged}}
	res, err := a.TransitionAll(t.Context(), []vocab.Ref{missing, f}, nil, step)
	if err != nil || len(res) != 2 {
		t.Fatalf("two subjects: %+v, %v", res, err)
	}
	if app.KindOf(res[0].Err) != app.KindNotFound || res[0].Transition != nil {
		t.Errorf("a subject not stored: %+v", res[0])
	}
	if res[1].Err != nil || res[1].Transition == nil || res[1].Transition.To != vocab.StatusCorroborated {
		t.Errorf("the finding: %+v", res[1])
	}
	sel := &app.SubjectSelection{AgreementID: "ag"}
	if _, err := a.TransitionAll(t.Context(), nil, sel, step); app.KindOf(err) != app.KindNotFound {
		t.Errorf("nothing alleged left to select: %v", err)
	}
	revision := review.Seen{Revision: 1, HasRevision: true}
	for _, c := range []struct {
		subjects []vocab.Ref
		sel      *app.SubjectSelection
		seen     review.Seen
		want     string
	}{
		{nil, nil, step.Seen, "name the subjects"},
		{[]vocab.Ref{f}, sel, step.Seen, "not both"},
		{[]vocab.Ref{f, missing}, nil, revision, "one subject's"},
		{nil, sel, revision, "one subject's"},
		{[]vocab.Ref{f}, nil, review.Seen{}, "say what you decided on"},
	} {
		s := step
		s.Seen = c.seen
		_, err := a.TransitionAll(t.Context(), c.subjects, c.sel, s)
		if app.KindOf(err) != app.KindInvalid || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %+v %v: %v, want invalid %q", c.subjects, c.sel, c.seen, err, c.want)
		}
	}
}
