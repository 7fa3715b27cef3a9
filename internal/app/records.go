package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
// their reviews stand), and the incident holding it.
type Record struct {
	Record   vocab.Ref             `json:"record"`
	Key      string                `json:"key"` // SOURCE:SOURCE_ID
	Event    *event.Event          `json:"event,omitempty"`
	Claim    *event.Claim          `json:"claim,omitempty"`
	Findings []store.FindingRecord `json:"findings"`
	Incident *Incident             `json:"incident,omitempty"`
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
	incs, err := a.st.ListIncidents(ctx, store.IncidentFilter{Record: ref})
	if err != nil {
		return nil, fmt.Errorf("incident of %s: %w", refName(ref), err)
	}
	if len(incs) > 0 {
		shown.Incident = &incs[0]
	}
	return shown, nil
}

// resolveRecord reads "event/12", "claim/7" or "acled:UKR123": an
// argument not so written is an ArgumentError, a record not stored is
// KindNotFound.
func (a *App) resolveRecord(ctx context.Context, arg string) (vocab.Ref, error) {
	if kind, id, ok := strings.Cut(arg, "/"); ok && (vocab.Kind(kind) == vocab.KindEvent || vocab.Kind(kind) == vocab.KindClaim) {
		typ := vocab.Kind(kind)
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return vocab.Ref{}, argumentErrorf("%q: the id after %s/ must be a number", arg, typ)
		}
		f := store.EventFilter{IDs: []int64{n}, IncludeDeleted: true}
		count := a.st.CountEvents
		if typ == vocab.KindClaim {
			count = a.st.CountClaims
		}
		if found, err := count(ctx, f); err != nil {
			return vocab.Ref{}, err
		} else if found == 0 {
			return vocab.Ref{}, errorf(KindNotFound, "no %s %d in the store", typ, n)
		}
		return vocab.Ref{Kind: typ, ID: n}, nil
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

// readRecord reads one stored event or claim as merging sees it.
func (a *App) readRecord(ctx context.Context, r vocab.Ref) (incident.Record, error) {
	var out incident.Record
	found := false
	f := store.EventFilter{IDs: []int64{r.ID}, IncludeDeleted: true}
	var err error
	if r.Kind == vocab.KindEvent {
		err = a.st.ScanEvents(ctx, f, func(e *event.Event) error { out, found = incident.FromEvent(e, false), true; return nil })
	} else {
		err = a.st.ScanClaims(ctx, f, func(c *event.Claim) error { out, found = incident.FromClaim(c, false), true; return nil })
	}
	if err != nil {
		return out, fmt.Errorf("read %s: %w", refName(r), err)
	}
	if !found {
		return out, errorf(KindNotFound, "no %s in the store", refName(r))
	}
	return out, nil
}

// refName is a record's store id: "event/12", "claim/7".
func refName(r vocab.Ref) string { return fmt.Sprintf("%s/%d", r.Kind, r.ID) }
