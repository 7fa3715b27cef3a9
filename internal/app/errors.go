package app

import (
	"errors"
	"fmt"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
)

// Kind is what went wrong, in the terms an adapter answers with: the
// command line maps each to an exit status and a hint, the server to an
// HTTP status, each in one place.
type Kind int

const (
	// KindInternal: the store or the machine failed; nothing the caller did.
	KindInternal Kind = iota
	// KindInvalid: the input is wrong (a file, a field, a value); the
	// error says where.
	KindInvalid
	// KindNotFound: no such thing, or the caller may not see it.
	KindNotFound
	// KindConflict: the thing exists already or changed meanwhile.
	KindConflict
	// KindUnauthenticated: the store has users and the caller showed no
	// valid token.
	KindUnauthenticated
	// KindDenied: the caller's role may not do this, or the workflow's
	// rules refuse the step.
	KindDenied
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindDenied:
		return "denied"
	}
	return "internal"
}

// Error is an error of a known Kind. Use cases return it where the kind
// does not follow from the error they wrap.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// errorf returns an *Error of kind k with a formatted message (%w wraps).
func errorf(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Err: fmt.Errorf(format, args...)}
}

// withKind marks err as of kind k, keeping what it wraps.
func withKind(k Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err}
}

// ErrUnauthenticated: the store has users and no valid token was shown.
var ErrUnauthenticated = errors.New("no valid token")

// KindOf classifies err: an *Error says its kind; otherwise the sentinel
// errors of the store, auth and the review rules decide.
func KindOf(err error) Kind {
	var e *Error
	switch {
	case err == nil:
		return KindInternal
	case errors.As(err, &e):
		return e.Kind
	case errors.Is(err, ErrUnauthenticated):
		return KindUnauthenticated
	case errors.Is(err, store.ErrNotFound):
		return KindNotFound
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrVersionConflict), errors.Is(err, store.ErrExists):
		return KindConflict
	case errors.Is(err, auth.ErrDenied):
		return KindDenied
	case errors.Is(err, store.ErrInvalid):
		return KindInvalid
	case review.IsRuleError(err):
		return KindDenied
	}
	return KindInternal
}
