package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/truce-monitor/truce/internal/store"
)

// The audit log needs no token to read: whoever can read the database can
// read the log, so these use cases do not ask who the caller is.

// AuditReport is what verifying the log found.
type AuditReport struct {
	// Checked counts the entries found sound, up to the problem if any.
	Checked int64 `json:"checked"`
	// Head is the last entry checked: the log's head when it is intact
	// (seq 0: the log is empty).
	Head store.AuditAnchor `json:"head"`
	// Problem is the first bad entry, if any.
	Problem *store.AuditProblem `json:"problem,omitempty"`
	// State is the database checked against the log, if asked for.
	State *store.StateReport `json:"state,omitempty"`
}

// ErrAuditBroken: the audit log's chain is broken, or the database does not
// match it.
var ErrAuditBroken = errors.New("the audit log does not hold")

// Err is the report as an error: the first bad entry, or the state's
// mismatches; nil if all holds.
func (r *AuditReport) Err() error {
	if p := r.Problem; p != nil {
		return &Error{Kind: KindInternal, Err: auditBroken(fmt.Sprintf("audit log broken at entry %d: %s (the %d entries before it are sound)", p.Seq, p.What, r.Checked))}
	}
	if s := r.State; s != nil && len(s.Mismatches) > 0 {
		return &Error{Kind: KindInternal, Err: auditBroken(fmt.Sprintf("the database does not match the audit log: %d mismatches (of %d findings and incidents, %d users)",
			len(s.Mismatches), s.Subjects, s.Users))}
	}
	return nil
}

// auditBroken is an ErrAuditBroken that says its own message.
type auditBroken string

func (e auditBroken) Error() string { return string(e) }
func (e auditBroken) Unwrap() error { return ErrAuditBroken }

// VerifyAudit checks the log's hash chain, that it still holds every
// anchor given (heads kept outside the database), and with state, the
// database's review statuses and users against the log. What it finds
// is in the report; see AuditReport.Err.
func (a *App) VerifyAudit(ctx context.Context, anchors []store.AuditAnchor, state bool) (*AuditReport, error) {
	r, err := store.VerifyAudit(ctx, a.st, store.AuditVerifyOptions{Anchors: anchors})
	if err != nil {
		return nil, err
	}
	out := &AuditReport{Checked: r.Checked, Head: r.Head, Problem: r.Problem}
	if !state || out.Problem != nil {
		return out, nil
	}
	s, err := store.VerifyState(ctx, a.st)
	if err != nil {
		return nil, err
	}
	out.State = &s
	return out, nil
}

// ErrAuditEmpty: the audit log has no entries yet.
var ErrAuditEmpty = errors.New("the audit log is empty")

// AuditHead verifies the log and returns its last entry, to keep outside
// the database: a broken log has no head worth keeping, and fails as
// VerifyAudit reports it.
func (a *App) AuditHead(ctx context.Context) (store.AuditAnchor, error) {
	r, err := a.VerifyAudit(ctx, nil, false)
	if err != nil {
		return store.AuditAnchor{}, err
	}
	if err := r.Err(); err != nil {
		return store.AuditAnchor{}, err
	}
	if r.Head.Seq == 0 {
		return store.AuditAnchor{}, withKind(KindNotFound, fmt.Errorf("%w: nothing to keep yet", ErrAuditEmpty))
	}
	return r.Head, nil
}

// ErrPastEnd: a listing starts past the last entry of the log.
var ErrPastEnd = errors.New("past the end of the log")

// AuditEntries lists up to limit entries (0: all) with seq greater than
// after, oldest first. An after past the last entry is an ErrPastEnd.
// Listing does not verify.
func (a *App) AuditEntries(ctx context.Context, after int64, limit int) ([]AuditEntry, error) {
	if after < 0 || limit < 0 {
		return nil, errorf(KindInvalid, "after and limit must not be negative")
	}
	entries, err := a.st.ListAudit(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 && after > 0 {
		// Nothing after entry N is an answer only if there is an N.
		if at, err := a.st.ListAudit(ctx, after-1, 1); err != nil {
			return nil, err
		} else if len(at) == 0 {
			return nil, withKind(KindNotFound, fmt.Errorf("entry %d is %w", after, ErrPastEnd))
		}
	}
	return entries, nil
}
