package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

const positionsVersionColumns = "set_id, version, title, hash, source, stored_at, stored_by"

// PutPositionsVersion stores v.Source as the next version of its set
// unless the latest version holds the same content.
func (s *Store) PutPositionsVersion(ctx context.Context, v store.PositionsVersion) (store.PositionsVersion, bool, error) {
	fail := func(err error) (store.PositionsVersion, bool, error) {
		return store.PositionsVersion{}, false, fmt.Errorf("put positions %q: %w", v.SetID, err)
	}
	if v.SetID == "" {
		return fail(errors.New("set id is empty"))
	}
	if v.StoredBy == "" {
		return fail(errors.New("who stores it (StoredBy) is required"))
	}
	sum := sha256.Sum256(v.Source)
	v.Hash = hex.EncodeToString(sum[:])
	if v.StoredAt.IsZero() {
		v.StoredAt = time.Now()
	}
	v.StoredAt = dbTime(v.StoredAt)
	var latest store.PositionsVersion
	created := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Upserting the set's row first locks it (PostgreSQL), so two
		// imports of one set number their versions one after the other.
		_, err := tx.ExecContext(ctx, s.rebind(`
			INSERT INTO position_sets (id, latest_version, title) VALUES (?, 1, ?)
			ON CONFLICT (id) DO UPDATE SET title = position_sets.title`), v.SetID, v.Title)
		if err != nil {
			return fmt.Errorf("lock set: %w", err)
		}
		latest, err = scanPositionsVersion(tx.QueryRowContext(ctx, s.rebind(
			"SELECT "+positionsVersionColumns+" FROM position_versions WHERE set_id = ? ORDER BY version DESC LIMIT 1"), v.SetID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Version = 1
		case err != nil:
			return fmt.Errorf("read latest version: %w", err)
		case latest.Hash == v.Hash:
			return errUnchanged
		default:
			v.Version = latest.Version + 1
		}
		_, err = tx.ExecContext(ctx, s.rebind("INSERT INTO position_versions ("+positionsVersionColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)"),
			v.SetID, v.Version, v.Title, v.Hash, string(v.Source), timeArg(v.StoredAt), v.StoredBy)
		if err != nil {
			return fmt.Errorf("insert version: %w", err)
		}
		_, err = tx.ExecContext(ctx, s.rebind("UPDATE position_sets SET latest_version = ?, title = ? WHERE id = ?"), v.Version, v.Title, v.SetID)
		if err != nil {
			return fmt.Errorf("update set: %w", err)
		}
		detail, err := json.Marshal(map[string]any{"version": v.Version, "hash": v.Hash})
		if err != nil {
			return err
		}
		created = true
		_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{Actor: v.StoredBy, Action: "positions.import", Subject: "positions/" + v.SetID, Detail: detail})
		return err
	})
	switch {
	case errors.Is(err, errUnchanged):
		return latest, false, nil
	case err != nil:
		return fail(err)
	}
	return v, created, nil
}

// GetPositionsVersion returns one version of a set, the latest if version
// is 0.
func (s *Store) GetPositionsVersion(ctx context.Context, id string, version int) (store.PositionsVersion, error) {
	what := fmt.Sprintf("positions %q version %d", id, version)
	query := "SELECT " + positionsVersionColumns + " FROM position_versions WHERE set_id = ? AND version = ?"
	args := []any{id, version}
	if version == 0 {
		what = fmt.Sprintf("latest version of positions %q", id)
		query = "SELECT " + positionsVersionColumns + " FROM position_versions WHERE set_id = ? ORDER BY version DESC LIMIT 1"
		args = args[:1]
	}
	v, err := scanPositionsVersion(s.db.QueryRowContext(ctx, s.rebind(query), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return store.PositionsVersion{}, fmt.Errorf("get %s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return store.PositionsVersion{}, fmt.Errorf("get %s: %w", what, err)
	}
	return v, nil
}

// ListPositionsVersions returns every version of one set, oldest first.
func (s *Store) ListPositionsVersions(ctx context.Context, id string) ([]store.PositionsVersion, error) {
	vs, err := queryAll(ctx, s, scanPositionsVersion,
		"SELECT "+positionsVersionColumns+" FROM position_versions WHERE set_id = ? ORDER BY version", id)
	if err == nil && len(vs) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("list versions of positions %q: %w", id, err)
	}
	return vs, nil
}

// ListPositionSets returns the latest version of every set, by id.
func (s *Store) ListPositionSets(ctx context.Context) ([]store.PositionsVersion, error) {
	vs, err := queryAll(ctx, s, scanPositionsVersion, `
		SELECT v.set_id, v.version, v.title, v.hash, v.source, v.stored_at, v.stored_by
		FROM position_sets p JOIN position_versions v ON v.set_id = p.id AND v.version = p.latest_version
		ORDER BY p.id`)
	if err != nil {
		return nil, fmt.Errorf("list positions: %w", err)
	}
	return vs, nil
}

func scanPositionsVersion(row scanner) (store.PositionsVersion, error) {
	var v store.PositionsVersion
	err := row.Scan(&v.SetID, &v.Version, &v.Title, &v.Hash, &v.Source, timeDest{&v.StoredAt}, &v.StoredBy)
	return v, err
}
