// Package vocab holds the words truce's records are written in, as types:
// review statuses, corroboration grades, user roles, the roles of an
// incident's members, match verdicts, and references to stored things
// with one spelling ("event/12", "claim/7#2", "finding/3", "incident/4").
// It is a leaf: every layer may import it, and it imports nothing of
// truce's.
package vocab

import (
	"fmt"
	"slices"
	"strings"
)

// Status is where a finding or an incident stands in the review.
type Status string

// Review statuses.
const (
	StatusAlleged         Status = "alleged"
	StatusCorroborated    Status = "corroborated"
	StatusConfirmed       Status = "confirmed"
	StatusRefuted         Status = "refuted"
	StatusInconclusive    Status = "inconclusive"
	StatusNotAttributable Status = "not_attributable"
)

// Statuses returns every status, in workflow order.
func Statuses() []Status {
	return []Status{StatusAlleged, StatusCorroborated, StatusConfirmed, StatusRefuted, StatusInconclusive, StatusNotAttributable}
}

// Final reports whether s is a verdict: confirmed, refuted, inconclusive or
// not attributable.
func (s Status) Final() bool {
	return s == StatusConfirmed || s == StatusRefuted || s == StatusInconclusive || s == StatusNotAttributable
}

// Grade is how well an incident is corroborated, in the spirit of Airwars'
// grades.
type Grade string

// Grades.
const (
	GradeConfirmed  Grade = "confirmed"
	GradeFair       Grade = "fair"
	GradeWeak       Grade = "weak"
	GradeContested  Grade = "contested"
	GradeDiscounted Grade = "discounted"
)

// Grades returns every grade, strongest first.
func Grades() []Grade {
	return []Grade{GradeConfirmed, GradeFair, GradeWeak, GradeContested, GradeDiscounted}
}

// Role is what a user is trusted with.
type Role string

// Roles, from most to least trusted.
const (
	RoleAdmin   Role = "admin"   // manages users; may do everything
	RoleMonitor Role = "monitor" // reviews: moves findings and incidents through the workflow
	RoleAnalyst Role = "analyst" // imports, evaluates, proposes: evidence, incident joins and splits
	RoleViewer  Role = "viewer"  // reads published items only
)

// Roles returns every role, most trusted first.
func Roles() []Role { return []Role{RoleAdmin, RoleMonitor, RoleAnalyst, RoleViewer} }

// MemberRole is what a record is to the incident it belongs to.
type MemberRole string

// Member roles.
const (
	MemberReport MemberRole = "report" // an event in a dataset
	MemberClaim  MemberRole = "claim"  // an allegation or count by a party or outlet
	MemberDenial MemberRole = "denial" // a claim that answers (denies) a member claim
)

// Verdict is what matching concluded for one (agreement, reading,
// commitment, accused party) on a record.
type Verdict string

// Verdicts.
const (
	VerdictCandidate Verdict = "candidate"
	VerdictAmbiguous Verdict = "ambiguous"
	VerdictExcepted  Verdict = "excepted"
	VerdictNearMiss  Verdict = "near_miss"
)

// Verdicts returns every verdict.
func Verdicts() []Verdict {
	return []Verdict{VerdictCandidate, VerdictAmbiguous, VerdictExcepted, VerdictNearMiss}
}

// Parse returns the word of T spelled s, if it is one of all, or an error
// listing them: how a flag or a query parameter becomes a word.
func Parse[T ~string](what, s string, all []T) (T, error) {
	if slices.Contains(all, T(s)) {
		return T(s), nil
	}
	names := make([]string, len(all))
	for i, w := range all {
		names[i] = string(w)
	}
	return "", fmt.Errorf("unknown %s %q: use one of %s", what, s, strings.Join(names, ", "))
}

// Names spells words as strings, for messages and SQL arguments.
func Names[T ~string](ws []T) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}
