package app

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Finding is the view of one finding: the match result with its
// explanation, the record as now stored, and (Stored) the finding's id and
// review state. 'truce findings --output json' prints it a line each, and
// 'truce check' the same without Stored.
type Finding = report.Finding

// FindingQuery selects findings. Zero fields select the standing findings
// of the latest evaluated version of every agreement.
type FindingQuery struct {
	// Agreement is an agreement id, exactly as stored; Version one of its
	// versions (0: the latest evaluated), and needs Agreement.
	Agreement string
	Version   int
	// Reading and Accused are party ids of the agreement (of any stored
	// agreement without one), in any case.
	Reading, Accused string
	// Verdicts, in any case.
	Verdicts    []string
	NeedsReview bool // only findings flagged for review
	Withdrawn   bool // withdrawn findings too
	// Statuses are review statuses, in any case.
	Statuses []string
	// What the finding's record is, as a records list (RecordQuery) takes
	// it: From <= record time < To, and so on; Text in any case.
	From, To                                      time.Time
	Source, Kind, Category, Country, Admin1, Text string
}

// Findings calls each with the findings q selects, in the time order of
// their records, streaming. A filter that names nothing is an error, not
// an empty answer: an agreement or version not stored (KindNotFound), a
// party or verdict that is not one (KindInvalid, listing those there
// are), a status, kind, category, country or admin-1 that is none, an
// empty time range (KindInvalid). The text filter runs on the rows the
// store returns, the others in the store. Reading findings needs no token.
func (a *App) Findings(ctx context.Context, q FindingQuery, each func(*Finding) error) error {
	filter, err := a.findingFilter(ctx, q)
	if err != nil {
		return err
	}
	say := a.sentences()
	return a.st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		if !hasText(fr.Subject.Text, q.Text) {
			return nil
		}
		f, err := findingView(fr)
		if err != nil {
			return err
		}
		say.say(ctx, &f)
		return each(&f)
	})
}

// FindingsSeen is Findings for an identified caller: a viewer gets the
// published findings only, as from FindingsPage; what an export streams.
func (a *App) FindingsSeen(ctx context.Context, q FindingQuery, each func(*Finding) error) error {
	who, err := a.Who(ctx)
	if err != nil {
		return err
	}
	return a.Findings(ctx, q, func(f *Finding) error {
		if f.Stored != nil && !who.sees(f.Stored.Status, f.Stored.NeedsReview) {
			return nil
		}
		return each(f)
	})
}

// findingFilter checks q and turns it into the store's filter.
func (a *App) findingFilter(ctx context.Context, q FindingQuery) (store.FindingFilter, error) {
	verdicts, err := KnownCodes("verdict", q.Verdicts, vocab.Verdicts())
	if err != nil {
		return store.FindingFilter{}, err
	}
	if q.Version != 0 && q.Agreement == "" {
		return store.FindingFilter{}, errorf(KindInvalid, "a version needs an agreement")
	}
	statuses, err := KnownCodes("status", q.Statuses, vocab.Statuses())
	if err != nil {
		return store.FindingFilter{}, err
	}
	n := narrowing{from: q.From, to: q.To, source: q.Source, kind: q.Kind, category: q.Category, country: q.Country, admin1: q.Admin1}
	if err := n.check(); err != nil {
		return store.FindingFilter{}, err
	}
	if err := a.agreementFilter(ctx, q.Agreement, q.Version, map[string]*string{"reading": &q.Reading, "accused party": &q.Accused}); err != nil {
		return store.FindingFilter{}, err
	}
	return store.FindingFilter{
		AgreementID: q.Agreement, Version: q.Version, Reading: q.Reading, Verdicts: verdicts,
		Accused: q.Accused, NeedsReview: q.NeedsReview, IncludeWithdrawn: q.Withdrawn, Statuses: statuses,
		From: n.from, To: n.to, Source: n.source, Kind: n.kind, Category: n.category, Country: n.country, Admin1: n.admin1,
	}, nil
}

// FindingPage is one page of a findings list.
type FindingPage struct {
	Findings []Finding `json:"findings"`
	// Next is the cursor of the next page ("" after the last): give it
	// back as the page's after.
	Next string `json:"next,omitempty"`
}

// Page sizes: DefaultPage when none is asked, MaxPage at most.
const (
	DefaultPage = 100
	MaxPage     = 1000
)

// FindingsPage returns up to limit findings that q selects, after the
// cursor after ("" for the first page): a long list read a page at a time,
// each page one index seek however deep it is. Unlike Findings (the
// command line's, for whoever holds the database) it is for an identified
// caller, and a viewer sees published findings only.
func (a *App) FindingsPage(ctx context.Context, q FindingQuery, after string, limit int) (FindingPage, error) {
	who, err := a.Who(ctx)
	if err != nil {
		return FindingPage{}, err
	}
	if limit == 0 {
		limit = DefaultPage
	}
	if limit < 1 || limit > MaxPage {
		return FindingPage{}, errorf(KindInvalid, "a page holds 1 to %d findings, not %d", MaxPage, limit)
	}
	// The stamp is read before the page: a page kept under it is then at
	// least as new as the data the stamp stands for.
	stamp := a.changeStamp(ctx)
	key := pageKey(q, after, limit, who.SeesUnpublished())
	if stamp != "" {
		if page, ok := a.pages.get(key, stamp); ok {
			return page, nil
		}
	}
	page, whole, err := a.findingsPage(ctx, who, q, after, limit)
	if err == nil && whole && stamp != "" {
		a.pages.put(key, stamp, page)
	}
	return page, err
}

