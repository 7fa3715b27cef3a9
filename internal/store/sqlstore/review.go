package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

var _ store.Reviews = (*Store)(nil)

// subjectTable returns the table a subject lives in and the column that
// review_transitions and evidence_items name it by.
func subjectTable(subj vocab.Ref) (table, column string, err error) {
	switch {
	case subj.ID <= 0:
		return "", "", fmt.Errorf("%w: subject %s has no id", store.ErrInvalid, subj)
	case subj.Kind == vocab.KindFinding:
		return "findings", "finding_id", nil
	case subj.Kind == vocab.KindIncident:
		return "incidents", "incident_id", nil
	}
	return "", "", fmt.Errorf("%w: subject type %q is neither %s nor %s", store.ErrInvalid, subj.Kind, vocab.KindFinding, vocab.KindIncident)
}

// subjectIDs are the finding_id and incident_id values naming subj: one
// set, the other NULL.
func subjectIDs(subj vocab.Ref) (finding, incident any) {
	if subj.Kind == vocab.KindFinding {
		return subj.ID, nil
	}
	return nil, subj.ID
}

// findingMachineOnly is true when a finding's record is machine-coded: its
// source has been imported from GDELT.
const findingMachineOnly = `EXISTS (SELECT 1 FROM import_batches b WHERE b.format = 'gdelt' AND b.source = COALESCE(e.source, c.source))`

// versionAtCreation is the version of a finding's record that was current
// when the finding was made: the oldest version superseded after that, or
// the current one if none was.
const versionAtCreation = `COALESCE(
	(SELECT MIN(v.version) FROM event_versions v WHERE v.event_id = f.event_id AND v.superseded_at > f.created_at),
	(SELECT MIN(v.version) FROM claim_versions v WHERE v.claim_id = f.claim_id AND v.superseded_at > f.created_at),
	COALESCE(e.version, c.version))`

// ReviewState reads what the workflow rules need of a subject.
func (s *Store) ReviewState(ctx context.Context, subj vocab.Ref) (review.State, error) {
	st := review.State{Subject: subj}
	fail := func(err error) (review.State, error) {
		return review.State{}, fmt.Errorf("review state of %s: %w", subj, err)
	}
	if _, _, err := subjectTable(subj); err != nil {
		return fail(err)
	}
	query := `SELECT status, needs_review, review_revision, machine_only, 0 FROM incidents WHERE id = ?`
	if subj.Kind == vocab.KindFinding {
		query = `SELECT f.status, f.needs_review, f.review_revision, ` + findingMachineOnly + `, ` + versionAtCreation + `
			FROM findings f LEFT JOIN events e ON e.id = f.event_id LEFT JOIN claims c ON c.id = f.claim_id WHERE f.id = ?`
	}
	err := s.queryRow(ctx, query, subj.ID).Scan(&st.Status, &st.NeedsReview, &st.Revision, &st.MachineOnly, &st.JudgedVersion)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return fail(err)
	}
	if st.History, err = s.transitions(ctx, subj); err != nil {
		return fail(err)
	}
	for _, t := range st.History {
		if t.RecordVersion > 0 {
			st.JudgedVersion = t.RecordVersion
		}
	}
	if st.Evidence, err = s.ListEvidence(ctx, subj, false); err != nil {
		return fail(err)
	}
	return st, nil
}

// transitions reads a subject's recorded steps, oldest first.
func (s *Store) transitions(ctx context.Context, subj vocab.Ref) ([]review.Transition, error) {
	_, col, err := subjectTable(subj)
	if err != nil {
		return nil, err
	}
	ts, err := queryAll(ctx, s, func(row scanner) (review.Transition, error) {
		t := review.Transition{Subject: subj}
		var rv sql.NullInt64
		err := row.Scan(&t.ID, &t.From, &t.To, &t.By, timeDest{&t.At}, &t.Reason, &rv, &t.AuditSeq)
		t.RecordVersion = int(rv.Int64)
		return t, err
	}, `SELECT id, from_status, to_status, by_user, at, reason, record_version, audit_seq
		FROM review_transitions WHERE `+col+` = ? ORDER BY id`, subj.ID)
	if err != nil {
		return nil, fmt.Errorf("read transitions: %w", err)
	}
	return ts, nil
}

