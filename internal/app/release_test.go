package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// moratorium is the bundled energy moratorium (RU, UA; the other side may
// withdraw), with release as its release kind.
func moratorium(t *testing.T, release agreement.ReleaseKind) []byte {
	t.Helper()
	b, err := os.ReadFile("../../examples/agreements/energy-moratorium-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ag, err := agreement.Parse("energy-moratorium-2025.yaml", bytes.Replace(b, []byte("kind: counterparty_may_withdraw"), []byte("kind: "+release), 1))
	if err != nil {
		t.Fatal(err)
	}
	n, err := ag.Normalize("")
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A confirmation that would release a party is refused unless its author
// accepts the release on the same call; the refusal names the finding,
// the party, whom it releases and since when (the act's time).
func TestConfirmReleases(t *testing.T) {
	ctx := context.Background()
	subj := vocab.Ref{Kind: vocab.KindFinding, ID: 12}
	act := time.Date(2025, 3, 18, 17, 50, 0, 0, time.UTC)
	f := &fakeStore{
		st: review.State{Subject: subj, Status: vocab.StatusCorroborated, Revision: 1,
			History: []review.Transition{{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "mona"}}},
		users:      map[string]auth.User{"max": {Name: "max", Role: vocab.RoleMonitor}},
		violations: []review.ConfirmedViolation{{AgreementID: "energy-moratorium-2025", Party: "RU", At: act, FindingID: 12}},
		agreements: map[string][]byte{"energy-moratorium-2025": moratorium(t, agreement.ReleaseCounterpartyMayWithdraw)},
	}
	seen := review.Seen{Status: vocab.StatusCorroborated}
	_, err := f.transition(ctx, "max", subj, vocab.StatusConfirmed, "geolocated", seen, false)
	var rel *review.ReleaseError
	if !errors.As(err, &rel) || len(f.applied) != 0 {
		t.Fatalf("confirm without accepting the release: err %v, applied %v", err, f.applied)
	}
	for _, w := range []string{"finding/12", "RU in confirmed violation of energy-moratorium-2025 since 2025-03-18T17:50:00Z", "UA may consider itself released", "accept the release"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("release error lacks %q: %v", w, err)
		}
	}
	if _, err := f.transition(ctx, "max", subj, vocab.StatusConfirmed, "geolocated", seen, true); err != nil || len(f.applied) != 1 {
		t.Fatalf("accepted: err %v, applied %v", err, f.applied)
	}

	// Nothing to release: an earlier standing violation of the party, or
	// no release rule.
	f.applied = nil
	f.standing = []review.ConfirmedViolation{{Party: "RU", At: act.Add(-time.Hour), FindingID: 3}}
	if _, err := f.transition(ctx, "max", subj, vocab.StatusConfirmed, "geolocated", seen, false); err != nil {
		t.Errorf("RU released UA earlier already: %v", err)
	}
	f.standing = nil
	f.agreements["energy-moratorium-2025"] = moratorium(t, agreement.ReleaseNone)
	if _, err := f.transition(ctx, "max", subj, vocab.StatusConfirmed, "geolocated", seen, false); err != nil {
		t.Errorf("no release rule: %v", err)
	}
}
