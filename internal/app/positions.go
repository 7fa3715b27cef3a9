package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/positions"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Positions files (internal/positions) are kept in the store like
// agreements: each import of changed content is the next version of the
// file's set (its id). The matrix, the common ground and the timeline
// (positions_views.go) read a stored version or a file given as it is.

// PositionsFile is a positions file as read and parsed, ready to import.
type PositionsFile struct {
	Name   string // the file's name, for messages
	Source []byte // the YAML as written: stored and hashed as it is
	File   *positions.File
}

// ParsePositions parses the positions file name holding src within lim. A
// file that is not valid is an error of KindInvalid wrapping
// positions.Problems (each FILE:LINE:COL: message).
func ParsePositions(name string, src []byte, lim strictyaml.Limits) (PositionsFile, error) {
	f, err := positions.ParseWith(name, src, lim)
	if err != nil {
		return PositionsFile{}, withKind(KindInvalid, err)
	}
	return PositionsFile{Name: name, Source: src, File: f}, nil
}

// PositionsSummary is the view of one stored version of a positions file.
type PositionsSummary struct {
	ID       string    `json:"id"`
	Version  int       `json:"version"`
	Title    string    `json:"title"`
	Hash     string    `json:"hash"` // SHA-256 of the file as written, hex
	StoredAt time.Time `json:"stored_at"`
	StoredBy string    `json:"stored_by"`
}

func positionsSummary(v store.PositionsVersion) PositionsSummary {
	return PositionsSummary{ID: v.SetID, Version: v.Version, Title: v.Title, Hash: v.Hash, StoredAt: v.StoredAt, StoredBy: v.StoredBy}
}

// ImportedPositions is what importing one positions file did: Created is
// false when the set's latest version holds the same content.
type ImportedPositions struct {
	File    string `json:"file"`
	ID      string `json:"id"`
	Version int    `json:"version"`
	Created bool   `json:"created"`
}

// ImportPositions stores each file as the next version of its set (the
// store numbers them and audits each). Importing the latest content again
// changes nothing. It returns what it stored before any error, which
// names the file.
func (a *App) ImportPositions(ctx context.Context, files []PositionsFile) ([]ImportedPositions, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return nil, fmt.Errorf("positions import: %w", err)
	}
	var done []ImportedPositions
	for _, f := range files {
		v, created, err := a.st.PutPositionsVersion(ctx, store.PositionsVersion{SetID: f.File.ID, Title: f.File.Title, Source: f.Source, StoredBy: who.Name})
		if err != nil {
			return done, fmt.Errorf("%s: %w", f.Name, err)
		}
		done = append(done, ImportedPositions{File: f.Name, ID: v.SetID, Version: v.Version, Created: created})
	}
	return done, nil
}

// PositionSets lists the latest stored version of every positions file,
// by id. Positions are public statements: anyone may read them.
func (a *App) PositionSets(ctx context.Context) ([]PositionsSummary, error) {
	vs, err := a.st.ListPositionSets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PositionsSummary, len(vs))
	for i, v := range vs {
		out[i] = positionsSummary(v)
	}
	return out, nil
}

// PositionsVersions lists the stored versions of positions set id,
// oldest first.
func (a *App) PositionsVersions(ctx context.Context, id string) ([]PositionsSummary, error) {
	vs, err := a.st.ListPositionsVersions(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, positionsNotStored(id)
	}
	if err != nil {
		return nil, err
	}
	out := make([]PositionsSummary, len(vs))
	for i, v := range vs {
		out[i] = positionsSummary(v)
	}
	return out, nil
}

// StoredPositions returns a stored version of positions set id (0: the
// latest), parsed again within lim (the limits may have changed since it
// was stored), with its summary.
func (a *App) StoredPositions(ctx context.Context, id string, version int, lim strictyaml.Limits) (*positions.File, PositionsSummary, error) {
	v, err := a.st.GetPositionsVersion(ctx, id, version)
	if errors.Is(err, store.ErrNotFound) {
		if version != 0 {
			return nil, PositionsSummary{}, &Error{Kind: KindNotFound, Err: marked{fmt.Errorf("positions %q version %d is not in the store", id, version), ErrPositionsNotStored}}
		}
		return nil, PositionsSummary{}, positionsNotStored(id)
	}
	if err != nil {
		return nil, PositionsSummary{}, err
	}
	f, err := positions.ParseWith(v.SetID, v.Source, lim)
	if err != nil {
		return nil, PositionsSummary{}, fmt.Errorf("stored positions %s version %d no longer parse: %w", v.SetID, v.Version, err)
	}
	return f, positionsSummary(v), nil
}

// ErrPositionsNotStored: the positions set asked for is not in the store.
var ErrPositionsNotStored = errors.New("positions not in the store")

func positionsNotStored(id string) error {
	return &Error{Kind: KindNotFound, Err: marked{fmt.Errorf("positions %q are not in the store", id), ErrPositionsNotStored}}
}