// ApplyTransition records one step, compare-and-set on the subject's
// status and revision, with its audit entry, in one transaction. The time
// of the step is the audit entry's.
func (s *Store) ApplyTransition(ctx context.Context, t review.Transition, revision int) (review.Transition, error) {
	fail := func(err error) (review.Transition, error) {
		return review.Transition{}, fmt.Errorf("move %s from %s to %s: %w", t.Subject, t.From, t.To, err)
	}
	table, _, err := subjectTable(t.Subject)
	if err != nil {
		return fail(err)
	}
	switch {
	case !slices.Contains(vocab.Statuses(), t.To):
		return fail(fmt.Errorf("%w: unknown status %q", store.ErrInvalid, t.To))
	case t.By == "" || strings.TrimSpace(t.Reason) == "":
		return fail(fmt.Errorf("%w: a transition needs who and why", store.ErrInvalid))
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind("UPDATE "+table+
			" SET status = ?, needs_review = FALSE, review_revision = review_revision + 1 WHERE id = ? AND status = ? AND review_revision = ?"),
			t.To, t.Subject.ID, t.From, revision)
		if err != nil {
			return fmt.Errorf("update status: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return fmt.Errorf("update status: %w", err)
			}
			return s.missingOrConflict(ctx, tx, t.Subject, table)
		}
		var recordVersion any // NULL for incidents
		if t.Subject.Kind == vocab.KindFinding {
			var v int
			err := tx.QueryRowContext(ctx, s.rebind(`SELECT COALESCE(e.version, c.version) FROM findings f
				LEFT JOIN events e ON e.id = f.event_id LEFT JOIN claims c ON c.id = f.claim_id WHERE f.id = ?`), t.Subject.ID).Scan(&v)
			if err != nil {
				return fmt.Errorf("read the finding's record version: %w", err)
			}
			recordVersion, t.RecordVersion = v, v
		}
		detail, err := json.Marshal(map[string]string{"from": string(t.From), "to": string(t.To), "reason": t.Reason})
		if err != nil {
			return err
		}
		entry, err := s.appendAuditTx(ctx, tx, store.AuditEntry{Actor: t.By, Action: "review.transition", Subject: t.Subject.String(), Detail: detail})
		if err != nil {
			return err
		}
		t.At, t.AuditSeq = entry.At, entry.Seq
		finding, incident := subjectIDs(t.Subject)
		err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO review_transitions
			(finding_id, incident_id, from_status, to_status, by_user, at, reason, record_version, audit_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			finding, incident, t.From, t.To, t.By, timeArg(t.At), t.Reason, recordVersion, t.AuditSeq).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert transition: %w", err)
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return t, nil
}

// ScanReviewStatuses streams every finding's and incident's status.
func (s *Store) ScanReviewStatuses(ctx context.Context, fn func(store.SubjectStatus) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT 'finding', id, status, review_revision FROM findings
		UNION ALL SELECT 'incident', id, status, review_revision FROM incidents ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("scan review statuses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st store.SubjectStatus
		if err := rows.Scan(&st.Subject.Kind, &st.Subject.ID, &st.Status, &st.Revision); err != nil {
			return fmt.Errorf("scan review statuses: %w", err)
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan review statuses: %w", err)
	}
	return nil
}

// missingOrConflict tells why a compare-and-set wrote nothing: the subject
// is gone, or a *store.ConflictError with the subject as it is now and the
// step that made it so.
func (s *Store) missingOrConflict(ctx context.Context, tx *sql.Tx, subj vocab.Ref, table string) error {
	st := review.State{Subject: subj}
	err := tx.QueryRowContext(ctx, s.rebind("SELECT status, review_revision FROM "+table+" WHERE id = ?"), subj.ID).Scan(&st.Status, &st.Revision)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case err != nil:
		return err
	}
	conflict := store.NewConflict(st)
	_, col, _ := subjectTable(subj) // subj was checked before
	last := review.Transition{Subject: subj}
	var rv sql.NullInt64
	err = tx.QueryRowContext(ctx, s.rebind(`SELECT id, from_status, to_status, by_user, at, reason, record_version, audit_seq
		FROM review_transitions WHERE `+col+` = ? ORDER BY id DESC LIMIT 1`), subj.ID).
		Scan(&last.ID, &last.From, &last.To, &last.By, timeDest{&last.At}, &last.Reason, &rv, &last.AuditSeq)
	switch {
	case errors.Is(err, sql.ErrNoRows): // never reviewed
	case err != nil:
		return fmt.Errorf("read the latest step: %w", err)
	default:
		last.RecordVersion = int(rv.Int64)
		conflict.Last = &last
	}
	return conflict
}

