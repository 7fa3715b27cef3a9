package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// A filter value that names nothing is an error listing the values that
// name something, never an empty answer that reads as "none found".

// KnownCode returns the known value equal to v but for case (codes such as
// UA, alleged, candidate), or an error of KindInvalid naming what (e.g.
// "verdict") and listing known. Adapters use it to check flags and query
// parameters of a fixed vocabulary before they call a use case.
func KnownCode[T ~string](what, v string, known []T) (T, error) {
	for _, k := range known {
		if strings.EqualFold(string(k), v) {
			return k, nil
		}
	}
	if len(known) == 0 {
		return "", errorf(KindInvalid, "unknown %s %q: there is none to choose from", what, v)
	}
	return "", errorf(KindInvalid, "unknown %s %q: use one of %s", what, v, strings.Join(vocab.Names(known), ", "))
}

// KnownCodes is KnownCode for each of vs.
func KnownCodes[T ~string](what string, vs []string, known []T) ([]T, error) {
	out := make([]T, len(vs))
	for i, v := range vs {
		k, err := KnownCode(what, v, known)
		if err != nil {
			return nil, err
		}
		out[i] = k
	}
	return out, nil
}

// agreementFilter checks an agreement id, a version and party values
// (keyed by what they are: "reading", "accused party") against the stored
// agreements and sets the party values as stored: agreement ids must match
// exactly (else KindNotFound), party ids match in any case (else
// KindInvalid); a reading may also be the agreed one (agreement.AgreedReading). The parties are those of every version of the agreement,
// or of every agreement without one.
func (a *App) agreementFilter(ctx context.Context, id string, version int, parties map[string]*string) error {
	latest, err := a.st.ListAgreements(ctx)
	if err != nil {
		return err
	}
	var ids []string
	for _, v := range latest {
		ids = append(ids, v.AgreementID)
	}
	versions := latest
	if id != "" {
		if !slices.Contains(ids, id) {
			if len(ids) == 0 {
				return &Error{Kind: KindNotFound, Err: marked{fmt.Errorf("unknown agreement %q: the store holds no agreements", id), ErrNoAgreements}}
			}
			return errorf(KindNotFound, "unknown agreement %q: the store holds %s", id, strings.Join(ids, ", "))
		}
		if versions, err = a.st.ListAgreementVersions(ctx, id); err != nil {
			return err
		}
		if version != 0 && !slices.ContainsFunc(versions, func(v store.AgreementVersion) bool { return v.Version == version }) {
			var known []string
			for _, v := range versions {
				known = append(known, fmt.Sprint(v.Version))
			}
			return errorf(KindNotFound, "%s has no version %d: it has %s", id, version, strings.Join(known, ", "))
		}
	}
	var known []string
	for _, v := range versions {
		var n struct {
			Parties []struct{ ID string } `json:"parties"`
		}
		if err := json.Unmarshal(v.Normalized, &n); err != nil {
			return fmt.Errorf("agreement %s version %d: %w", v.AgreementID, v.Version, err)
		}
		for _, p := range n.Parties {
			if !slices.Contains(known, p.ID) {
				known = append(known, p.ID)
			}
		}
	}
	slices.Sort(known)
	var errs []error
	for _, what := range slices.Sorted(maps.Keys(parties)) {
		v := parties[what]
		if *v == "" {
			continue
		}
		if what == "reading" && strings.EqualFold(*v, agreement.AgreedReading) {
			// The single reading of an agreement no party disputes.
			*v = agreement.AgreedReading
			continue
		}
		k, err := KnownCode(what, *v, known)
		if err != nil && id != "" {
			err = fmt.Errorf("%w (the parties of %s)", err, id)
		}
		errs = append(errs, err)
		*v = k
	}
	return withKind(KindInvalid, errors.Join(errs...))
}
