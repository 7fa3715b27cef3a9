package review

import (
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/vocab"
)

// state builds a review state: status, flagged, evidence count, machine-only,
// and the history as "by:from>to" steps.
func state(status vocab.Status, flagged bool, evidence int, machine bool, steps ...string) State {
	st := State{Subject: vocab.Ref{Kind: vocab.KindFinding, ID: 7}, Status: status, NeedsReview: flagged, MachineOnly: machine}
	for _, s := range steps {
		by, move, _ := strings.Cut(s, ":")
		from, to, _ := strings.Cut(move, ">")
		st.History = append(st.History, Transition{By: by, From: vocab.Status(from), To: vocab.Status(to)})
	}
	st.Revision = len(st.History)
	for range evidence {
		st.Evidence = append(st.Evidence, EvidenceItem{ID: 1})
	}
	return st
}

func TestCheck(t *testing.T) {
	const (
		al  = vocab.StatusAlleged
		co  = vocab.StatusCorroborated
		cf  = vocab.StatusConfirmed
		rf  = vocab.StatusRefuted
		inc = vocab.StatusInconclusive
		na  = vocab.StatusNotAttributable
	)
	corroborated := state(co, false, 0, false, "alice:alleged>corroborated")
	tests := []struct {
		name    string
		st      State
		by      string
		to      vocab.Status
		reason  string
		want    error
		message string // part of the error
	}{
		// The graph.
		{"alleged to corroborated", state(al, false, 0, false), "alice", co, "r", nil, ""},
		{"alleged to inconclusive", state(al, false, 0, false), "alice", inc, "r", nil, ""},
		{"alleged to not attributable", state(al, false, 0, false), "alice", na, "r", nil, ""},
		{"alleged to refuted with evidence", state(al, false, 1, false), "alice", rf, "r", nil, ""},
		{"alleged straight to confirmed", state(al, false, 0, false), "alice", cf, "r", ErrNotAllowed, "only a corroborated subject can be confirmed"},
		{"corroborated back to alleged", corroborated, "bob", al, "r", nil, ""},
		{"corroborated to inconclusive", corroborated, "alice", inc, "r", nil, ""},
		{"final reopened to alleged", state(inc, false, 0, false), "alice", al, "r", nil, ""},
		{"final reopened to corroborated", state(na, false, 0, false), "alice", co, "r", nil, ""},
		{"final to another final", state(inc, false, 0, false), "alice", na, "r", ErrNotAllowed, "from inconclusive it can go to alleged, corroborated"},
		{"refuted to confirmed", state(rf, false, 1, false), "bob", cf, "r", ErrNotAllowed, "set it corroborated first"},
		{"unknown stored status", state("dunno", false, 0, false), "alice", co, "r", ErrNotAllowed, "does not know"},
		{"same status unflagged", state(inc, false, 0, false), "alice", inc, "r", ErrUnchanged, "already inconclusive and not flagged"},
		{"same status flagged: re-affirmed", state(inc, true, 0, false), "alice", inc, "r", nil, ""},
		{"alleged re-affirmed when flagged", state(al, true, 0, false), "alice", al, "r", nil, ""},
		// Reasons and statuses.
		{"no reason", state(al, false, 0, false), "alice", co, "", ErrNoReason, "say why finding/7 should be corroborated"},
		{"blank reason", state(al, false, 0, false), "alice", co, " \t", ErrNoReason, ""},
		{"unknown status", state(al, false, 0, false), "alice", "verified", "r", ErrUnknownStatus, `"verified": use one of alleged, corroborated`},
		// A second reviewer.
		{"confirmed by the corroborator", corroborated, "alice", cf, "r", ErrSecondReviewer, "confirming needs a second reviewer: alice moved it to corroborated"},
		{"confirmed by another", corroborated, "bob", cf, "r", nil, ""},
		{"the latest corroborator counts", state(co, false, 0, false, "alice:alleged>corroborated", "bob:corroborated>alleged", "bob:alleged>corroborated"),
			"bob", cf, "r", ErrSecondReviewer, "bob moved it"},
		{"earlier corroborator may confirm", state(co, false, 0, false, "alice:alleged>corroborated", "bob:corroborated>alleged", "bob:alleged>corroborated"),
			"alice", cf, "r", nil, ""},
		{"a re-affirmation counts", state(co, true, 0, false, "alice:alleged>corroborated", "bob:corroborated>corroborated"),
			"bob", cf, "r", ErrSecondReviewer, "bob moved it"},
		{"re-affirming confirmed needs a second reviewer too", state(cf, true, 0, false, "alice:alleged>corroborated", "bob:corroborated>confirmed"),
			"alice", cf, "r", ErrSecondReviewer, ""},
		{"corroborated with no recorded step", state(co, false, 0, false), "bob", cf, "r", ErrSecondReviewer, "no one is recorded"},
		// Evidence for refuted.
		{"refuted without evidence", corroborated, "bob", rf, "r", ErrNeedsEvidence, "finding/7 has none standing"},
		{"refuted re-affirmed without evidence", state(rf, true, 0, false), "bob", rf, "r", ErrNeedsEvidence, ""},
		{"refuted with evidence", state(co, false, 2, false, "alice:alleged>corroborated"), "alice", rf, "r", nil, ""},
		// Machine-coded sources are leads only.
		{"machine-only corroborated", state(al, false, 0, true), "alice", co, "r", ErrMachineOnly, "stays alleged until evidence is added"},
		{"machine-only with evidence", state(al, false, 1, true), "alice", co, "r", nil, ""},
		{"machine-only may be judged inconclusive", state(al, false, 0, true), "alice", inc, "r", nil, ""},
		{"machine-only may stay alleged", state(al, true, 0, true), "alice", al, "r", nil, ""},
		{"machine-only reopened to corroborated", state(inc, false, 0, true), "alice", co, "r", ErrMachineOnly, ""},
		{"machine-only confirmed", state(co, false, 0, true, "alice:alleged>corroborated"), "bob", cf, "r", ErrMachineOnly, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.st, tt.by, tt.to, tt.reason)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("error %v, want %v", err, tt.want)
			case tt.want != nil && !strings.Contains(err.Error(), tt.message):
				t.Errorf("error %q does not say %q", err, tt.message)
			}
		})
	}
}

