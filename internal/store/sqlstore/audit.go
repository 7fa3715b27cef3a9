package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

const auditColumns = "seq, at, actor, action, subject, detail, prev_hash, hash"

// AppendAudit links e to the last entry and stores it, in a transaction of
// its own.
func (s *Store) AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	var stored store.AuditEntry
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		stored, err = s.appendAuditTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return store.AuditEntry{}, err
	}
	return stored, nil
}

// appendAuditTx appends e inside tx, so that a change and the entry that
// records it commit together or not at all. Reading the last entry and
// inserting happen under the dialect's LockAudit (or SQLite's write lock),
// which excludes other appenders until tx ends, so the chain cannot fork;
// the seq primary key would refuse a fork anyway.
func (s *Store) appendAuditTx(ctx context.Context, tx *sql.Tx, e store.AuditEntry) (store.AuditEntry, error) {
	fail := func(err error) (store.AuditEntry, error) {
		return store.AuditEntry{}, fmt.Errorf("append audit entry (action %q, subject %q): %w", e.Action, e.Subject, err)
	}
	if err := prepareAuditEntry(&e); err != nil {
		return fail(err)
	}
	if s.dialect.LockAudit != "" {
		if _, err := tx.ExecContext(ctx, s.dialect.LockAudit); err != nil {
			return fail(fmt.Errorf("lock audit log: %w", err))
		}
	}
	var last int64
	var prevHash string
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&last, &prevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fail(fmt.Errorf("read last entry: %w", err))
	}
	e.Seq, e.PrevHash = last+1, prevHash
	e.Hash = store.AuditHash(e)
	var detail any // NULL when there is none
	if e.Detail != nil {
		detail = string(e.Detail)
	}
	_, err = tx.ExecContext(ctx, s.rebind("INSERT INTO audit_log ("+auditColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		e.Seq, timeArg(e.At), e.Actor, e.Action, e.Subject, detail, e.PrevHash, e.Hash)
	if err != nil {
		return fail(fmt.Errorf("insert: %w", err))
	}
	return e, nil
}

// prepareAuditEntry checks e and puts At and Detail in the form they will
// read back in, since the hash covers them.
func prepareAuditEntry(e *store.AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return errors.New("actor and action are required")
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = dbTime(e.At)
	if len(e.Detail) == 0 {
		e.Detail = nil
		return nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, e.Detail); err != nil {
		return fmt.Errorf("detail is not valid JSON: %w", err)
	}
	e.Detail = compact.Bytes()
	return nil
}

// ListAudit returns entries after afterSeq, oldest first, at most limit
// (all if limit <= 0).
func (s *Store) ListAudit(ctx context.Context, afterSeq int64, limit int) ([]store.AuditEntry, error) {
	query := "SELECT " + auditColumns + " FROM audit_log WHERE seq > ? ORDER BY seq"
	args := []any{afterSeq}
	if limit > 0 {
		query += " LIMIT ?"
		args = append(args, limit)
	}
	entries, err := queryAll(ctx, s, scanAuditEntry, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log after %d: %w", afterSeq, err)
	}
	return entries, nil
}

func scanAuditEntry(row scanner) (store.AuditEntry, error) {
	var e store.AuditEntry
	var detail []byte
	err := row.Scan(&e.Seq, timeDest{&e.At}, &e.Actor, &e.Action, &e.Subject, &detail, &e.PrevHash, &e.Hash)
	e.Detail = detail // nil for NULL
	return e, err
}

// auditCiters are the tables whose rows cite the audit entry that recorded
// them, in an audit_seq column.
var auditCiters = []string{"review_transitions", "evidence_items", "incident_links"}

// HighestCitedAuditSeq returns the largest audit_seq any citing table
// holds, 0 if none. Each MAX reads one index or table; these tables grow
// with reviews, not with imports, so they stay small.
func (s *Store) HighestCitedAuditSeq(ctx context.Context) (int64, error) {
	var highest int64
	for _, table := range auditCiters {
		var seq sql.NullInt64
		if err := s.db.QueryRowContext(ctx, "SELECT MAX(audit_seq) FROM "+table).Scan(&seq); err != nil {
			return 0, fmt.Errorf("highest audit seq cited by %s: %w", table, err)
		}
		highest = max(highest, seq.Int64)
	}
	return highest, nil
}
