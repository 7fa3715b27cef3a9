package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// ArgumentError is an argument that is wrong as written, whatever the
// store holds: a record not spelled event/ID, claim/ID or SOURCE:SOURCE_ID,
// or the same record given twice. It comes as an *Error of KindInvalid;
// the command line answers it as a usage mistake.
type ArgumentError struct{ Err error }

func (e *ArgumentError) Error() string { return e.Err.Error() }
func (e *ArgumentError) Unwrap() error { return e.Err }

func argumentErrorf(format string, args ...any) error {
	return &Error{Kind: KindInvalid, Err: &ArgumentError{Err: fmt.Errorf(format, args...)}}
}

// Record is the view of one stored event or claim (what 'truce record show
// --output json' prints): its ids, the record as read and enriched, its
// findings under every agreement version (withdrawn ones included, as
// their reviews stand), the incident holding it whole (or the allegation
// asked for), and, for a record whose text alleges several acts, the
// incident holding each of them.
type Record struct {
	Record   vocab.Ref             `json:"record"`
	Key      string                `json:"key"` // SOURCE:SOURCE_ID
	Event    *event.Event          `json:"event,omitempty"`
	Claim    *event.Claim          `json:"claim,omitempty"`
	Findings []store.FindingRecord `json:"findings"`
	Incident *Incident             `json:"incident,omitempty"`
	Parts    []RecordPart          `json:"parts,omitempty"`
}

// RecordPart is one allegation of a record (claim/7#2) and the incident
// holding it, if any.
type RecordPart struct {
	Record   vocab.Ref `json:"record"`
	Incident *Incident `json:"incident,omitempty"`
}

// sourceSpellings pairs the names one source goes by: ingest stores the
// strike reports under their format's name (strikes), their parser and
// 'truce check' name them missile-attacks-ukraine.
var sourceSpellings = map[string]string{"strikes": "missile-attacks-ukraine", "missile-attacks-ukraine": "strikes"}

// otherSpelling is a SOURCE:SOURCE_ID argument under the source's other
// name, if it has one.
func otherSpelling(arg string) (string, bool) {
	if src, id, ok := strings.Cut(arg, ":"); ok {
		if name, ok := sourceSpellings[src]; ok {
			return name + ":" + id, true
		}
	}
	return "", false
}

// Record returns the record arg names, by any of its ids: event/ID or
// claim/ID, or SOURCE:SOURCE_ID (a strike report's row under either name
// of its source). Reading records needs no token.
func (a *App) Record(ctx context.Context, arg string) (*Record, error) {
	ref, err := a.resolveRecord(ctx, arg)
	if alt, ok := otherSpelling(arg); err != nil && ok {
		if r, aerr := a.resolveRecord(ctx, alt); aerr == nil {
			ref, err = r, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return a.loadRecord(ctx, ref)
}

func (a *App) loadRecord(ctx context.Context, ref vocab.Ref) (*Record, error) {
	shown := &Record{Record: ref}
	f := store.EventFilter{IDs: []int64{ref.ID}, IncludeDeleted: true}
	var err error
	if ref.Kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { shown.Event = e; return nil })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { shown.Claim = c; return nil })
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", refName(ref), err)
	}
	switch {
	case shown.Event != nil:
		shown.Key = shown.Event.Source + ":" + shown.Event.SourceID
	case shown.Claim != nil:
		shown.Key = shown.Claim.Source + ":" + shown.Claim.SourceID
	default:
		return nil, errorf(KindNotFound, "no %s in the store", refName(ref))
	}
	// Every version's findings, withdrawn ones included: their reviews stand.
	vs, err := a.st.ListAgreements(ctx)
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", refName(ref), err)
	}
	for _, v := range vs {
		err := a.st.ScanFindings(ctx, store.FindingFilter{AgreementID: v.AgreementID, Version: v.Version, Record: ref, IncludeWithdrawn: true},
			func(fr *store.FindingRecord) error { shown.Findings = append(shown.Findings, *fr); return nil })
		if err != nil {
			return nil, fmt.Errorf("findings of %s: %w", refName(ref), err)
		}
	}
	incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{Record: ref.Whole()})
	if err != nil {
		return nil, fmt.Errorf("incident of %s: %w", refName(ref), err)
	}
	// Which incident holds the record whole, and which each allegation.
	holder := map[int]*Incident{}
	for i := range incs {
		for _, m := range incs[i].Members {
			if m.Record.Whole() == ref.Whole() {
				holder[m.Record.Part] = &incs[i]
			}
		}
	}
	shown.Incident = holder[0]
	if ref.Part > 0 && holder[ref.Part] != nil {
		shown.Incident = holder[ref.Part]
	}
	acts := 0
	if shown.Event != nil {
		acts = len(shown.Event.Allegations)
	} else {
		acts = len(shown.Claim.Allegations)
	}
	if acts < 2 {
		acts = 0 // read whole
	}
	for p := range holder {
		acts = max(acts, p)
	}
	for p := 1; p <= acts; p++ {
		part := ref.Whole()
		part.Part = p
		shown.Parts = append(shown.Parts, RecordPart{Record: part, Incident: holder[p]})
	}
	return shown, nil
}

