package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// AgreementFile is an agreement file as read and parsed, ready to import.
type AgreementFile struct {
	Name      string // the file's name, for messages
	Source    []byte // the YAML as written: stored and hashed as it is
	Agreement *agreement.Agreement
}

// ParseAgreement parses the agreement file name holding src within lim.
// A file that is not a valid agreement is an error of KindInvalid wrapping
// agreement.Problems (each FILE:LINE:COL: message) when the parser could
// place them.
func ParseAgreement(name string, src []byte, lim strictyaml.Limits) (AgreementFile, error) {
	ag, err := agreement.ParseWith(name, src, lim)
	if err != nil {
		return AgreementFile{}, withKind(KindInvalid, err)
	}
	return AgreementFile{Name: name, Source: src, Agreement: ag}, nil
}

// AgreementSummary is the view of one stored agreement version.
type AgreementSummary struct {
	ID       string    `json:"id"`
	Version  int       `json:"version"`
	Title    string    `json:"title"`
	Hash     string    `json:"hash"` // SHA-256 of the file as written, hex
	StoredAt time.Time `json:"stored_at"`
	StoredBy string    `json:"stored_by"`
}

func agreementSummary(v store.AgreementVersion) AgreementSummary {
	return AgreementSummary{ID: v.AgreementID, Version: v.Version, Title: v.Title, Hash: v.Hash, StoredAt: v.StoredAt, StoredBy: v.StoredBy}
}

// ImportedAgreement is what importing one file did: Created is false when
// the same file was stored already.
type ImportedAgreement struct {
	File    string `json:"file"`
	ID      string `json:"id"`
	Version int    `json:"version"`
	Created bool   `json:"created"`
}

// ImportAgreements stores each file as a version of its agreement, with
// its source text, hash and normalised form; the store audits each new
// version. Importing the same file again changes nothing; other content
// under a stored version number is a conflict. It returns what it stored
// before any error, which names the file.
func (a *App) ImportAgreements(ctx context.Context, files []AgreementFile) ([]ImportedAgreement, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return nil, fmt.Errorf("agreement import: %w", err)
	}
	var done []ImportedAgreement
	for _, f := range files {
		created, err := putAgreement(ctx, a.st, f.Source, f.Agreement, who.Name)
		if err != nil {
			return done, fmt.Errorf("%s: %w", f.Name, err)
		}
		done = append(done, ImportedAgreement{File: f.Name, ID: f.Agreement.ID, Version: f.Agreement.Version, Created: created})
	}
	return done, nil
}

// putAgreement stores one parsed agreement with its source text and
// normalised form.
func putAgreement(ctx context.Context, s store.Store, src []byte, ag *agreement.Agreement, by string) (bool, error) {
	n, err := ag.Normalize("")
	if err != nil {
		return false, withKind(KindInvalid, err)
	}
	normalized, err := json.Marshal(n)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(src)
	v := store.AgreementVersion{
		AgreementID: ag.ID, Version: ag.Version, Title: ag.Title,
		Hash: hex.EncodeToString(sum[:]), Source: src, Normalized: normalized, StoredBy: by,
	}
	return s.PutAgreementVersion(ctx, v)
}

// Agreements lists the latest stored version of every agreement, by id.
// Agreements are public: anyone may list them.
func (a *App) Agreements(ctx context.Context) ([]AgreementSummary, error) {
	vs, err := a.st.ListAgreements(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AgreementSummary, len(vs))
	for i, v := range vs {
		out[i] = agreementSummary(v)
	}
	return out, nil
}

// AgreementVersions lists the stored versions of agreement id, oldest
// first.
func (a *App) AgreementVersions(ctx context.Context, id string) ([]AgreementSummary, error) {
	vs, err := a.st.ListAgreementVersions(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notStored(id)
	}
	if err != nil {
		return nil, err
	}
	out := make([]AgreementSummary, len(vs))
	for i, v := range vs {
		out[i] = agreementSummary(v)
	}
	return out, nil
}

// StoredAgreement returns a stored version of agreement id (0: the
// latest), parsed again within lim, with its summary.
func (a *App) StoredAgreement(ctx context.Context, id string, version int, lim strictyaml.Limits) (*agreement.Agreement, AgreementSummary, error) {
	v, err := a.st.GetAgreementVersion(ctx, id, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, AgreementSummary{}, notStored(id)
	}
	if err != nil {
		return nil, AgreementSummary{}, err
	}
	ag, err := parseStored(v, lim)
	if err != nil {
		return nil, AgreementSummary{}, err
	}
	return ag, agreementSummary(v), nil
}

// parseStored parses a stored version again: the limits may have changed
// since it was stored.
func parseStored(v store.AgreementVersion, lim strictyaml.Limits) (*agreement.Agreement, error) {
	ag, err := agreement.ParseWith(v.AgreementID, v.Source, lim)
	if err != nil {
		return nil, fmt.Errorf("stored agreement %s version %d no longer parses: %w", v.AgreementID, v.Version, err)
	}
	return ag, nil
}

// Errors adapters may explain further (how to import an agreement).
var (
	// ErrNoAgreements: the store holds no agreement at all.
	ErrNoAgreements = errors.New("no agreement in the store")
	// ErrAgreementNotStored: the agreement asked for is not in the store.
	ErrAgreementNotStored = errors.New("agreement not in the store")
)

// notStored is the error for agreement id missing from the store.
func notStored(id string) error {
	return &Error{Kind: KindNotFound, Err: marked{fmt.Errorf("agreement %q is not in the store", id), ErrAgreementNotStored}}
}

// marked is err that also is mark (errors.Is) without mark's text in its
// message: so an adapter can recognise the error and add its own advice.
type marked struct {
	err, mark error
}

func (m marked) Error() string   { return m.err.Error() }
func (m marked) Unwrap() []error { return []error{m.err, m.mark} }
