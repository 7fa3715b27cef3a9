package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

var _ store.Incidents = (*Store)(nil)

const incidentColumns = `id, time_start, time_end, country, admin1, lat, lon, kind, category, summary,
	grade, grade_reason, machine_only, status, needs_review, dissolved_at, created_at, updated_at`

// SaveIncidents writes incidents and one audit entry in one transaction.
func (s *Store) SaveIncidents(ctx context.Context, incidents []incident.Incident, by string) ([]incident.Incident, error) {
	if err := checkIncidents(incidents); err != nil {
		return nil, fmt.Errorf("save incidents: %w: %w", store.ErrInvalid, err)
	}
	if len(incidents) == 0 {
		return nil, nil
	}
	out := make([]incident.Incident, len(incidents))
	now := dbTime(time.Now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var created, changed, dissolved []int64
		for i := range incidents {
			inc := incidents[i]
			var membersChanged bool
			var err error
			if inc.ID == 0 {
				err = s.insertIncident(ctx, tx, &inc, now)
				created = append(created, inc.ID)
			} else {
				membersChanged, err = s.updateIncident(ctx, tx, &inc, now)
				if membersChanged {
					changed = append(changed, inc.ID)
				}
				if len(inc.Members) == 0 {
					dissolved = append(dissolved, inc.ID)
				}
			}
			if err != nil {
				return err
			}
			if err := s.writeMembers(ctx, tx, &inc, now); err != nil {
				return err
			}
			out[i] = inc
		}
		detail, err := json.Marshal(map[string]any{"created": created, "members_changed": changed, "dissolved": dissolved, "saved": len(incidents)})
		if err != nil {
			return err
		}
		_, err = s.appendAuditTx(ctx, tx, store.AuditEntry{Actor: by, Action: "incident.save", Subject: "incidents", Detail: detail})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save %d incidents: %w", len(incidents), err)
	}
	return out, nil
}

// checkIncidents refuses what the schema would, before anything is written.
func checkIncidents(incidents []incident.Incident) error {
	seen := map[vocab.Ref]bool{}
	whole := map[vocab.Ref]vocab.Ref{} // a record's first membership given, whole or part
	for i := range incidents {
		inc := &incidents[i]
		what := fmt.Sprintf("incident %d (#%d given)", inc.ID, i+1)
		switch {
		case !slices.Contains(vocab.Grades(), inc.Grade):
			return fmt.Errorf("%s: grade %q is not one of %s", what, inc.Grade, strings.Join(vocab.Names(vocab.Grades()), ", "))
		case inc.TimeEnd.Before(inc.TimeStart):
			return fmt.Errorf("%s: ends before it starts", what)
		case len(inc.GradeReason) == 0 || !json.Valid(inc.GradeReason):
			return fmt.Errorf("%s: grade reason is not JSON", what)
		case inc.ID == 0 && len(inc.Members) == 0:
			return fmt.Errorf("%s: a new incident needs members", what)
		}
		for _, m := range inc.Members {
			switch {
			case m.Record.Kind != vocab.KindEvent && m.Record.Kind != vocab.KindClaim || m.Record.ID <= 0 || m.Record.Part < 0:
				return fmt.Errorf("%s: member %s is not a record", what, m.Record)
			case m.Role != vocab.MemberReport && m.Role != vocab.MemberClaim && m.Role != vocab.MemberDenial:
				return fmt.Errorf("%s: member role %q", what, m.Role)
			case len(m.Reason) == 0 || !json.Valid(m.Reason):
				return fmt.Errorf("%s: member %s/%d: reason is not JSON", what, m.Record.Kind, m.Record.ID)
			case seen[m.Record]:
				return fmt.Errorf("%s: record %s given in two incidents", what, m.Record)
			}
			// A record is a member whole or by its allegations, never both.
			if first, ok := whole[m.Record.Whole()]; ok && (first.Part == 0 || m.Record.Part == 0) {
				return fmt.Errorf("%s: record %s given both whole and by allegation (%s, %s)", what, m.Record.Whole(), first, m.Record)
			}
			seen[m.Record] = true
			if _, ok := whole[m.Record.Whole()]; !ok {
				whole[m.Record.Whole()] = m.Record
			}
		}
	}
	return nil
}