// resolveRecord reads "event/12", "claim/7", "claim/7#2" (the record's
// second allegation) or "acled:UKR123": an argument not so written is an
// ArgumentError, a record not stored, or an allegation its text does not
// make, is KindNotFound.
func (a *App) resolveRecord(ctx context.Context, arg string) (vocab.Ref, error) {
	if kind, id, ok := strings.Cut(arg, "/"); ok && (vocab.Kind(kind) == vocab.KindEvent || vocab.Kind(kind) == vocab.KindClaim) {
		typ := vocab.Kind(kind)
		ref, err := vocab.ParseRef(arg, vocab.KindEvent, vocab.KindClaim)
		if err != nil || ref.ID <= 0 {
			if _, part, hasPart := strings.Cut(id, "#"); hasPart {
				return vocab.Ref{}, argumentErrorf("%q: write %s/ID, or %s/ID#N for its allegation N (from 1), not #%s", arg, typ, typ, part)
			}
			return vocab.Ref{}, argumentErrorf("%q: the id after %s/ must be a number", arg, typ)
		}
		if ref.Part == 0 {
			f := store.EventFilter{IDs: []int64{ref.ID}, IncludeDeleted: true}
			count := a.st.CountEvents
			if typ == vocab.KindClaim {
				count = a.st.CountClaims
			}
			if found, err := count(ctx, f); err != nil {
				return vocab.Ref{}, err
			} else if found == 0 {
				return vocab.Ref{}, errorf(KindNotFound, "no %s %d in the store", typ, ref.ID)
			}
			return ref, nil
		}
		acts, found, err := a.allegationCount(ctx, ref)
		switch {
		case err != nil:
			return vocab.Ref{}, err
		case !found:
			return vocab.Ref{}, errorf(KindNotFound, "no %s %d in the store", typ, ref.ID)
		case ref.Part > acts:
			return vocab.Ref{}, errorf(KindNotFound, "%s/%d has no allegation %d: its text alleges %d (see 'truce record show %s/%d')",
				typ, ref.ID, ref.Part, acts, typ, ref.ID)
		}
		return ref, nil
	}
	source, id, ok := strings.Cut(arg, ":")
	if !ok || source == "" || id == "" {
		return vocab.Ref{}, argumentErrorf("%q is not a record: write event/ID, claim/ID or SOURCE:SOURCE_ID", arg)
	}
	if e, err := a.st.GetEvent(ctx, source, id); err == nil {
		return vocab.Ref{Kind: vocab.KindEvent, ID: e.ID}, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return vocab.Ref{}, err
	}
	c, err := a.st.GetClaim(ctx, source, id)
	if errors.Is(err, store.ErrNotFound) {
		return vocab.Ref{}, errorf(KindNotFound, "no event or claim %s:%s in the store", source, id)
	}
	if err != nil {
		return vocab.Ref{}, err
	}
	return vocab.Ref{Kind: vocab.KindClaim, ID: c.ID}, nil
}

// allegationCount reads how many allegations a stored record's text
// makes, and whether it is stored.
func (a *App) allegationCount(ctx context.Context, r vocab.Ref) (n int, found bool, err error) {
	f := store.EventFilter{IDs: []int64{r.ID}, IncludeDeleted: true}
	if r.Kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { n, found = len(e.Allegations), true; return nil })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { n, found = len(c.Allegations), true; return nil })
	}
	if err != nil {
		return 0, false, fmt.Errorf("read %s: %w", refName(r), err)
	}
	return n, found, nil
}

// readRecord reads one stored event or claim as merging sees it: for an
// allegation of a record read by allegation, that allegation's record.
func (a *App) readRecord(ctx context.Context, r vocab.Ref) (incident.Record, error) {
	var recs []incident.Record
	f := store.EventFilter{IDs: []int64{r.ID}, IncludeDeleted: true}
	var err error
	if r.Kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { recs = incident.EventRecords(e, false); return nil })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { recs = incident.ClaimRecords(c, false); return nil })
	}
	if err != nil {
		return incident.Record{}, fmt.Errorf("read %s: %w", refName(r), err)
	}
	if len(recs) == 0 {
		return incident.Record{}, errorf(KindNotFound, "no %s in the store", refName(r))
	}
	for _, rec := range recs {
		if rec.Ref == r {
			return rec, nil
		}
	}
	// The record whole, or a record read whole: as FromEvent and FromClaim.
	var out incident.Record
	if r.Kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { out = incident.FromEvent(e, false); return nil })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { out = incident.FromClaim(c, false); return nil })
	}
	if err != nil {
		return out, fmt.Errorf("read %s: %w", refName(r), err)
	}
	return out, nil
}

// refName is a record's store id: "event/12", "claim/7", "claim/7#2".
func refName(r vocab.Ref) string { return r.String() }
