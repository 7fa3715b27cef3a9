package storetest

import (
	"context"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// reviewer takes review steps and adds evidence on a store through the
// application layer (internal/app), acting for users by name: each user
// gets a token of their own the first time they act. A name that is no
// user acts with a token of no one.
type reviewer struct {
	t      *testing.T
	s      store.Store
	tokens map[string]string
}

func newReviewer(t *testing.T, s store.Store) *reviewer {
	return &reviewer{t: t, s: s, tokens: map[string]string{}}
}

// as is the App acting for the user name.
func (r *reviewer) as(ctx context.Context, name string) *app.App {
	r.t.Helper()
	token, ok := r.tokens[name]
	if !ok {
		var err error
		if token, err = auth.NewToken(); err != nil {
			r.t.Fatal(err)
		}
		if _, err := r.s.GetUser(ctx, name); err == nil {
			if _, err := r.s.AddToken(ctx, auth.APIToken{User: name, Label: "storetest", Hash: auth.HashToken(token)}, "setup"); err != nil {
				r.t.Fatal(err)
			}
		}
		if name == "" {
			token = ""
		}
		r.tokens[name] = token
	}
	return app.New(r.s, app.Options{}).As(token)
}

// on is r on another connection to the same database, with the same
// tokens: give every user their token on r first, as on does not add any.
func (r *reviewer) on(s store.Store) *reviewer { return &reviewer{t: r.t, s: s, tokens: r.tokens} }

func (r *reviewer) Transition(ctx context.Context, by string, subj vocab.Ref, to vocab.Status, reason string, seen review.Seen, accept bool) (review.Transition, error) {
	res, err := r.as(ctx, by).Transition(ctx, subj, app.Step{To: to, Reason: reason, Seen: seen, AcceptRelease: accept})
	if err != nil {
		return review.Transition{}, err
	}
	return review.Transition(*res.Transition), nil
}

func (r *reviewer) AddEvidence(ctx context.Context, by string, item review.EvidenceItem, content []byte) (review.EvidenceItem, error) {
	var file func() ([]byte, error)
	if content != nil {
		file = func() ([]byte, error) { return content, nil }
	}
	e, err := r.as(ctx, by).AddEvidence(ctx, app.NewEvidence{Item: item, File: file})
	return review.EvidenceItem(e), err
}
