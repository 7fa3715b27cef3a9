package cli

import (
	"strings"
	"testing"
)

// A filter value that names nothing is an error listing what exists; codes
// match in any case.
func TestFilterValuesNameSomething(t *testing.T) {
	r := newReviewTeam(t)
	s := r.as(r.root)
	count := func(args ...string) int {
		t.Helper()
		out := s.want(0, nil, append(args, "--output", "json")...)
		return strings.Count(out, "\n")
	}

	s.want(1, []string{`unknown agreement "energy-moratorium": the store holds energy-moratorium-2025`}, "findings", "--agreement", "energy-moratorium")
	s.want(1, []string{"energy-moratorium-2025 has no version 9: it has "}, "findings", "--agreement", "energy-moratorium-2025", "--version", "9")
	s.want(1, []string{`unknown reading "XX": use one of RU, UA (the parties of energy-moratorium-2025)`},
		"findings", "--agreement", "energy-moratorium-2025", "--reading", "XX")
	s.want(1, []string{`unknown accused party "Russia": use one of RU, UA`}, "findings", "--accused", "Russia")
	s.want(2, []string{`unknown verdict "guilty": use one of candidate, ambiguous, excepted, near_miss`}, "findings", "--verdict", "guilty")
	if n, want := count("findings", "--reading", "ua"), count("findings", "--reading", "UA"); n != 1 || want != 1 {
		t.Errorf("--reading ua lists %d findings, --reading UA %d; want 1 each", n, want)
	}
	if n := count("findings", "--verdict", "CANDIDATE,Ambiguous", "--agreement", "energy-moratorium-2025"); n != 2 {
		t.Errorf("verdicts in capitals list %d findings, want 2", n)
	}

	// The record's filters: codes and text in any case, checked as the
	// API checks them.
	all := count("findings")
	if n := count("findings", "--status", "ALLEGED", "--kind", "STRIKE", "--country", "ua", "--from", "2025-01-01", "--to", "2026-01-01T00:00:00Z"); n == 0 || n > all {
		t.Errorf("findings by status, kind, country, time: %d of %d", n, all)
	}
	if n := count("findings", "--status", "refuted"); n != 0 {
		t.Errorf("--status refuted lists %d findings, none is", n)
	}
	s.want(2, []string{`unknown status "open": use one of alleged, corroborated`}, "findings", "--status", "open")
	s.want(2, []string{`--from="yesterday": want a date (2025-03-18) or an RFC 3339 time`}, "findings", "--from", "yesterday")
	s.want(1, []string{`unknown kind "drone": use one of `}, "findings", "--kind", "drone")
	s.want(1, []string{`admin-1 "KURSK" is not an ISO 3166-2 code`}, "findings", "--admin1", "Kursk")
	s.want(1, []string{`unknown agreement "nope"`}, "incident", "list", "--agreement", "nope")
	s.want(1, []string{`unknown party "XX": use one of RU, UA`}, "incident", "list", "--party", "XX")
	s.want(1, []string{`country "UKRAINE" is not an ISO 3166-1 code`}, "incident", "list", "--country", "Ukraine")
	s.want(0, nil, "incident", "list", "--agreement", "energy-moratorium-2025", "--party", "ru", "--admin1", "ua-14", "--from", "2025-03-01")

	s.want(2, []string{`unknown grade "strong": use one of confirmed, fair, weak, contested, discounted`}, "incident", "list", "--grade", "strong")
	s.want(2, []string{`unknown status "open": use one of alleged, corroborated`}, "incident", "list", "--status", "open")
	s.want(0, nil, "incident", "list", "--status", "ALLEGED", "--grade", "Weak")
	s.want(1, []string{`unknown agreement "nope"`}, "incident", "build", "--agreement", "nope")

	s.want(2, []string{`unknown type "findings": use one of finding, incident`}, "review", "list", "--type", "findings")
	s.want(2, []string{`unknown status "published"`}, "review", "list", "--status", "published")
	if got := subjects(r.reviewList(t, r.alice, "--type", "Finding", "--status", "Alleged")); got != r.subject(0)+" alleged, "+r.subject(1)+" alleged" {
		t.Errorf("review list in capitals: %q", got)
	}
	out := r.as(r.alice).want(0, nil, "review", "set", r.subject(0), "Corroborated", "--from", "ALLEGED", "--reason", "two outlets")
	if !strings.Contains(out, "alleged -> corroborated") {
		t.Errorf("review set in capitals: %q", out)
	}
}
