package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// MaxEvidenceFile bounds an upload: the store keeps files in the database.
const MaxEvidenceFile = 64 << 20

// NewEvidence is an evidence item to add: its fields (Subject, URL,
// geolocation, chronolocation, notes, Supersedes, the file's name and
// media type if it has one) and, for an upload, how to read the file.
type NewEvidence struct {
	Item review.EvidenceItem
	// File reads the uploaded file, or is nil. It is called once the
	// caller is known to be permitted: no file is read for someone who may
	// not add it (a FIFO on the command line, a request body on the API).
	File func() ([]byte, error)
}

// AddEvidence attaches an evidence item to its subject for the caller,
// who must be permitted to add evidence; the caller is recorded as its
// author.
func (a *App) AddEvidence(ctx context.Context, e NewEvidence) (Evidence, error) {
	subj := e.Item.Subject
	who, err := a.actor(ctx, auth.AddEvidence)
	if err != nil {
		return Evidence{}, fmt.Errorf("add evidence to %s: %w", subj, err)
	}
	if err := checkEvidence(e); err != nil {
		return Evidence{}, err
	}
	var content []byte
	if e.File != nil {
		if content, err = e.File(); err != nil {
			return Evidence{}, err
		}
		if len(content) > MaxEvidenceFile {
			return Evidence{}, errorf(KindInvalid, "the file is over the %d MiB truce stores: keep it elsewhere and cite its URL", MaxEvidenceFile>>20)
		}
	}
	item := e.Item
	item.AddedBy = who.Name
	stored, err := a.st.AddEvidence(ctx, item, content)
	if errors.Is(err, store.ErrNotFound) {
		return Evidence{}, subjectNotFound(subj)
	}
	if err != nil {
		return Evidence{}, err
	}
	return (stored), nil
}

// checkEvidence checks that an item holds something, and holds it whole.
func checkEvidence(e NewEvidence) error {
	it := e.Item
	if it.URL == "" && e.File == nil && it.Lat == nil && it.Lon == nil && it.Chronolocation == "" && it.Notes == "" {
		return errorf(KindInvalid, "nothing to add: give a URL, a file, a geolocation, chronolocation or notes")
	}
	if u, err := url.Parse(it.URL); it.URL != "" && (err != nil || u.Scheme == "" || u.Host == "" && u.Opaque == "") {
		return errorf(KindInvalid, "URL %q is not absolute: write it as https://host/path", it.URL)
	}
	if (it.Lat != nil || it.Lon != nil || it.GeoMethod != "") && (it.Lat == nil || it.Lon == nil || strings.TrimSpace(it.GeoMethod) == "") {
		return errorf(KindInvalid, "a geolocation needs a latitude, a longitude and how it was established, together")
	}
	if it.MediaType != "" && e.File == nil {
		return errorf(KindInvalid, "a media type describes a file: give the file too")
	}
	return nil
}

// Evidence lists subj's standing evidence items, oldest first, and with
// all the superseded ones too. A viewer sees the evidence of published
// subjects only; any other subject is not found.
func (a *App) Evidence(ctx context.Context, subj vocab.Ref, all bool) ([]Evidence, error) {
	if err := a.seeSubject(ctx, subj, "list evidence of"); err != nil {
		return nil, err
	}
	items, err := a.st.ListEvidence(ctx, subj, all)
	if err != nil {
		return nil, err
	}
	return (items), nil
}

// NoEvidenceFileError: the subject cites no file with this SHA-256.
type NoEvidenceFileError struct {
	Subject vocab.Ref
	SHA256  string
}

func (e *NoEvidenceFileError) Error() string {
	return fmt.Sprintf("no evidence file %s on %s", e.SHA256, e.Subject)
}

// Unwrap makes it a store.ErrNotFound (KindNotFound).
func (e *NoEvidenceFileError) Unwrap() error { return store.ErrNotFound }

// EvidenceFile returns the file with this SHA-256 (hex) that subj cites as
// evidence, hashed again: a file whose content no longer matches its hash
// was altered in the database and is refused. Visibility is the subject's.
func (a *App) EvidenceFile(ctx context.Context, subj vocab.Ref, sum string) ([]byte, error) {
	sum = strings.ToLower(sum)
	if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
		return nil, errorf(KindInvalid, "%q is not a SHA-256: write its 64 hex digits", sum)
	}
	if err := a.seeSubject(ctx, subj, "get evidence of"); err != nil {
		return nil, err
	}
	// Only a file this subject cites: visibility is the subject's.
	items, err := a.st.ListEvidence(ctx, subj, true)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(items, func(e review.EvidenceItem) bool { return e.SHA256 == sum }) {
		return nil, &NoEvidenceFileError{Subject: subj, SHA256: sum}
	}
	content, err := a.st.EvidenceFile(ctx, sum)
	if err != nil {
		return nil, err
	}
	if got := sha256.Sum256(content); hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("evidence file %s: its content hashes to %x: altered in the database; not written", sum, got)
	}
	return content, nil
}

// seeSubject checks that the caller may see subj: a subject they may not
// see is not found, like a missing one. what names the use case in errors.
func (a *App) seeSubject(ctx context.Context, subj vocab.Ref, what string) error {
	who, err := a.Who(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, subj, err)
	}
	_, err = a.visibleState(ctx, who, subj)
	return err
}
