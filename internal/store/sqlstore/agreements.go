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

const agreementVersionColumns = "agreement_id, version, title, hash, source, normalized, stored_at, stored_by"

// PutAgreementVersion stores v unless that exact content is already there.
// Hash is computed from Source when empty and must match it otherwise;
// StoredAt defaults to now. A version stored is recorded in the audit log
// (actor StoredBy) in the same transaction.
func (s *Store) PutAgreementVersion(ctx context.Context, v store.AgreementVersion) (created bool, err error) {
	if err := prepareAgreementVersion(&v); err != nil {
		return false, fmt.Errorf("put agreement %q version %d: %w", v.AgreementID, v.Version, err)
	}
	var storedHash string
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// The agreement row comes first for the foreign key; it only moves
		// forward, so storing an old version late keeps the latest.
		_, err := tx.ExecContext(ctx, s.rebind(`
			INSERT INTO agreements (id, latest_version, title) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET latest_version = excluded.latest_version, title = excluded.title
			WHERE excluded.latest_version > agreements.latest_version`),
			v.AgreementID, v.Version, v.Title)
		if err != nil {
			return fmt.Errorf("update agreement: %w", err)
		}
		res, err := tx.ExecContext(ctx, s.rebind(`
			INSERT INTO agreement_versions (`+agreementVersionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (agreement_id, version) DO NOTHING`),
			v.AgreementID, v.Version, v.Title, v.Hash, string(v.Source), string(v.Normalized), timeArg(v.StoredAt), v.StoredBy)
		if err != nil {
			return fmt.Errorf("insert version: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert version: %w", err)
		}
		if n == 1 {
			created = true
			detail, err := json.Marshal(map[string]any{"version": v.Version, "hash": v.Hash})
			if err != nil {
				return err
			}
			_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{Actor: v.StoredBy, Action: "agreement.import", Subject: "agreement/" + v.AgreementID, Detail: detail})
			return err
		}
		err = tx.QueryRowContext(ctx, s.rebind("SELECT hash FROM agreement_versions WHERE agreement_id = ? AND version = ?"),
			v.AgreementID, v.Version).Scan(&storedHash)
		if err != nil {
			return fmt.Errorf("read stored version: %w", err)
		}
		// Nothing was written; rolling back also undoes the agreements upsert.
		return errUnchanged
	})
	switch {
	case errors.Is(err, errUnchanged) && storedHash == v.Hash:
		return false, nil
	case errors.Is(err, errUnchanged):
		return false, fmt.Errorf("put agreement %q version %d: %w (stored sha256 %s, new %s)",
			v.AgreementID, v.Version, store.ErrVersionConflict, short(storedHash), short(v.Hash))
	case err != nil:
		return false, fmt.Errorf("put agreement %q version %d: %w", v.AgreementID, v.Version, err)
	}
	return created, nil
}

// errUnchanged rolls back a transaction that found nothing to do.
var errUnchanged = errors.New("unchanged")

// prepareAgreementVersion checks v and fills in what the store assigns.
func prepareAgreementVersion(v *store.AgreementVersion) error {
	if v.AgreementID == "" {
		return errors.New("agreement id is empty")
	}
	if v.Version < 1 {
		return errors.New("version must be 1 or more")
	}
	sum := sha256.Sum256(v.Source)
	hash := hex.EncodeToString(sum[:])
	switch {
	case v.Hash == "":
		v.Hash = hash
	case v.Hash != hash:
		return fmt.Errorf("hash %s is not the SHA-256 of the source (%s)", short(v.Hash), short(hash))
	}
	if len(v.Normalized) == 0 {
		v.Normalized = json.RawMessage("null")
	}
	if !json.Valid(v.Normalized) {
		return errors.New("normalized form is not valid JSON")
	}
	if v.StoredBy == "" {
		return errors.New("who stores it (StoredBy) is required")
	}
	if v.StoredAt.IsZero() {
		v.StoredAt = time.Now()
	}
	v.StoredAt = dbTime(v.StoredAt)
	return nil
}

// short abbreviates a hex hash for messages.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// GetAgreementVersion returns one version of an agreement, the latest if
// version is 0.
func (s *Store) GetAgreementVersion(ctx context.Context, id string, version int) (store.AgreementVersion, error) {
	what := fmt.Sprintf("agreement %q version %d", id, version)
	query := "SELECT " + agreementVersionColumns + " FROM agreement_versions WHERE agreement_id = ? AND version = ?"
	args := []any{id, version}
	if version == 0 {
		what = fmt.Sprintf("latest version of agreement %q", id)
		query = "SELECT " + agreementVersionColumns + " FROM agreement_versions WHERE agreement_id = ? ORDER BY version DESC LIMIT 1"
		args = args[:1]
	}
	v, err := scanAgreementVersion(s.queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return store.AgreementVersion{}, fmt.Errorf("get %s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return store.AgreementVersion{}, fmt.Errorf("get %s: %w", what, err)
	}
	return v, nil
}

// ListAgreementVersions returns every version of one agreement, oldest first.
func (s *Store) ListAgreementVersions(ctx context.Context, id string) ([]store.AgreementVersion, error) {
	vs, err := queryAll(ctx, s, scanAgreementVersion,
		"SELECT "+agreementVersionColumns+" FROM agreement_versions WHERE agreement_id = ? ORDER BY version", id)
	if err == nil && len(vs) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("list versions of agreement %q: %w", id, err)
	}
	return vs, nil
}

// ListAgreements returns the latest version of every agreement, by id.
func (s *Store) ListAgreements(ctx context.Context) ([]store.AgreementVersion, error) {
	vs, err := queryAll(ctx, s, scanAgreementVersion, `
		SELECT v.agreement_id, v.version, v.title, v.hash, v.source, v.normalized, v.stored_at, v.stored_by
		FROM agreements a JOIN agreement_versions v ON v.agreement_id = a.id AND v.version = a.latest_version
		ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	return vs, nil
}

func scanAgreementVersion(row scanner) (store.AgreementVersion, error) {
	var v store.AgreementVersion
	var normalized []byte
	err := row.Scan(&v.AgreementID, &v.Version, &v.Title, &v.Hash, &v.Source, &normalized, timeDest{&v.StoredAt}, &v.StoredBy)
	v.Normalized = normalized
	return v, err
}
