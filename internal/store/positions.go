package store

import (
	"context"
	"time"
)

// PositionsVersion is one stored version of a positions file (each
// party's dated stance on each term of a negotiation: internal/positions).
// The file carries no version number: the store numbers the versions of a
// set (the file's id) 1, 2, ... as changed content arrives.
type PositionsVersion struct {
	SetID    string    `json:"set_id"`
	Version  int       `json:"version"`
	Title    string    `json:"title"`
	Hash     string    `json:"hash"` // SHA-256 of Source, hex
	Source   []byte    `json:"-"`    // the YAML as written
	StoredAt time.Time `json:"stored_at"`
	StoredBy string    `json:"stored_by"` // who stored it: a user, or "local"
}

// Positions keeps every version of every positions file.
type Positions interface {
	// PutPositionsVersion stores v.Source as the next version of set
	// v.SetID (v.Version is ignored) and returns it as stored. When the
	// set's latest version has the same content it stores nothing and
	// returns that version with created false. A version stored is
	// recorded in the audit log (actor StoredBy) in the same transaction.
	PutPositionsVersion(ctx context.Context, v PositionsVersion) (stored PositionsVersion, created bool, err error)
	// GetPositionsVersion returns one version; version 0 means the latest.
	// ErrNotFound if there is no such version.
	GetPositionsVersion(ctx context.Context, id string, version int) (PositionsVersion, error)
	// ListPositionsVersions returns the versions of one set, oldest first,
	// or ErrNotFound if none is stored.
	ListPositionsVersions(ctx context.Context, id string) ([]PositionsVersion, error)
	// ListPositionSets returns the latest version of every set, by id.
	ListPositionSets(ctx context.Context) ([]PositionsVersion, error)
}
