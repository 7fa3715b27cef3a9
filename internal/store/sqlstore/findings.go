package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

var _ store.Findings = (*Store)(nil)

// findingContent are the columns FindingResult fills besides its key, in
// the order contentHash covers them.
var findingContent = []string{"verdict", "claimant", "failed_clause", "category", "time_position",
	"exception_id", "explanation", "explanation_text", "part"}

// findingInsertColumns are the columns ReplaceFindings inserts.
var findingInsertColumns = slices.Concat(
	[]string{"agreement_id", "agreement_version", "commitment_id", "reading", "accused", "event_id", "claim_id",
		"record_version", "evidence_hash", "record_time"},
	findingContent,
	[]string{"content_hash", "created_at", "updated_at", "evaluated_at"})

// findingKey identifies a finding within one record's set.
type findingKey struct{ commitment, reading, accused string }

// setKey identifies one record under one agreement version.
type setKey struct {
	agreement string
	version   int
	record    vocab.Ref
}

// storedFinding is what ReplaceFindings needs of a stored finding.
type storedFinding struct {
	id        int64
	hash      string
	withdrawn bool
}

// ReplaceFindings replaces the findings of each set's record in one
// transaction. Stored findings are read first, for all sets at once, and
// compared by content hash, so an unchanged finding costs one small update.
func (s *Store) ReplaceFindings(ctx context.Context, sets []store.FindingSet) ([]store.FindingCounts, error) {
	hashes, err := checkFindingSets(sets)
	if err != nil {
		return nil, fmt.Errorf("replace findings: %w: %w", store.ErrInvalid, err)
	}
	counts := make([]store.FindingCounts, len(sets))
	if len(sets) == 0 {
		return counts, nil
	}
	now := timeArg(time.Now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := s.storedFindings(ctx, tx, sets)
		if err != nil {
			return err
		}
		w := findingWriter{s: s, tx: tx, now: now}
		defer w.close()
		for i := range sets {
			set := &sets[i]
			old := stored[setKey{set.AgreementID, set.AgreementVersion, set.Record}]
			c := &counts[i]
			for j := range set.Results {
				r := &set.Results[j]
				k := findingKey{r.CommitmentID, r.Reading, r.Accused}
				o, ok := old[k]
				delete(old, k)
				switch {
				case !ok:
					w.insert(set, r, hashes[i][j])
					c.New++
				case o.withdrawn || o.hash != hashes[i][j]:
					err = w.update(ctx, o.id, set, r, hashes[i][j])
					c.Changed++
				default:
					err = w.touch(ctx, o.id, set)
					c.Unchanged++
				}
				if err != nil {
					return err
				}
			}
			for _, o := range old {
				if o.withdrawn {
					continue
				}
				if err := w.withdraw(ctx, o.id); err != nil {
					return err
				}
				c.Withdrawn++
			}
		}
		return w.flush(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("replace findings of %d records: %w", len(sets), err)
	}
	return counts, nil
}

// checkFindingSets refuses what the schema would, before anything is
// written, and returns the content hash of every result.
func checkFindingSets(sets []store.FindingSet) ([][]string, error) {
	hashes := make([][]string, len(sets))
	seen := make(map[setKey]bool, len(sets))
	for i := range sets {
		set := &sets[i]
		what := fmt.Sprintf("%s %d under %s version %d", set.Record.Kind, set.Record.ID, set.AgreementID, set.AgreementVersion)
		switch {
		case set.AgreementID == "" || set.AgreementVersion < 1:
			return nil, fmt.Errorf("%s: no agreement version", what)
		case set.Record.Kind != vocab.KindEvent && set.Record.Kind != vocab.KindClaim:
			return nil, fmt.Errorf("%s: record type must be %q or %q", what, vocab.KindEvent, vocab.KindClaim)
		case set.Record.ID <= 0:
			return nil, fmt.Errorf("%s: no record id", what)
		}
		k := setKey{set.AgreementID, set.AgreementVersion, set.Record}
		if seen[k] {
			return nil, fmt.Errorf("%s: given twice", what)
		}
		seen[k] = true
		keys := make(map[findingKey]bool, len(set.Results))
		hashes[i] = make([]string, len(set.Results))
		for j := range set.Results {
			r := &set.Results[j]
			fk := findingKey{r.CommitmentID, r.Reading, r.Accused}
			switch {
			case r.CommitmentID == "" || r.Reading == "":
				return nil, fmt.Errorf("%s: a result without commitment or reading", what)
			case keys[fk]:
				return nil, fmt.Errorf("%s: two results for commitment %s, reading %s, accused %q", what, r.CommitmentID, r.Reading, r.Accused)
			case !slices.Contains(vocab.Verdicts(), r.Verdict):
				return nil, fmt.Errorf("%s: verdict %q is not one of %s", what, r.Verdict, strings.Join(vocab.Names(vocab.Verdicts()), ", "))
			case len(r.Explanation) == 0 || !json.Valid(r.Explanation):
				return nil, fmt.Errorf("%s: explanation is not JSON", what)
			}
			keys[fk] = true
			hashes[i][j] = contentHash(r)
		}
	}
	return hashes, nil
}

// contentHash covers what a finding says, its key aside, each field as a
// netstring so no two contents share an encoding. The explanation is hashed
// as given: PostgreSQL's JSONB would not read it back byte for byte.
func contentHash(r *store.FindingResult) string {
	h := sha256.New()
	for _, f := range []string{string(r.Verdict), r.Claimant, r.FailedClause, r.Category, r.TimePosition,
		r.Exception, string(r.Explanation), r.ExplanationText, strconv.Itoa(r.Part)} {
		fmt.Fprintf(h, "%d:%s,", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// recordColumn is the findings column naming a record of type t.
func recordColumn(t vocab.Kind) string {
	if t == vocab.KindClaim {
		return "claim_id"
	}
	return "event_id"
}

// storedFindings reads the findings of every set's record under its
// agreement version, withdrawn ones included, by set and key.
func (s *Store) storedFindings(ctx context.Context, tx *sql.Tx, sets []store.FindingSet) (map[setKey]map[findingKey]storedFinding, error) {
	type group struct {
		agreement string
		version   int
		recType   vocab.Kind
	}
	ids := map[group][]int64{}
	out := make(map[setKey]map[findingKey]storedFinding, len(sets))
	for i := range sets {
		set := &sets[i]
		g := group{set.AgreementID, set.AgreementVersion, set.Record.Kind}
		ids[g] = append(ids[g], set.Record.ID)
		out[setKey{set.AgreementID, set.AgreementVersion, set.Record}] = map[findingKey]storedFinding{}
	}
	for g, list := range ids {
		col := recordColumn(g.recType)
		for part := range slices.Chunk(list, StatementRows) {
			args := append([]any{g.agreement, g.version}, int64Args(part)...)
			rows, err := tx.QueryContext(ctx, s.rebind("SELECT id, "+col+", commitment_id, reading, accused, content_hash, withdrawn_at IS NOT NULL"+
				" FROM findings WHERE agreement_id = ? AND agreement_version = ? AND "+col+" IN ("+placeholders(len(part))+")"), args...)
			if err != nil {
				return nil, fmt.Errorf("read stored findings: %w", err)
			}
			for rows.Next() {
				var f storedFinding
				var rec int64
				var k findingKey
				if err := rows.Scan(&f.id, &rec, &k.commitment, &k.reading, &k.accused, &f.hash, &f.withdrawn); err != nil {
					rows.Close()
					return nil, fmt.Errorf("read stored findings: %w", err)
				}
				out[setKey{g.agreement, g.version, vocab.Ref{Kind: g.recType, ID: rec}}][k] = f
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("read stored findings: %w", err)
			}
		}
	}
	return out, nil
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// findingWriter writes the findings of one ReplaceFindings: new ones in
// multi-row inserts, the rest by id through statements prepared once.
type findingWriter struct {
	s     *Store
	tx    *sql.Tx
	now   string
	vals  []any // rows to insert, findingInsertColumns each
	n     int
	stmts map[string]*sql.Stmt
}

func (w *findingWriter) insert(set *store.FindingSet, r *store.FindingResult, hash string) {
	var eventID, claimID any
	if set.Record.Kind == vocab.KindClaim {
		claimID = set.Record.ID
	} else {
		eventID = set.Record.ID
	}
	w.vals = append(w.vals, set.AgreementID, set.AgreementVersion, r.CommitmentID, r.Reading, r.Accused, eventID, claimID,
		set.RecordVersion, set.EvidenceHash, timeArg(set.RecordTime),
		r.Verdict, r.Claimant, r.FailedClause, r.Category, r.TimePosition, r.Exception, string(r.Explanation), r.ExplanationText, r.Part,
		hash, w.now, w.now, w.now)
	w.n++
}

// flush inserts the new findings.
func (w *findingWriter) flush(ctx context.Context) error {
	cols := len(findingInsertColumns)
	for first := 0; first < w.n; first += StatementRows {
		k := min(StatementRows, w.n-first)
		query := "INSERT INTO findings (" + strings.Join(findingInsertColumns, ", ") + ") VALUES " + valueRows(k, cols)
		if _, err := w.tx.ExecContext(ctx, w.s.rebind(query), w.vals[first*cols:(first+k)*cols]...); err != nil {
			return fmt.Errorf("insert %d findings: %w", k, err)
		}
	}
	w.vals, w.n = w.vals[:0], 0
	return nil
}

// update rewrites a finding whose content changed, or that comes back after
// being withdrawn, and flags it for review.
func (w *findingWriter) update(ctx context.Context, id int64, set *store.FindingSet, r *store.FindingResult, hash string) error {
	return w.exec(ctx, "update finding", `UPDATE findings SET record_version = ?, evidence_hash = ?, record_time = ?,
		verdict = ?, claimant = ?, failed_clause = ?, category = ?, time_position = ?, exception_id = ?,
		explanation = ?, explanation_text = ?, part = ?, content_hash = ?, needs_review = TRUE, withdrawn_at = NULL,
		updated_at = ?, evaluated_at = ? WHERE id = ?`,
		set.RecordVersion, set.EvidenceHash, timeArg(set.RecordTime),
		r.Verdict, r.Claimant, r.FailedClause, r.Category, r.TimePosition, r.Exception,
		string(r.Explanation), r.ExplanationText, r.Part, hash, w.now, w.now, id)
}

// touch records that an unchanged finding was evaluated again, on the
// record's latest version. It leaves needs_review alone: a new version of
// the record flagged it already, and only a review clears it.
func (w *findingWriter) touch(ctx context.Context, id int64, set *store.FindingSet) error {
	return w.exec(ctx, "touch finding", "UPDATE findings SET record_version = ?, evidence_hash = ?, record_time = ?, evaluated_at = ? WHERE id = ?",
		set.RecordVersion, set.EvidenceHash, timeArg(set.RecordTime), w.now, id)
}

func (w *findingWriter) withdraw(ctx context.Context, id int64) error {
	return w.exec(ctx, "withdraw finding", "UPDATE findings SET withdrawn_at = ?, needs_review = TRUE, updated_at = ?, evaluated_at = ? WHERE id = ?",
		w.now, w.now, w.now, id)
}

func (w *findingWriter) exec(ctx context.Context, what, query string, args ...any) error {
	st := w.stmts[query]
	if st == nil {
		var err error
		if st, err = w.tx.PrepareContext(ctx, w.s.rebind(query)); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if w.stmts == nil {
			w.stmts = map[string]*sql.Stmt{}
		}
		w.stmts[query] = st
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("%s %v: %w", what, args[len(args)-1], err)
	}
	return nil
}

func (w *findingWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// FindingRecords returns the records with standing findings under one
// agreement version.
func (s *Store) FindingRecords(ctx context.Context, agreementID string, version int) ([]vocab.Ref, error) {
	refs, err := queryAll(ctx, s, func(row scanner) (vocab.Ref, error) {
		var ev, cl sql.NullInt64
		if err := row.Scan(&ev, &cl); err != nil {
			return vocab.Ref{}, err
		}
		if ev.Valid {
			return vocab.Ref{Kind: vocab.KindEvent, ID: ev.Int64}, nil
		}
		return vocab.Ref{Kind: vocab.KindClaim, ID: cl.Int64}, nil
	}, `SELECT DISTINCT event_id, claim_id FROM findings
		WHERE agreement_id = ? AND agreement_version = ? AND withdrawn_at IS NULL`, agreementID, version)
	if err != nil {
		return nil, fmt.Errorf("records with findings under %s version %d: %w", agreementID, version, err)
	}
	return refs, nil
}

// LinkSupersededFindings sets supersedes on the version's unlinked
// findings, in one statement: each finding's key is unique per version, so
// the newest earlier version's match is at most one row.
func (s *Store) LinkSupersededFindings(ctx context.Context, agreementID string, version int) (int, error) {
	const earlier = `FROM findings o
		WHERE o.agreement_id = findings.agreement_id AND o.agreement_version < findings.agreement_version
		  AND o.commitment_id = findings.commitment_id AND o.reading = findings.reading AND o.accused = findings.accused
		  AND (o.event_id = findings.event_id OR o.claim_id = findings.claim_id)`
	res, err := s.db.ExecContext(ctx, s.rebind(`UPDATE findings
		SET supersedes = (SELECT o.id `+earlier+` ORDER BY o.agreement_version DESC LIMIT 1)
		WHERE agreement_id = ? AND agreement_version = ? AND supersedes IS NULL AND EXISTS (SELECT 1 `+earlier+`)`),
		agreementID, version)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("link findings of %s v%d to earlier versions: %w", agreementID, version, err)
}

// violationFinding selects the findings (f) that can be violations: a
// prohibited act by a named party. Near misses and exceptions are not, nor
// is a count-only claim ("more than 60 violations since 18 March"): it
// names no act whose time a release could start at.
const violationFinding = `f.verdict IN ('candidate', 'ambiguous') AND f.withdrawn_at IS NULL AND f.accused <> ''
		  AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = f.claim_id AND c.claim_type = 'count')`

// ConfirmedViolations returns, per accused party, the earliest standing
// finding of the agreement (any version) that review confirmed, itself or
// through the incident holding its record (see violationFinding).
func (s *Store) ConfirmedViolations(ctx context.Context, agreementID string) ([]review.ConfirmedViolation, error) {
	rows, err := queryAll(ctx, s, func(row scanner) (review.ConfirmedViolation, error) {
		var v review.ConfirmedViolation
		err := row.Scan(&v.Party, timeDest{&v.At}, &v.FindingID)
		return v, err
	}, s.rebind(`SELECT f.accused, f.record_time, f.id FROM findings f
		WHERE f.agreement_id = ? AND `+violationFinding+`
		  AND (f.status = 'confirmed' OR EXISTS (
			SELECT 1 FROM incident_members m JOIN incidents i ON i.id = m.incident_id
			WHERE i.status = 'confirmed' AND i.dissolved_at IS NULL AND (m.event_id = f.event_id OR m.claim_id = f.claim_id) AND (m.part = f.part OR m.part = 0 OR f.part = 0)))
		ORDER BY f.accused, f.record_time, f.id`), agreementID)
	if err != nil {
		return nil, fmt.Errorf("confirmed violations of %s: %w", agreementID, err)
	}
	var out []review.ConfirmedViolation
	for _, v := range rows {
		if len(out) == 0 || out[len(out)-1].Party != v.Party {
			out = append(out, v)
		}
	}
	return out, nil
}

// ViolationsIfConfirmed returns the findings that would be confirmed
// violations if subj were confirmed (see violationFinding).
func (s *Store) ViolationsIfConfirmed(ctx context.Context, subj vocab.Ref) ([]review.ConfirmedViolation, error) {
	which := `f.id = ?`
	if subj.Kind == vocab.KindIncident {
		which = `EXISTS (SELECT 1 FROM incident_members m WHERE m.incident_id = ? AND (m.event_id = f.event_id OR m.claim_id = f.claim_id) AND (m.part = f.part OR m.part = 0 OR f.part = 0))`
	}
	rows, err := queryAll(ctx, s, func(row scanner) (review.ConfirmedViolation, error) {
		var v review.ConfirmedViolation
		err := row.Scan(&v.AgreementID, &v.Party, timeDest{&v.At}, &v.FindingID)
		return v, err
	}, s.rebind(`SELECT f.agreement_id, f.accused, f.record_time, f.id FROM findings f
		WHERE `+which+` AND `+violationFinding+`
		ORDER BY f.agreement_id, f.record_time, f.id`), subj.ID)
	if err != nil {
		return nil, fmt.Errorf("violations if %s were confirmed: %w", subj, err)
	}
	return rows, nil
}

// GetEvaluationState returns how far evaluation has got with a version.
func (s *Store) GetEvaluationState(ctx context.Context, agreementID string, version int) (store.EvaluationState, error) {
	st := store.EvaluationState{AgreementID: agreementID, AgreementVersion: version}
	err := s.queryRow(ctx, `SELECT last_batch, near_misses, violations, evaluated_at FROM evaluations
		WHERE agreement_id = ? AND agreement_version = ?`, agreementID, version).
		Scan(&st.LastBatch, &st.NearMisses, &st.Violations, timeDest{&st.EvaluatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.EvaluationState{}, fmt.Errorf("evaluation state of %s version %d: %w", agreementID, version, err)
	}
	return st, nil
}

// SetEvaluationState stores how far evaluation has got with a version.
func (s *Store) SetEvaluationState(ctx context.Context, st store.EvaluationState) error {
	_, err := s.db.ExecContext(ctx, s.rebind(`INSERT INTO evaluations (agreement_id, agreement_version, last_batch, near_misses, violations, evaluated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agreement_id, agreement_version) DO UPDATE SET
		last_batch = excluded.last_batch, near_misses = excluded.near_misses, violations = excluded.violations,
		evaluated_at = excluded.evaluated_at`),
		st.AgreementID, st.AgreementVersion, st.LastBatch, st.NearMisses, st.Violations, timeArg(time.Now()))
	if err != nil {
		return fmt.Errorf("set evaluation state of %s version %d: %w", st.AgreementID, st.AgreementVersion, err)
	}
	return nil
}

// LatestBatch returns the newest import batch, after waiting, where the
// dialect says so, for the imports running to end: an import that starts
// later takes a larger id.
func (s *Store) LatestBatch(ctx context.Context) (int64, error) {
	const query = "SELECT COALESCE(MAX(id), 0) FROM import_batches"
	var id int64
	var err error
	if s.dialect.LockBatches == "" {
		// Not in a transaction: on SQLite that would wait for the write
		// lock a running import holds.
		err = s.db.QueryRowContext(ctx, query).Scan(&id)
	} else {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, s.dialect.LockBatches); err != nil {
				return fmt.Errorf("wait for running imports: %w", err)
			}
			return tx.QueryRowContext(ctx, query).Scan(&id)
		})
	}
	if err != nil {
		return 0, fmt.Errorf("latest import batch: %w", err)
	}
	return id, nil
}

// findingColumns are what ScanFindings reads: the finding (f), then its
// record's current version, an event (e) or a claim (c).
var findingColumns = strings.Join([]string{
	"f.id", "f.agreement_id", "f.agreement_version", "f.commitment_id", "f.reading", "f.accused", "f.event_id", "f.claim_id",
	"f.record_version", "f.evidence_hash", "f.record_time",
	"f.verdict", "f.claimant", "f.failed_clause", "f.category", "f.time_position", "f.exception_id", "f.explanation", "f.explanation_text", "f.part",
	"f.status", "f.needs_review", "f.withdrawn_at", "f.created_at", "f.updated_at", "f.evaluated_at", "f.supersedes",
	"COALESCE(e.source, c.source)", "COALESCE(e.source_id, c.source_id)", "COALESCE(e.version, c.version)", "COALESCE(e.deleted, c.deleted)",
	"COALESCE(e.time_start, c.time_start)", "COALESCE(e.time_end, c.time_end)", "COALESCE(e.time_precision, c.time_precision)",
	"e.place_name", "e.country", "e.admin1", "e.admin1_id", "e.admin2", "e.admin3", "e.lat", "e.lon", "e.geo_precision", "c.places",
	"COALESCE(e.kind, c.kind)", "COALESCE(e.text, c.text)", "COALESCE(e.allegations, c.allegations)",
}, ", ")

func scanFinding(row scanner) (store.FindingRecord, error) {
	var (
		f                                        store.FindingRecord
		ev, cl                                   sql.NullInt64
		explanation, places, allegations         []byte
		sub                                      = &f.Subject
		name, country, a1, a1id, a2, a3, geoPrec sql.NullString
		lat, lon                                 sql.NullFloat64
		timePrec                                 string
		supersedes                               sql.NullInt64
	)
	err := row.Scan(&f.ID, &f.AgreementID, &f.AgreementVersion, &f.CommitmentID, &f.Reading, &f.Accused, &ev, &cl,
		&f.RecordVersion, &f.EvidenceHash, timeDest{&f.RecordTime},
		&f.Verdict, &f.Claimant, &f.FailedClause, &f.Category, &f.TimePosition, &f.Exception, &explanation, &f.ExplanationText, &f.Part,
		&f.Status, &f.NeedsReview, timeDest{&f.WithdrawnAt}, timeDest{&f.CreatedAt}, timeDest{&f.UpdatedAt}, timeDest{&f.EvaluatedAt}, &supersedes,
		&sub.Source, &sub.SourceID, &sub.Version, &sub.Deleted,
		timeDest{&sub.Time.Start}, timeDest{&sub.Time.End}, &timePrec,
		&name, &country, &a1, &a1id, &a2, &a3, &lat, &lon, &geoPrec, &places,
		&sub.Kind, &sub.Text, &allegations)
	if err != nil {
		return f, err
	}
	if f.Part > 0 {
		as, err := decodeAllegations(allegations)
		if err != nil {
			return f, fmt.Errorf("finding %d: allegations: %w", f.ID, err)
		}
		if f.Part <= len(as) {
			sub.Allegation = &as[f.Part-1]
		}
	}
	f.Explanation = explanation
	f.Supersedes = supersedes.Int64
	sub.Time.Precision = event.TimePrecision(timePrec)
	if ev.Valid {
		f.Record = vocab.Ref{Kind: vocab.KindEvent, ID: ev.Int64}
		sub.Place = event.Place{Name: name.String, Country: country.String, Admin1: a1.String, Admin1ID: a1id.String,
			Admin2: a2.String, Admin3: a3.String, Lat: floatPtr(lat), Lon: floatPtr(lon), Precision: event.GeoPrecision(geoPrec.String)}
		return f, nil
	}
	f.Record = vocab.Ref{Kind: vocab.KindClaim, ID: cl.Int64}
	var ps []event.Place
	if err := json.Unmarshal(places, &ps); err != nil {
		return f, fmt.Errorf("finding %d: claim places: %w", f.ID, err)
	}
	sub.Place = event.Place{Precision: event.GeoUnknown}
	if len(ps) > 0 {
		sub.Place = ps[0]
	}
	return f, nil
}

// ScanFindings calls fn with each finding f selects, in (record_time, id)
// order, a page at a time like scanPages.
func (s *Store) ScanFindings(ctx context.Context, f store.FindingFilter, fn func(*store.FindingRecord) error) error {
	where, args, err := s.findingFilterSQL(ctx, f)
	if err != nil {
		return fmt.Errorf("scan findings: %w", err)
	}
	if where == "" {
		return nil // no agreement has been evaluated
	}
	query := "SELECT " + findingColumns + " FROM findings f LEFT JOIN events e ON e.id = f.event_id" +
		" LEFT JOIN claims c ON c.id = f.claim_id WHERE " + where
	chunk := scanPage
	if f.PageSize > 0 && f.PageSize < scanPage {
		chunk = f.PageSize
	}
	order := " ORDER BY f.record_time, f.id LIMIT " + strconv.Itoa(chunk)
	first := query
	if f.After != nil {
		first += " AND (f.record_time, f.id) > (?, ?)"
		args = append(args[:len(args):len(args)], timeArg(f.After.RecordTime), f.After.ID)
	}
	page, err := queryAll(ctx, s, scanFinding, first+order, args...)
	if f.After != nil {
		args = args[:len(args)-2]
	}
	for {
		if err != nil {
			return fmt.Errorf("scan findings: %w", err)
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < chunk {
			return nil
		}
		last := &page[len(page)-1]
		page, err = queryAll(ctx, s, scanFinding, query+" AND (f.record_time, f.id) > (?, ?)"+order,
			append(args, timeArg(last.RecordTime), last.ID)...)
	}
}

// findingFilterSQL is the WHERE condition that selects what f does, or ""
// when f asks for the latest evaluated versions and there are none.
func (s *Store) findingFilterSQL(ctx context.Context, f store.FindingFilter) (string, []any, error) {
	var conds []string
	var args []any
	switch {
	case f.Version > 0:
		conds, args = append(conds, "f.agreement_version = ?"), append(args, f.Version)
		if f.AgreementID != "" {
			conds, args = append(conds, "f.agreement_id = ?"), append(args, f.AgreementID)
		}
	default:
		// The latest evaluated versions are few: naming them lets the
		// (agreement_id, agreement_version, record_time) index serve.
		query := "SELECT agreement_id, MAX(agreement_version) FROM evaluations"
		var qargs []any
		if f.AgreementID != "" {
			query, qargs = query+" WHERE agreement_id = ?", []any{f.AgreementID}
		}
		latest, err := queryAll(ctx, s, func(row scanner) ([2]any, error) {
			var id string
			var v int
			err := row.Scan(&id, &v)
			return [2]any{id, v}, err
		}, query+" GROUP BY agreement_id", qargs...)
		if err != nil {
			return "", nil, fmt.Errorf("latest evaluated versions: %w", err)
		}
		if len(latest) == 0 {
			return "", nil, nil
		}
		var alts []string
		for _, l := range latest {
			alts, args = append(alts, "(f.agreement_id = ? AND f.agreement_version = ?)"), append(args, l[0], l[1])
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	if f.Reading != "" {
		conds, args = append(conds, "f.reading = ?"), append(args, f.Reading)
	}
	if len(f.Verdicts) > 0 {
		conds, args = append(conds, "f.verdict IN ("+placeholders(len(f.Verdicts))+")"), append(args, anySlice(f.Verdicts)...)
	}
	if f.Accused != "" {
		conds, args = append(conds, "f.accused = ?"), append(args, f.Accused)
	}
	if f.NeedsReview {
		conds = append(conds, "f.needs_review = TRUE")
	}
	if f.Record.ID != 0 {
		conds, args = append(conds, "f."+recordColumn(f.Record.Kind)+" = ?"), append(args, f.Record.ID)
	}
	if !f.IncludeWithdrawn {
		conds = append(conds, "f.withdrawn_at IS NULL")
	}
	if len(f.Statuses) > 0 {
		conds, args = append(conds, "f.status IN ("+placeholders(len(f.Statuses))+")"), append(args, anySlice(f.Statuses)...)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "f.record_time >= ?"), append(args, timeArg(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "f.record_time < ?"), append(args, timeArg(f.To))
	}
	// The record's, on the event or claim ScanFindings joins.
	nc, na := narrowSQL(joinedCols, recordNarrowing{f.Source, f.Kind, f.Category, f.Country, f.Admin1}, s.dialect.JSONMember)
	conds, args = append(conds, nc...), append(args, na...)
	return strings.Join(conds, " AND "), args, nil
}