func (s *Store) insertIncident(ctx context.Context, tx *sql.Tx, inc *incident.Incident, now time.Time) error {
	// A new incident starts its review as alleged, whatever the caller
	// says: only ApplyTransition moves it on.
	inc.Status = vocab.StatusAlleged
	inc.CreatedAt, inc.UpdatedAt, inc.NeedsReview, inc.DissolvedAt = now, now, false, time.Time{}
	err := tx.QueryRowContext(ctx, s.rebind(`INSERT INTO incidents (time_start, time_end, country, admin1, lat, lon, kind, category,
		summary, grade, grade_reason, machine_only, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		timeArg(inc.TimeStart), timeArg(inc.TimeEnd), inc.Country, inc.Admin1, floatArg(inc.Lat), floatArg(inc.Lon), inc.Kind,
		inc.Category, inc.Summary, inc.Grade, string(inc.GradeReason), inc.MachineOnly, inc.Status, timeArg(now), timeArg(now)).Scan(&inc.ID)
	if err != nil {
		return fmt.Errorf("insert incident: %w", err)
	}
	return nil
}

// updateIncident replaces a stored incident's fields, keeping its review
// status, and flags it for review if its members change.
func (s *Store) updateIncident(ctx context.Context, tx *sql.Tx, inc *incident.Incident, now time.Time) (bool, error) {
	var dissolved time.Time
	err := tx.QueryRowContext(ctx, s.rebind("SELECT status, needs_review, dissolved_at, created_at FROM incidents WHERE id = ?"), inc.ID).
		Scan(&inc.Status, &inc.NeedsReview, timeDest{&dissolved}, timeDest{&inc.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("incident %d: %w", inc.ID, store.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("read incident %d: %w", inc.ID, err)
	}
	old, err := s.memberRoles(ctx, tx, inc.ID)
	if err != nil {
		return false, err
	}
	changed := len(old) != len(inc.Members)
	for _, m := range inc.Members {
		if old[m.Record] != m.Role {
			changed = true
		}
	}
	inc.NeedsReview = inc.NeedsReview || changed
	inc.DissolvedAt = time.Time{}
	if len(inc.Members) == 0 {
		inc.DissolvedAt = dissolved
		if dissolved.IsZero() {
			inc.DissolvedAt = now
		}
	}
	var dissolvedArg any
	if !inc.DissolvedAt.IsZero() {
		dissolvedArg = timeArg(inc.DissolvedAt)
	}
	inc.UpdatedAt = now
	_, err = tx.ExecContext(ctx, s.rebind(`UPDATE incidents SET time_start = ?, time_end = ?, country = ?, admin1 = ?, lat = ?, lon = ?,
		kind = ?, category = ?, summary = ?, grade = ?, grade_reason = ?, machine_only = ?, needs_review = ?, dissolved_at = ?,
		updated_at = ? WHERE id = ?`),
		timeArg(inc.TimeStart), timeArg(inc.TimeEnd), inc.Country, inc.Admin1, floatArg(inc.Lat), floatArg(inc.Lon), inc.Kind,
		inc.Category, inc.Summary, inc.Grade, string(inc.GradeReason), inc.MachineOnly, inc.NeedsReview, dissolvedArg,
		timeArg(now), inc.ID)
	if err != nil {
		return false, fmt.Errorf("update incident %d: %w", inc.ID, err)
	}
	return changed, nil
}

// memberRoles reads the role of each member record of an incident.
func (s *Store) memberRoles(ctx context.Context, tx *sql.Tx, id int64) (map[vocab.Ref]vocab.MemberRole, error) {
	rows, err := tx.QueryContext(ctx, s.rebind("SELECT event_id, claim_id, part, role FROM incident_members WHERE incident_id = ?"), id)
	if err != nil {
		return nil, fmt.Errorf("read members of incident %d: %w", id, err)
	}
	defer rows.Close()
	out := map[vocab.Ref]vocab.MemberRole{}
	for rows.Next() {
		var ev, cl sql.NullInt64
		var part int
		var role vocab.MemberRole
		if err := rows.Scan(&ev, &cl, &part, &role); err != nil {
			return nil, fmt.Errorf("read members of incident %d: %w", id, err)
		}
		out[memberRef(ev, cl, part)] = role
	}
	return out, rows.Err()
}

func memberRef(ev, cl sql.NullInt64, part int) vocab.Ref {
	if ev.Valid {
		return vocab.Ref{Kind: vocab.KindEvent, ID: ev.Int64, Part: part}
	}
	return vocab.Ref{Kind: vocab.KindClaim, ID: cl.Int64, Part: part}
}

// writeMembers makes inc's members the incident's: a member keeps the time
// it was first added; a record (or allegation) taken from another incident
// leaves it, and that incident is flagged for review. A record is a member
// whole or by its allegations: adding the whole takes its allegations from
// other incidents, adding an allegation takes the whole.
func (s *Store) writeMembers(ctx context.Context, tx *sql.Tx, inc *incident.Incident, now time.Time) error {
	added := map[vocab.Ref]time.Time{}
	rows, err := tx.QueryContext(ctx, s.rebind("SELECT event_id, claim_id, part, added_at FROM incident_members WHERE incident_id = ?"), inc.ID)
	if err != nil {
		return fmt.Errorf("read members of incident %d: %w", inc.ID, err)
	}
	for rows.Next() {
		var ev, cl sql.NullInt64
		var part int
		var at time.Time
		if err := rows.Scan(&ev, &cl, &part, timeDest{&at}); err != nil {
			rows.Close()
			return fmt.Errorf("read members of incident %d: %w", inc.ID, err)
		}
		added[memberRef(ev, cl, part)] = at
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read members of incident %d: %w", inc.ID, err)
	}
	if _, err := tx.ExecContext(ctx, s.rebind("DELETE FROM incident_members WHERE incident_id = ?"), inc.ID); err != nil {
		return fmt.Errorf("replace members of incident %d: %w", inc.ID, err)
	}
	for i := range inc.Members {
		m := &inc.Members[i]
		col := recordColumn(m.Record.Kind)
		// The same allegation, or the whole against a part, elsewhere.
		clash := col + " = ? AND (part = ? OR part = 0 OR ? = 0)"
		others, err := s.incidentsHolding(ctx, tx, clash, m.Record)
		if err != nil {
			return fmt.Errorf("incident %d: look up %s: %w", inc.ID, m.Record, err)
		}
		if len(others) > 0 {
			if _, err := tx.ExecContext(ctx, s.rebind("DELETE FROM incident_members WHERE "+clash), m.Record.ID, m.Record.Part, m.Record.Part); err != nil {
				return fmt.Errorf("move %s: %w", m.Record, err)
			}
		}
		for _, other := range others {
			if other == inc.ID {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.rebind("UPDATE incidents SET needs_review = TRUE, updated_at = ? WHERE id = ?"), timeArg(now), other); err != nil {
				return fmt.Errorf("flag incident %d: %w", other, err)
			}
		}
		m.AddedAt = now
		if at, ok := added[m.Record]; ok {
			m.AddedAt = at
		}
		var ev, cl any
		if m.Record.Kind == vocab.KindEvent {
			ev = m.Record.ID
		} else {
			cl = m.Record.ID
		}
		_, err = tx.ExecContext(ctx, s.rebind(`INSERT INTO incident_members (incident_id, event_id, claim_id, part, role, machine, manual, reason, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), inc.ID, ev, cl, m.Record.Part, m.Role, m.Machine, m.Manual, string(m.Reason), timeArg(m.AddedAt))
		if err != nil {
			return fmt.Errorf("incident %d: add %s: %w", inc.ID, m.Record, err)
		}
	}
	return nil
}

