package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/store"
)

// A filter value that names nothing is an error listing the values that
// name something, never an empty answer that reads as "none found".

// knownCode returns the known value equal to v but for case (codes such as
// UA, alleged, candidate), or an error naming what (e.g. "verdict") and
// listing known.
func knownCode(what, v string, known []string) (string, error) {
	for _, k := range known {
		if strings.EqualFold(k, v) {
			return k, nil
		}
	}
	if len(known) == 0 {
		return "", fmt.Errorf("unknown %s %q: there is none to choose from", what, v)
	}
	return "", fmt.Errorf("unknown %s %q: use one of %s", what, v, strings.Join(known, ", "))
}

// knownCodes is knownCode for each of vs; an unknown one is a usage error
// (exit 2), as these vocabularies are fixed.
func knownCodes(what string, vs, known []string) ([]string, error) {
	out := make([]string, len(vs))
	for i, v := range vs {
		k, err := knownCode(what, v, known)
		if err != nil {
			return nil, &exitError{code: 2, err: err}
		}
		out[i] = k
	}
	return out, nil
}

// agreementFilter checks --agreement, --version and party values (keyed by
// what they are: "reading", "accused party") against the stored agreements
// and sets the party values as stored: agreement ids must match exactly,
// party ids match in any case. The parties are those of every version of
// the agreement, or of every agreement without one.
func agreementFilter(ctx context.Context, st store.Store, id string, version int, parties map[string]*string) error {
	latest, err := st.ListAgreements(ctx)
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
			return fmt.Errorf("unknown agreement %q: the store holds %s", id, orDash(strings.Join(ids, ", "), "no agreements ('truce agreement import' stores them)"))
		}
		if versions, err = st.ListAgreementVersions(ctx, id); err != nil {
			return err
		}
		if version != 0 && !slices.ContainsFunc(versions, func(v store.AgreementVersion) bool { return v.Version == version }) {
			var known []string
			for _, v := range versions {
				known = append(known, fmt.Sprint(v.Version))
			}
			return fmt.Errorf("%s has no version %d: it has %s", id, version, strings.Join(known, ", "))
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
		k, err := knownCode(what, *v, known)
		if err != nil && id != "" {
			err = fmt.Errorf("%w (the parties of %s)", err, id)
		}
		errs = append(errs, err)
		*v = k
	}
	return errors.Join(errs...)
}
