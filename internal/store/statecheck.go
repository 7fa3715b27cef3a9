package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/vocab"
)

// SubjectStatus is a finding's or an incident's review status as stored.
type SubjectStatus struct {
	Subject  vocab.Ref
	Status   vocab.Status
	Revision int // steps taken, as review_revision counts them
}

// StateSource is what VerifyState reads: the log, and the state it
// accounts for.
type StateSource interface {
	ListAudit(ctx context.Context, afterSeq int64, limit int) ([]AuditEntry, error)
	// ScanReviewStatuses calls fn with every finding's and incident's
	// review status, findings first, by id.
	ScanReviewStatuses(ctx context.Context, fn func(SubjectStatus) error) error
	ListUsers(ctx context.Context) ([]auth.User, error)
}

// StateMismatch is one thing the database says otherwise than the log.
type StateMismatch struct {
	What    string `json:"what"` // "finding/12", "user/ada"
	Problem string `json:"problem"`
}

func (m StateMismatch) String() string { return m.What + ": " + m.Problem }

// StateReport is what VerifyState found.
type StateReport struct {
	Subjects, Users int // how many were checked
	Steps           int // review steps replayed from the log
	Mismatches      []StateMismatch
}

// replayed is a subject or user as the log leaves it.
type replayed struct {
	status   vocab.Status // a subject's status; "" until a step
	steps    int
	role     vocab.Role // a user's
	disabled bool
	seq      int64 // the entry that set it last
	action   string
	by       string
	seen     bool // found in the database too
}

// VerifyState replays the log and checks the database against it: every
// finding's and incident's review status and revision against the review
// steps logged for it (none: alleged, revision 0), and every user's role
// and enabled flag against user.add, user.disable and user.enable. A value
// edited in the database past truce (UPDATE findings SET status = ...)
// shows as a mismatch naming the subject or user, what the database says
// and what the log says. Verify the log's chain first (VerifyAudit): a
// replay of a tampered log proves nothing.
//
// The error is for failures to read; a mismatch is in the report.
func VerifyState(ctx context.Context, s StateSource) (StateReport, error) {
	var r StateReport
	subjects, users := map[string]*replayed{}, map[string]*replayed{}
	fail := func(err error) (StateReport, error) {
		return r, fmt.Errorf("verify state against the audit log: %w", err)
	}
	const page = 1000
	for after := int64(0); ; {
		entries, err := s.ListAudit(ctx, after, page)
		if err != nil {
			return fail(err)
		}
		for _, e := range entries {
			if err := replay(e, subjects, users); err != nil {
				r.Mismatches = append(r.Mismatches, StateMismatch{What: e.Subject, Problem: fmt.Sprintf("audit entry %d: %v", e.Seq, err)})
			}
			if e.Action == "review.transition" {
				r.Steps++
			}
			after = e.Seq
		}
		if len(entries) < page {
			break
		}
	}

	err := s.ScanReviewStatuses(ctx, func(st SubjectStatus) error {
		r.Subjects++
		what := st.Subject.String()
		want := subjects[what]
		if want == nil {
			want = &replayed{status: vocab.StatusAlleged}
		} else {
			want.seen = true
		}
		switch {
		case st.Status != want.status:
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: fmt.Sprintf(
				"status %s in the database, but the log says %s (%s): edited in the database?", st.Status, want.status, want.because("never reviewed"))})
		case st.Revision != want.steps:
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: fmt.Sprintf(
				"revision %d in the database, but the log has %d review steps on it: edited in the database?", st.Revision, want.steps)})
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	stored, err := s.ListUsers(ctx)
	if err != nil {
		return fail(err)
	}
	for _, u := range stored {
		r.Users++
		what := "user/" + u.Name
		want := users[u.Name]
		switch {
		case want == nil:
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: "in the database, but the log never added this user: inserted in the database?"})
			continue
		case u.Role != want.role:
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: fmt.Sprintf(
				"role %s in the database, but the log says %s (%s): edited in the database?", u.Role, want.role, want.because(""))})
		case u.Disabled != want.disabled:
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: fmt.Sprintf(
				"%s in the database, but the log says %s (%s): edited in the database?", enabled(u.Disabled), enabled(want.disabled), want.because(""))})
		}
		want.seen = true
	}
	// What the log has and the database lost.
	for _, what := range slices.Sorted(maps.Keys(subjects)) {
		if want := subjects[what]; !want.seen {
			r.Mismatches = append(r.Mismatches, StateMismatch{What: what, Problem: fmt.Sprintf(
				"the log has %d review steps on it (the last in entry %d), but the database has no such subject: deleted in the database?", want.steps, want.seq)})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(users)) {
		if want := users[name]; !want.seen {
			r.Mismatches = append(r.Mismatches, StateMismatch{What: "user/" + name, Problem: fmt.Sprintf(
				"the log added this user (entry %d), but the database has no such user: deleted in the database?", want.seq)})
		}
	}
	return r, nil
}

func enabled(disabled bool) string {
	if disabled {
		return "disabled"
	}
	return "enabled"
}

// because names the entry that set r last.
func (r *replayed) because(none string) string {
	if r.seq == 0 {
		return none
	}
	return fmt.Sprintf("entry %d, %s by %s", r.seq, r.action, r.by)
}

// replay applies one entry to what the log says so far.
func replay(e AuditEntry, subjects, users map[string]*replayed) error {
	var d struct {
		From, To vocab.Status
		Role     vocab.Role
		Disabled bool
	}
	switch e.Action {
	case "review.transition", "user.add":
		if err := json.Unmarshal(e.Detail, &d); err != nil {
			return fmt.Errorf("%s detail: %w", e.Action, err)
		}
	}
	switch e.Action {
	case "review.transition":
		if _, err := vocab.ParseSubject(e.Subject); err != nil {
			return err
		}
		r := subjects[e.Subject]
		if r == nil {
			r = &replayed{status: vocab.StatusAlleged}
			subjects[e.Subject] = r
		}
		if d.From != r.status {
			// Each step is compare-and-set on the status before it.
			return fmt.Errorf("a step from %s, but the log had it %s", d.From, r.status)
		}
		r.status, r.steps, r.seq, r.action, r.by = d.To, r.steps+1, e.Seq, fmt.Sprintf("%s -> %s", d.From, d.To), e.Actor
	case "user.add", "user.disable", "user.enable":
		name, ok := strings.CutPrefix(e.Subject, "user/")
		if !ok {
			return fmt.Errorf("%s of %q, not user/NAME", e.Action, e.Subject)
		}
		r := users[name]
		switch {
		case e.Action == "user.add" && r != nil:
			return fmt.Errorf("user %s added again (first in entry %d)", name, r.seq)
		case e.Action == "user.add":
			users[name] = &replayed{role: d.Role, disabled: d.Disabled, seq: e.Seq, action: e.Action, by: e.Actor}
		case r == nil:
			return fmt.Errorf("%s of a user the log never added", e.Action)
		default:
			r.disabled, r.seq, r.action, r.by = e.Action == "user.disable", e.Seq, e.Action, e.Actor
		}
	}
	return nil
}