// checkEvidence refuses an item that says nothing or says it badly.
func checkEvidence(item *review.EvidenceItem, content []byte) error {
	geo := item.Lat != nil || item.Lon != nil
	switch {
	case item.AddedBy == "":
		return errors.New("who adds it is not given")
	case content != nil && len(content) == 0:
		return errors.New("the file is empty")
	case content == nil && item.SHA256 != "" && !isSHA256(item.SHA256):
		return fmt.Errorf("%q is not a hex SHA-256", item.SHA256)
	case item.URL == "" && content == nil && item.SHA256 == "" && !geo && item.Chronolocation == "" && item.Notes == "":
		return errors.New("it has nothing: give a URL, a file, a geolocation, chronolocation or notes")
	case geo && (item.Lat == nil || item.Lon == nil):
		return errors.New("a geolocation needs both latitude and longitude")
	case geo && (math.IsNaN(*item.Lat) || math.Abs(*item.Lat) > 90 || math.IsNaN(*item.Lon) || math.Abs(*item.Lon) > 180):
		return fmt.Errorf("%v, %v is not a latitude and longitude", *item.Lat, *item.Lon)
	case geo && strings.TrimSpace(item.GeoMethod) == "":
		return errors.New("a geolocation needs its method: how was the place established?")
	case !geo && item.GeoMethod != "":
		return errors.New("a geolocation method without latitude and longitude")
	case item.Supersedes < 0:
		return fmt.Errorf("supersedes %d: not an item id", item.Supersedes)
	}
	return nil
}

func isSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && strings.ToLower(s) == s
}

// AddEvidence stores an evidence item, and its file once by content, with
// its audit entry, in one transaction.
func (s *Store) AddEvidence(ctx context.Context, item review.EvidenceItem, content []byte) (review.EvidenceItem, error) {
	fail := func(err error) (review.EvidenceItem, error) {
		return review.EvidenceItem{}, fmt.Errorf("add evidence to %s: %w", item.Subject, err)
	}
	table, _, err := subjectTable(item.Subject)
	if err != nil {
		return fail(err)
	}
	if err := checkEvidence(&item, content); err != nil {
		return fail(fmt.Errorf("%w: %w", store.ErrInvalid, err))
	}
	if content != nil {
		sum := sha256.Sum256(content)
		item.SHA256, item.Size = hex.EncodeToString(sum[:]), int64(len(content))
		if item.MediaType == "" {
			item.MediaType = http.DetectContentType(content)
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, s.rebind("SELECT 1 FROM "+table+" WHERE id = ?"), item.Subject.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if item.Supersedes != 0 {
			if err := s.checkSupersedes(ctx, tx, item.Subject, item.Supersedes); err != nil {
				return err
			}
		}
		if item.SHA256 != "" {
			if err := s.storeEvidenceFile(ctx, tx, &item, content); err != nil {
				return err
			}
		}
		detail, err := json.Marshal(evidenceDetail(&item))
		if err != nil {
			return err
		}
		entry, err := s.appendAuditTx(ctx, tx, store.AuditEntry{Actor: item.AddedBy, Action: "evidence.add", Subject: item.Subject.String(), Detail: detail})
		if err != nil {
			return err
		}
		item.AddedAt, item.AuditSeq = entry.At, entry.Seq
		finding, incident := subjectIDs(item.Subject)
		var sum, supersedes any // NULL when none
		if item.SHA256 != "" {
			sum = item.SHA256
		}
		if item.Supersedes != 0 {
			supersedes = item.Supersedes
		}
		err = tx.QueryRowContext(ctx, s.rebind(`INSERT INTO evidence_items (finding_id, incident_id, url, sha256, file_name,
			lat, lon, geo_method, chronolocation, notes, supersedes, added_by, added_at, audit_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			finding, incident, item.URL, sum, item.FileName, nullFloat(item.Lat), nullFloat(item.Lon), item.GeoMethod,
			item.Chronolocation, item.Notes, supersedes, item.AddedBy, timeArg(item.AddedAt), item.AuditSeq).Scan(&item.ID)
		if err != nil {
			return fmt.Errorf("insert item: %w", err)
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	item.SupersededBy = 0
	return item, nil
}

// checkSupersedes checks that item id is a standing item of subj. The
// UNIQUE constraint on supersedes settles a race between two successors.
func (s *Store) checkSupersedes(ctx context.Context, tx *sql.Tx, subj vocab.Ref, id int64) error {
	var finding, incident, successor sql.NullInt64
	err := tx.QueryRowContext(ctx, s.rebind(`SELECT i.finding_id, i.incident_id, n.id FROM evidence_items i
		LEFT JOIN evidence_items n ON n.supersedes = i.id WHERE i.id = ?`), id).Scan(&finding, &incident, &successor)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: there is no evidence item %d to supersede", store.ErrInvalid, id)
	}
	if err != nil {
		return fmt.Errorf("read item %d: %w", id, err)
	}
	owner := vocab.Ref{Kind: vocab.KindFinding, ID: finding.Int64}
	if incident.Valid {
		owner = vocab.Ref{Kind: vocab.KindIncident, ID: incident.Int64}
	}
	if owner != subj {
		return fmt.Errorf("%w: evidence item %d is on %s, not %s", store.ErrInvalid, id, owner, subj)
	}
	if successor.Valid {
		return fmt.Errorf("%w: evidence item %d was already superseded by item %d: supersede that one", store.ErrInvalid, id, successor.Int64)
	}
	return nil
}

// storeEvidenceFile stores content under its hash unless it is stored
// already, and fills item's size and media type from the stored file: the
// first upload's type stands.
func (s *Store) storeEvidenceFile(ctx context.Context, tx *sql.Tx, item *review.EvidenceItem, content []byte) error {
	if content != nil {
		_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO evidence_files (sha256, size, media_type, content, stored_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`), item.SHA256, item.Size, item.MediaType, content, timeArg(time.Now()))
		if err != nil {
			return fmt.Errorf("store file: %w", err)
		}
	}
	err := tx.QueryRowContext(ctx, s.rebind("SELECT size, media_type FROM evidence_files WHERE sha256 = ?"), item.SHA256).
		Scan(&item.Size, &item.MediaType)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: no file with SHA-256 %s is stored: upload it", store.ErrInvalid, item.SHA256)
	}
	if err != nil {
		return fmt.Errorf("read stored file: %w", err)
	}
	return nil
}