// Every error is one rule's: a test for each sentinel ensures none matches
// another's.
func TestRuleErrorsDistinct(t *testing.T) {
	errs := []error{ErrUnknownStatus, ErrNoReason, ErrNotAllowed, ErrUnchanged, ErrSecondReviewer, ErrNeedsEvidence, ErrMachineOnly}
	for i, a := range errs {
		for j, b := range errs {
			if i != j && (errors.Is(a, b) || a.Error() == b.Error()) {
				t.Errorf("%v and %v are not distinct", a, b)
			}
		}
	}
}

func TestPublished(t *testing.T) {
	for _, tt := range []struct {
		status  vocab.Status
		flagged bool
		want    bool
	}{
		{vocab.StatusAlleged, false, false},
		{vocab.StatusCorroborated, false, false},
		{vocab.StatusConfirmed, false, true},
		{vocab.StatusConfirmed, true, false},
		{vocab.StatusRefuted, false, true},
		{vocab.StatusInconclusive, false, true},
		{vocab.StatusNotAttributable, false, true},
		{vocab.StatusNotAttributable, true, false},
	} {
		if got := Published(tt.status, tt.flagged); got != tt.want {
			t.Errorf("Published(%s, flagged %v) = %v", tt.status, tt.flagged, got)
		}
	}
}

// Next agrees with Check: every status Next offers passes the graph.
func TestNextAgreesWithCheck(t *testing.T) {
	for _, from := range vocab.Statuses() {
		for _, to := range vocab.Statuses() {
			st := state(from, false, 1, false, "alice:alleged>corroborated")
			err := Check(st, "bob", to, "r")
			offered := false
			for _, n := range Next(from) {
				offered = offered || n == to
			}
			if offered != (err == nil) {
				t.Errorf("%s -> %s: offered %v, Check says %v", from, to, offered, err)
			}
		}
	}
}
