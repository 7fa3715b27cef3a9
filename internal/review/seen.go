package review

import (
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Seen is the state of a subject its reviewer decided on: a step applies
// only while the subject is still so. The CLI gives it with --from and
// --revision; the HTTP API's If-Match carries the revision.
type Seen struct {
	Status vocab.Status // the status seen; "" if not given
	// Revision is the review revision seen ('truce review show'), if
	// HasRevision: the count of steps taken so far.
	Revision    int
	HasRevision bool
}

func (s Seen) String() string {
	var parts []string
	if s.Status != "" {
		parts = append(parts, string(s.Status))
	}
	if s.HasRevision {
		parts = append(parts, fmt.Sprintf("revision %d", s.Revision))
	}
	return strings.Join(parts, " at ")
}

// Given reports whether the step says what its author saw at all.
func (s Seen) Given() bool { return s.Status != "" || s.HasRevision }

// Matches reports whether st is still as seen.
func (s Seen) Matches(st State) bool {
	return (s.Status == "" || s.Status == st.Status) && (!s.HasRevision || s.Revision == st.Revision)
}

// ErrUnseen means a step did not say what its author saw: without that, a
// step could land on a decision its author never saw.
var ErrUnseen = errors.New("say what you decided on: the status you saw (and/or its revision)")

// CanSee reports whether u may see a subject with this status and review
// flag: published subjects are public, the rest only for roles that may
// read unpublished items.
func CanSee(u auth.User, status vocab.Status, needsReview bool) bool {
	return Published(status, needsReview) || auth.Allow(u, auth.ReadUnpublished) == nil
}