// incidentsHolding returns the incidents with a member row that clash
// (a condition on record id, part, part) selects for r.
func (s *Store) incidentsHolding(ctx context.Context, tx *sql.Tx, clash string, r vocab.Ref) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, s.rebind("SELECT DISTINCT incident_id FROM incident_members WHERE "+clash+" ORDER BY incident_id"), r.ID, r.Part, r.Part)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func scanIncident(row scanner) (incident.Incident, error) {
	var inc incident.Incident
	var lat, lon sql.NullFloat64
	var reason []byte
	err := row.Scan(&inc.ID, timeDest{&inc.TimeStart}, timeDest{&inc.TimeEnd}, &inc.Country, &inc.Admin1, &lat, &lon,
		&inc.Kind, &inc.Category, &inc.Summary, &inc.Grade, &reason, &inc.MachineOnly, &inc.Status, &inc.NeedsReview,
		timeDest{&inc.DissolvedAt}, timeDest{&inc.CreatedAt}, timeDest{&inc.UpdatedAt})
	inc.Lat, inc.Lon, inc.GradeReason = floatPtr(lat), floatPtr(lon), reason
	return inc, err
}

// GetIncident returns one incident with its members.
func (s *Store) GetIncident(ctx context.Context, id int64) (incident.Incident, error) {
	inc, err := scanIncident(s.queryRow(ctx, "SELECT "+incidentColumns+" FROM incidents WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return incident.Incident{}, fmt.Errorf("incident %d: %w", id, err)
	}
	list := []incident.Incident{inc}
	if err := s.loadMembers(ctx, list); err != nil {
		return incident.Incident{}, err
	}
	return list[0], nil
}

// ListIncidents returns the incidents f selects, with their members.
func (s *Store) ListIncidents(ctx context.Context, f store.IncidentFilter) ([]incident.Incident, error) {
	var conds []string
	var args []any
	if !f.IncludeDissolved {
		conds = append(conds, "dissolved_at IS NULL")
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "time_start >= ?"), append(args, timeArg(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "time_start < ?"), append(args, timeArg(f.To))
	}
	if len(f.Statuses) > 0 {
		conds, args = append(conds, "status IN ("+placeholders(len(f.Statuses))+")"), append(args, anySlice(f.Statuses)...)
	}
	if len(f.Grades) > 0 {
		conds, args = append(conds, "grade IN ("+placeholders(len(f.Grades))+")"), append(args, anySlice(f.Grades)...)
	}
	if f.NeedsReview {
		conds = append(conds, "needs_review = TRUE")
	}
	if f.Record.ID != 0 {
		// The whole record: incidents holding it or any of its allegations;
		// an allegation: the incident holding it, or the whole record.
		conds = append(conds, "id IN (SELECT incident_id FROM incident_members WHERE "+recordColumn(f.Record.Kind)+" = ? AND (? = 0 OR part = ? OR part = 0))")
		args = append(args, f.Record.ID, f.Record.Part, f.Record.Part)
	}
	if f.AgreementID != "" || f.Party != "" {
		c, a := incidentFindingSQL(f.AgreementID, f.Party)
		conds, args = append(conds, c), append(args, a...)
	}
	for _, n := range []recordNarrowing{{country: f.Country}, {admin1: f.Admin1}} {
		if n.country == "" && n.admin1 == "" {
			continue
		}
		// Placed there, or holding a record placed there.
		col := "country"
		if n.admin1 != "" {
			col = "admin1"
		}
		nc, na := narrowSQL(joinedCols, n, s.dialect.JSONMember)
		conds = append(conds, "("+col+" = ? OR id IN (SELECT m.incident_id FROM incident_members m"+
			" LEFT JOIN events e ON e.id = m.event_id LEFT JOIN claims c ON c.id = m.claim_id WHERE "+nc[0]+"))")
		args = append(append(args, n.country+n.admin1), na...)
	}
	query := "SELECT " + incidentColumns + " FROM incidents"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	list, err := queryAll(ctx, s, scanIncident, query+" ORDER BY time_start, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	if err := s.loadMembers(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// incidentFindingSQL is the condition that an incident holds a standing
// finding of agreementID against party (either may be ""): one on a record
// (or allegation) among its members. Two subqueries, one for events and one
// for claims, each read through an index.
func incidentFindingSQL(agreementID, party string) (string, []any) {
	where := "f.withdrawn_at IS NULL"
	var args []any
	if agreementID != "" {
		where, args = where+" AND f.agreement_id = ?", append(args, agreementID)
	}
	if party != "" {
		where, args = where+" AND f.accused = ?", append(args, party)
	}
	held := func(col string) string {
		return "id IN (SELECT m.incident_id FROM incident_members m JOIN findings f ON f." + col + " = m." + col +
			" AND (m.part = f.part OR m.part = 0 OR f.part = 0) WHERE " + where + ")"
	}
	return "(" + held("event_id") + " OR " + held("claim_id") + ")", append(args, args...)
}

// loadMembers fills the members of incidents, with each record's source
// and source id, in the order they were added.
func (s *Store) loadMembers(ctx context.Context, list []incident.Incident) error {
	index := make(map[int64]int, len(list))
	ids := make([]int64, len(list))
	for i := range list {
		index[list[i].ID] = i
		ids[i] = list[i].ID
	}
	for part := range slices.Chunk(ids, StatementRows) {
		type row struct {
			incident int64
			m        incident.Membership
		}
		rows, err := queryAll(ctx, s, func(sc scanner) (row, error) {
			var r row
			var ev, cl sql.NullInt64
			var p int
			var reason []byte
			err := sc.Scan(&r.incident, &ev, &cl, &p, &r.m.Role, &r.m.Machine, &r.m.Manual, &reason, timeDest{&r.m.AddedAt},
				&r.m.Source, &r.m.SourceID)
			r.m.Record, r.m.Reason = memberRef(ev, cl, p), reason
			return r, err
		}, `SELECT m.incident_id, m.event_id, m.claim_id, m.part, m.role, m.machine, m.manual, m.reason, m.added_at,
			COALESCE(e.source, c.source), COALESCE(e.source_id, c.source_id)
			FROM incident_members m LEFT JOIN events e ON e.id = m.event_id LEFT JOIN claims c ON c.id = m.claim_id
			WHERE m.incident_id IN (`+placeholders(len(part))+`) ORDER BY m.incident_id, m.added_at, COALESCE(e.source, c.source), COALESCE(e.source_id, c.source_id), m.part`,
			int64Args(part)...)
		if err != nil {
			return fmt.Errorf("incident members: %w", err)
		}
		for _, r := range rows {
			inc := &list[index[r.incident]]
			inc.Members = append(inc.Members, r.m)
		}
	}
	return nil
}

// AddLinkDecision stores an analyst's join or split with its audit entry.
func (s *Store) AddLinkDecision(ctx context.Context, d incident.LinkDecision) (incident.LinkDecision, error) {
	for _, r := range []vocab.Ref{d.A, d.B} {
		if (r.Kind != vocab.KindEvent && r.Kind != vocab.KindClaim) || r.ID <= 0 || r.Part < 0 {
			return incident.LinkDecision{}, fmt.Errorf("link decision: %w: %s is not a record", store.ErrInvalid, r)
		}
	}
	if d.A == d.B || d.By == "" {
		return incident.LinkDecision{}, fmt.Errorf("link decision: %w: two different records and who decided are required", store.ErrInvalid)
	}
	action := "incident.split"
	if d.Link {
		action = "incident.join"
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	d.At = dbTime(d.At)
	subject := refString(d.A) + " " + refString(d.B)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		detail, err := json.Marshal(map[string]any{"a": refString(d.A), "b": refString(d.B), "link": d.Link, "reason": d.Reason})
		if err != nil {
			return err
		}
		e, err := s.appendAuditTx(ctx, tx, store.AuditEntry{At: d.At, Actor: d.By, Action: action, Subject: subject, Detail: detail})
		if err != nil {
			return err
		}
		d.AuditSeq = e.Seq
		return tx.QueryRowContext(ctx, s.rebind(`INSERT INTO incident_links (a_type, a_id, a_part, b_type, b_id, b_part, link, decided_by, decided_at, reason, audit_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			d.A.Kind, d.A.ID, d.A.Part, d.B.Kind, d.B.ID, d.B.Part, d.Link, d.By, timeArg(d.At), d.Reason, d.AuditSeq).Scan(&d.ID)
	})
	if err != nil {
		return incident.LinkDecision{}, fmt.Errorf("store %s of %s: %w", action, subject, err)
	}
	return d, nil
}

func refString(r vocab.Ref) string { return r.String() }

// ListLinkDecisions returns every decision, oldest first.
func (s *Store) ListLinkDecisions(ctx context.Context) ([]incident.LinkDecision, error) {
	out, err := queryAll(ctx, s, func(row scanner) (incident.LinkDecision, error) {
		var d incident.LinkDecision
		err := row.Scan(&d.ID, &d.A.Kind, &d.A.ID, &d.A.Part, &d.B.Kind, &d.B.ID, &d.B.Part, &d.Link, &d.By, timeDest{&d.At}, &d.Reason, &d.AuditSeq)
		return d, err
	}, "SELECT id, a_type, a_id, a_part, b_type, b_id, b_part, link, decided_by, decided_at, reason, audit_seq FROM incident_links ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("list link decisions: %w", err)
	}
	return out, nil
}

// SourcesOfFormat returns the sources with a batch read in format.
func (s *Store) SourcesOfFormat(ctx context.Context, format string) ([]string, error) {
	out, err := queryAll(ctx, s, func(row scanner) (string, error) {
		var src string
		err := row.Scan(&src)
		return src, err
	}, s.rebind("SELECT DISTINCT source FROM import_batches WHERE format = ? ORDER BY source"), format)
	if err != nil {
		return nil, fmt.Errorf("sources of format %s: %w", format, err)
	}
	return out, nil
}