// evidenceDetail is what the audit entry of an item records: enough to
// recognise it, the file by its hash.
func evidenceDetail(item *review.EvidenceItem) map[string]any {
	d := map[string]any{}
	for k, v := range map[string]string{"url": item.URL, "sha256": item.SHA256, "file_name": item.FileName,
		"geo_method": item.GeoMethod, "chronolocation": item.Chronolocation, "notes": item.Notes} {
		if v != "" {
			d[k] = v
		}
	}
	if item.Lat != nil {
		d["lat"], d["lon"] = *item.Lat, *item.Lon
	}
	if item.Supersedes != 0 {
		d["supersedes"] = item.Supersedes
	}
	return d
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// ListEvidence returns a subject's items, oldest first, each with the item
// that superseded it, if any.
func (s *Store) ListEvidence(ctx context.Context, subj vocab.Ref, includeSuperseded bool) ([]review.EvidenceItem, error) {
	_, col, err := subjectTable(subj)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	query := `SELECT i.id, i.url, i.sha256, f.size, f.media_type, i.file_name, i.lat, i.lon, i.geo_method,
		i.chronolocation, i.notes, i.supersedes, n.id, i.added_by, i.added_at, i.audit_seq
		FROM evidence_items i LEFT JOIN evidence_files f ON f.sha256 = i.sha256
		LEFT JOIN evidence_items n ON n.supersedes = i.id WHERE i.` + col + ` = ?`
	if !includeSuperseded {
		query += " AND n.id IS NULL"
	}
	items, err := queryAll(ctx, s, func(row scanner) (review.EvidenceItem, error) {
		item := review.EvidenceItem{Subject: subj}
		var sum, mediaType sql.NullString
		var size, supersedes, successor sql.NullInt64
		var lat, lon sql.NullFloat64
		err := row.Scan(&item.ID, &item.URL, &sum, &size, &mediaType, &item.FileName, &lat, &lon, &item.GeoMethod,
			&item.Chronolocation, &item.Notes, &supersedes, &successor, &item.AddedBy, timeDest{&item.AddedAt}, &item.AuditSeq)
		item.SHA256, item.Size, item.MediaType = sum.String, size.Int64, mediaType.String
		item.Lat, item.Lon = floatPtr(lat), floatPtr(lon)
		item.Supersedes, item.SupersededBy = supersedes.Int64, successor.Int64
		return item, err
	}, query+" ORDER BY i.id", subj.ID)
	if err != nil {
		return nil, fmt.Errorf("list evidence of %s: %w", subj, err)
	}
	return items, nil
}

// EvidenceFile returns an uploaded file's content.
func (s *Store) EvidenceFile(ctx context.Context, sum string) ([]byte, error) {
	var content []byte
	err := s.queryRow(ctx, "SELECT content FROM evidence_files WHERE sha256 = ?", strings.ToLower(sum)).Scan(&content)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("evidence file %s: %w", sum, err)
	}
	return content, nil
}

// GetFinding returns one finding with its record's current version.
func (s *Store) GetFinding(ctx context.Context, id int64) (store.FindingRecord, error) {
	f, err := scanFinding(s.queryRow(ctx, "SELECT "+findingColumns+
		" FROM findings f LEFT JOIN events e ON e.id = f.event_id LEFT JOIN claims c ON c.id = f.claim_id WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.FindingRecord{}, fmt.Errorf("finding %d: %w", id, err)
	}
	return f, nil
}
