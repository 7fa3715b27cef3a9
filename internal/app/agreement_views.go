package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// ShowAgreement is ag as truce reads it: its text and its terms under every
// reading, or with reading set, under that party's only (in any case: ua
// is UA). A party the agreement does not name is KindInvalid. It is what
// `truce agreement show` prints for a file and the API for a stored
// version.
func ShowAgreement(ag *agreement.Agreement, reading string) (agreement.Normalized, error) {
	if reading != "" {
		var ids []string
		found := false
		for _, p := range slices.Concat(ag.Parties, ag.Mediators, ag.Guarantors) {
			if !found && strings.EqualFold(p.ID, reading) {
				reading, found = p.ID, true
			}
			ids = append(ids, p.ID)
		}
		if !found {
			return agreement.Normalized{}, errorf(KindInvalid, "agreement %s has no party %q to read it: its parties are %s", ag.ID, reading, strings.Join(ids, ", "))
		}
	}
	n, err := ag.Normalize(reading)
	return n, withKind(KindInvalid, err)
}

// AgreementVersion is stored version version of agreement id normalised by
// ShowAgreement, parsed again within lim. Agreements are public: anyone
// may read them. An agreement or version not stored is KindNotFound, a
// version below 1 KindInvalid.
func (a *App) AgreementVersion(ctx context.Context, id string, version int, reading string, lim strictyaml.Limits) (agreement.Normalized, error) {
	ag, err := a.storedVersion(ctx, id, version, "version", lim)
	if err != nil {
		return agreement.Normalized{}, err
	}
	return ShowAgreement(ag, reading)
}

// AgreementDiff compares stored versions from and to of agreement id term
// by term, with the warnings of the rules of evolution: what `truce
// agreement diff` says of two files. Either may be the older.
func (a *App) AgreementDiff(ctx context.Context, id string, from, to int, lim strictyaml.Limits) (agreement.Comparison, error) {
	old, err := a.storedVersion(ctx, id, from, "from", lim)
	if err != nil {
		return agreement.Comparison{}, err
	}
	cur, err := a.storedVersion(ctx, id, to, "to", lim)
	if err != nil {
		return agreement.Comparison{}, err
	}
	return agreement.Compare(old, cur)
}

// storedVersion parses stored version version of agreement id; what names
// the version in messages (the parameter that gave it).
func (a *App) storedVersion(ctx context.Context, id string, version int, what string, lim strictyaml.Limits) (*agreement.Agreement, error) {
	if version < 1 {
		return nil, errorf(KindInvalid, "%s %d is not a version: versions count from 1", what, version)
	}
	v, err := a.st.GetAgreementVersion(ctx, id, version)
	if errors.Is(err, store.ErrNotFound) {
		vs, lerr := a.st.ListAgreementVersions(ctx, id)
		if errors.Is(lerr, store.ErrNotFound) {
			return nil, notStored(id)
		}
		if lerr != nil {
			return nil, lerr
		}
		stored := make([]string, len(vs))
		for i, v := range vs {
			stored[i] = strconv.Itoa(v.Version)
		}
		return nil, &Error{Kind: KindNotFound, Err: fmt.Errorf("agreement %q has no version %d (%s %d): its versions are %s", id, version, what, version, strings.Join(stored, ", "))}
	}
	if err != nil {
		return nil, err
	}
	return parseStored(v, lim)
}
