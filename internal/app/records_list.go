package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// RecordQuery narrows a records list. Zero fields select everything.
type RecordQuery struct {
	// Record is "event" or "claim" (required: the two are listed apart).
	Record string
	// From and To bound the record's start: From <= start < To.
	From, To time.Time
	Source   string
	// Kind selects the kind and narrower ones ("strike": strike.drone);
	// Category records with a target of the category or a narrower one.
	Kind, Category string
	// Country is ISO 3166-1: an event's, or any of a claim's places;
	// Admin1 ISO 3166-2 (UA-14) the same way. Both match in any case.
	Country, Admin1 string
	// Party is a party id: an event's actor's party, a claim's claimant or
	// accused.
	Party string
	// Text is words the record's text holds, in any case (any script).
	Text string
}

// RecordSummary is one line of a records list; Record has the whole.
type RecordSummary struct {
	Ref      vocab.Ref     `json:"ref"`
	Source   string        `json:"source"`
	SourceID string        `json:"source_id"`
	Time     event.Span    `json:"time"`
	Places   []event.Place `json:"places"`
	Kind     string        `json:"kind"`
	Targets  []string      `json:"targets"`
	Parties  []string      `json:"parties"`
	Text     string        `json:"text"`
}

// RecordPage is one page of a records list.
type RecordPage struct {
	Records []RecordSummary `json:"records"`
	Next    string          `json:"next,omitempty"`
}

// RecordsPage lists up to limit records q selects, after the cursor
// after, in time order, for an identified caller who sees unpublished
// items (records are the raw evidence, reviewed or not). The kind, category,
// country, admin-1 and time filters run in the store; the text and party ones on
// the rows it returns, so the text matches in any case in every script.
func (a *App) RecordsPage(ctx context.Context, q RecordQuery, after string, limit int) (RecordPage, error) {
	if _, err := a.Authorize(ctx, auth.ReadUnpublished); err != nil {
		return RecordPage{}, err
	}
	if limit == 0 {
		limit = DefaultPage
	}
	if limit < 1 || limit > MaxPage {
		return RecordPage{}, errorf(KindInvalid, "a page holds 1 to %d records, not %d", MaxPage, limit)
	}
	kind, err := KnownCode("record", q.Record, []vocab.Kind{vocab.KindEvent, vocab.KindClaim})
	if err != nil {
		return RecordPage{}, err
	}
	n := narrowing{from: q.From, to: q.To, source: q.Source, kind: q.Kind, category: q.Category, country: q.Country, admin1: q.Admin1}
	if err := n.check(); err != nil {
		return RecordPage{}, err
	}
	f := store.EventFilter{From: n.from, To: n.to, Source: n.source, Kind: n.kind, Category: n.category,
		Country: n.country, Admin1: n.admin1, NoRaw: true}
	if after != "" {
		c, err := parseCursor(after)
		if err != nil {
			return RecordPage{}, err
		}
		f.After = &c
	}
	page := RecordPage{Records: []RecordSummary{}}
	var last store.Cursor
	add := func(r RecordSummary) error {
		if !hasText(r.Text, q.Text) || (q.Party != "" && !containsFold(r.Parties, q.Party)) {
			return nil
		}
		if len(page.Records) == limit {
			page.Next = formatCursor(last)
			return errPageFull
		}
		page.Records = append(page.Records, r)
		last = store.Cursor{RecordTime: r.Time.Start, ID: r.Ref.ID}
		return nil
	}
	if kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { return add(eventSummary(e)) })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { return add(claimSummary(c)) })
	}
	if err != nil && !errors.Is(err, errPageFull) {
		return RecordPage{}, err
	}
	return page, nil
}

func eventSummary(e *event.Event) RecordSummary {
	r := RecordSummary{Ref: vocab.EventRef(e.ID), Source: e.Source, SourceID: e.SourceID, Time: e.Time,
		Places: []event.Place{e.Place}, Kind: e.Kind, Targets: terms(e.Targets), Text: e.Text, Parties: []string{}}
	for _, a := range e.Actors {
		if a.Party != "" && !containsFold(r.Parties, a.Party) {
			r.Parties = append(r.Parties, a.Party)
		}
	}
	return r
}

func claimSummary(c *event.Claim) RecordSummary {
	r := RecordSummary{Ref: vocab.ClaimRef(c.ID), Source: c.Source, SourceID: c.SourceID, Time: c.Time,
		Places: c.Places, Kind: c.Kind, Targets: terms(c.Targets), Text: c.Text, Parties: []string{}}
	for _, p := range []string{c.Claimant, c.Accused} {
		if p != "" && !containsFold(r.Parties, p) {
			r.Parties = append(r.Parties, p)
		}
	}
	if r.Places == nil {
		r.Places = []event.Place{}
	}
	return r
}

func terms(rs []event.Reason) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Term)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