// findingsPage reads a page of FindingsPage from the store; whole is
// false when a finding of it could not be given its sentence.
func (a *App) findingsPage(ctx context.Context, who Actor, q FindingQuery, after string, limit int) (page FindingPage, whole bool, err error) {
	filter, err := a.findingFilter(ctx, q)
	if err != nil {
		return FindingPage{}, false, err
	}
	if after != "" {
		c, err := parseCursor(after)
		if err != nil {
			return FindingPage{}, false, err
		}
		filter.After = &c
	}
	// One more than the page, to know there is a next one.
	filter.PageSize = limit + 1
	page = FindingPage{Findings: []Finding{}}
	say := a.sentences()
	var last store.Cursor
	err = a.st.ScanFindings(ctx, filter, func(fr *store.FindingRecord) error {
		if !who.sees(fr.Status, fr.NeedsReview) || !hasText(fr.Subject.Text, q.Text) {
			return nil
		}
		if len(page.Findings) == limit {
			page.Next = formatCursor(last)
			return errPageFull
		}
		f, err := findingView(fr)
		if err != nil {
			return err
		}
		say.say(ctx, &f)
		page.Findings = append(page.Findings, f)
		last = store.Cursor{RecordTime: fr.RecordTime, ID: fr.ID}
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return FindingPage{}, false, err
	}
	return page, !say.failed, nil
}

// errPageFull stops a scan once a page is full.
var errPageFull = errors.New("page full")

// A cursor is a finding's place in the list's order, opaque to clients:
// base64url of "UNIXNANO.ID".
func formatCursor(c store.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.RecordTime.UnixNano(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

func parseCursor(s string) (store.Cursor, error) {
	bad := errorf(KindInvalid, "%q is not a cursor of this list: give back a next value as it came", s)
	if len(s) > 64 {
		return store.Cursor{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.Cursor{}, bad
	}
	ns, id, ok := strings.Cut(string(b), ".")
	n, err1 := strconv.ParseInt(ns, 10, 64)
	i, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || i <= 0 {
		return store.Cursor{}, bad
	}
	return store.Cursor{RecordTime: time.Unix(0, n).UTC(), ID: i}, nil
}

// Releases returns the standing releases under agreementID (every stored
// agreement if ""): which confirmed finding put which party in violation
// since when, and whom that releases. Reading them needs no token.
func (a *App) Releases(ctx context.Context, agreementID string) ([]review.Release, error) {
	ids := []string{agreementID}
	if agreementID == "" {
		vs, err := a.st.ListAgreements(ctx)
		if err != nil {
			return nil, err
		}
		ids = ids[:0]
		for _, v := range vs {
			ids = append(ids, v.AgreementID)
		}
	}
	var out []review.Release
	for _, id := range ids {
		rs, err := a.AgreementReleases(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// storedExplanation is how a finding's checks and notes are stored.
type storedExplanation struct {
	Checks []match.Check `json:"checks"`
	Notes  []string      `json:"notes,omitempty"`
}

// findingView is a stored finding as its view.
func findingView(fr *store.FindingRecord) (Finding, error) {
	// encoding/json/v2's decoder (not yet in the standard library without
	// GOEXPERIMENT): a page of a findings list decodes an explanation a
	// finding, and v1 took a third of the page's time; v2 takes a quarter
	// of v1's. What truce wrote, it reads alike either way.
	var ex storedExplanation
	if err := jsonv2.Unmarshal(fr.Explanation, &ex); err != nil {
		return Finding{}, fmt.Errorf("finding %d: explanation: %w", fr.ID, err)
	}
	sub := &fr.Subject
	f := Finding{
		Result: match.Result{
			AgreementID: fr.AgreementID, Version: fr.AgreementVersion, Reading: fr.Reading, CommitmentID: fr.CommitmentID,
			Part: fr.Part, Accused: fr.Accused, Claimant: fr.Claimant, Verdict: match.Verdict(fr.Verdict), Time: match.Position(fr.TimePosition),
			Category: fr.Category, Failed: match.Clause(fr.FailedClause), Exception: fr.Exception,
			Checks: ex.Checks, Notes: ex.Notes,
		},
		Record: fr.Record.Kind, Source: sub.Source, SourceID: sub.SourceID,
		Span: sub.Time, Place: sub.Place, Kind: sub.Kind, Text: sub.Text, Allegation: sub.Allegation,
		Stored: &report.Stored{
			ID: fr.ID, Record: refName(fr.Record), Status: fr.Status, NeedsReview: fr.NeedsReview, Withdrawn: !fr.WithdrawnAt.IsZero(),
			EvaluatedAt: fr.EvaluatedAt, RecordVersion: fr.RecordVersion, Supersedes: fr.Supersedes,
		},
	}
	// The one spelling of the record (and allegation), as the report
	// writers set it: the view is complete without them.
	f.RecordID = f.Stored.Record
	if f.Part > 0 {
		f.RecordID += "#" + strconv.Itoa(f.Part)
	}
	return f, nil
}
