package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Jobs = (*Store)(nil)

// jobChunk is the size of the pieces an input file is kept in: an upload
// of hundreds of megabytes is written and read a chunk at a time.
const jobChunk = 1 << 20

const jobColumns = `id, kind, params, state, created_by, created_at, owner, attempts,
	heartbeat_at, started_at, finished_at, progress, result, error`

func scanJob(row scanner) (store.Job, error) {
	var j store.Job
	var params, progress, result string
	err := row.Scan(&j.ID, &j.Kind, &params, &j.State, &j.CreatedBy, timeDest{&j.CreatedAt}, &j.Owner, &j.Attempts,
		timeDest{&j.Heartbeat}, timeDest{&j.StartedAt}, timeDest{&j.FinishedAt}, &progress, &result, &j.Error)
	j.Params, j.Result = rawJSON(params), rawJSON(result)
	if progress != "{}" {
		j.Progress = rawJSON(progress)
	}
	return j, err
}

// rawJSON is a stored JSON text as a json.RawMessage, nil for none.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}

// jsonText is raw as stored: "" for none.
func jsonText(raw json.RawMessage, none string) (string, error) {
	if len(raw) == 0 {
		return none, nil
	}
	if !json.Valid(raw) {
		return "", fmt.Errorf("%w: not JSON", store.ErrInvalid)
	}
	return string(raw), nil
}

// AddJob stores a queued job and its input file in one transaction.
func (s *Store) AddJob(ctx context.Context, j store.Job, file io.Reader) (store.Job, error) {
	fail := func(err error) (store.Job, error) { return store.Job{}, fmt.Errorf("add %s job: %w", j.Kind, err) }
	params, err := jsonText(j.Params, "{}")
	if err != nil {
		return fail(err)
	}
	j.State, j.CreatedAt, j.Owner, j.Attempts = store.JobQueued, dbTime(time.Now()), "", 0
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.rebind(`INSERT INTO jobs (kind, params, state, created_by, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), j.Kind, params, j.State, j.CreatedBy, timeArg(j.CreatedAt)).Scan(&j.ID)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if file == nil {
			return nil
		}
		return s.storeJobFile(ctx, tx, j.ID, file)
	})
	if err != nil {
		return fail(err)
	}
	return j, nil
}

// storeJobFile writes file in chunks of jobChunk bytes.
func (s *Store) storeJobFile(ctx context.Context, tx *sql.Tx, id int64, file io.Reader) error {
	buf := make([]byte, jobChunk)
	insert := s.rebind("INSERT INTO job_files (job_id, seq, data) VALUES (?, ?, ?)")
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(file, buf)
		if n > 0 || seq == 0 {
			if _, err := tx.ExecContext(ctx, insert, id, seq, buf[:n]); err != nil {
				return fmt.Errorf("keep the file: %w", err)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the file: %w", err)
		}
	}
}

// ClaimJob takes the oldest claimable job for owner. On PostgreSQL the
// candidate row is locked with SKIP LOCKED, so servers claiming at once
// pass over each other's candidates instead of waiting for them; SQLite's
// write lock, taken at BEGIN, lets one claim run at a time.
func (s *Store) ClaimJob(ctx context.Context, owner string, stale time.Time) (store.Job, error) {
	var j store.Job
	now := timeArg(time.Now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, s.rebind(`SELECT id FROM jobs
			WHERE state = ? OR (state = ? AND heartbeat_at < ?)
			ORDER BY id LIMIT 1`+s.dialect.SkipLocked), store.JobQueued, store.JobRunning, timeArg(stale)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("find a job: %w", err)
		}
		j, err = scanJob(tx.QueryRowContext(ctx, s.rebind(`UPDATE jobs
			SET state = ?, owner = ?, attempts = attempts + 1, heartbeat_at = ?, started_at = COALESCE(started_at, ?)
			WHERE id = ? RETURNING `+jobColumns), store.JobRunning, owner, now, now, id))
		if err != nil {
			return fmt.Errorf("claim job %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return store.Job{}, fmt.Errorf("claim a job: %w", err)
	}
	return j, nil
}

// BeatJob records owner's heartbeat and progress.
func (s *Store) BeatJob(ctx context.Context, id int64, owner string, progress json.RawMessage) error {
	p, err := jsonText(progress, "{}")
	if err != nil {
		return fmt.Errorf("job %d: %w", id, err)
	}
	return s.updateOwnedJob(ctx, id, owner, false, "heartbeat_at = ?, progress = ?", timeArg(time.Now()), p)
}

// FinishJob ends owner's job and deletes its input file.
func (s *Store) FinishJob(ctx context.Context, id int64, owner string, result json.RawMessage, errText string) error {
	r, err := jsonText(result, "")
	if err != nil {
		return fmt.Errorf("job %d: %w", id, err)
	}
	state := store.JobDone
	if errText != "" {
		state = store.JobFailed
	}
	return s.updateOwnedJob(ctx, id, owner, true, "state = ?, finished_at = ?, result = ?, error = ?",
		state, timeArg(time.Now()), r, errText)
}

// updateOwnedJob sets columns of a job owner runs, and if it ends the
// job deletes its file, in one transaction; a job that ended, or that
// another server claimed, is ErrConflict.
func (s *Store) updateOwnedJob(ctx context.Context, id int64, owner string, ends bool, set string, args ...any) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind("UPDATE jobs SET "+set+" WHERE id = ? AND owner = ? AND state = ?"),
			append(args, id, owner, store.JobRunning)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return s.lostJob(ctx, tx, id, owner)
		}
		if ends {
			_, err = tx.ExecContext(ctx, s.rebind("DELETE FROM job_files WHERE job_id = ?"), id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("job %d: %w", id, err)
	}
	return nil
}

// lostJob says why owner may not change job id.
func (s *Store) lostJob(ctx context.Context, tx *sql.Tx, id int64, owner string) error {
	var state, now string
	err := tx.QueryRowContext(ctx, s.rebind("SELECT state, owner FROM jobs WHERE id = ?"), id).Scan(&state, &now)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	if now != owner {
		return fmt.Errorf("%w: %s runs it now, not %s", store.ErrConflict, now, owner)
	}
	return fmt.Errorf("%w: it is %s", store.ErrConflict, state)
}

// GetJob returns one job.
func (s *Store) GetJob(ctx context.Context, id int64) (store.Job, error) {
	j, err := scanJob(s.queryRow(ctx, "SELECT "+jobColumns+" FROM jobs WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.Job{}, fmt.Errorf("job %d: %w", id, err)
	}
	return j, nil
}

// ListJobs returns jobs newest first.
func (s *Store) ListJobs(ctx context.Context, f store.JobFilter) ([]store.Job, error) {
	q, args := "SELECT "+jobColumns+" FROM jobs WHERE 1 = 1", []any{}
	if f.Kind != "" {
		q, args = q+" AND kind = ?", append(args, f.Kind)
	}
	if f.State != "" {
		q, args = q+" AND state = ?", append(args, f.State)
	}
	if f.Before > 0 {
		q, args = q+" AND id < ?", append(args, f.Before)
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	jobs, err := queryAll(ctx, s, scanJob, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, nil
}

// JobFile opens a job's input file, read a chunk at a time.
func (s *Store) JobFile(ctx context.Context, id int64) (io.ReadCloser, int64, error) {
	var n int
	var size int64
	err := s.queryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM job_files WHERE job_id = ?", id).Scan(&n, &size)
	if err != nil {
		return nil, 0, fmt.Errorf("job %d file: %w", id, err)
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("job %d file: %w", id, store.ErrNotFound)
	}
	return &jobFileReader{ctx: ctx, s: s, id: id, chunks: n}, size, nil
}

// jobFileReader reads a job's file one chunk, one query, at a time.
type jobFileReader struct {
	ctx    context.Context
	s      *Store
	id     int64
	chunks int
	next   int
	buf    bytes.Reader
}

func (r *jobFileReader) Read(p []byte) (int, error) {
	for r.buf.Len() == 0 {
		if r.next >= r.chunks {
			return 0, io.EOF
		}
		var data []byte
		err := r.s.db.QueryRowContext(r.ctx, r.s.rebind("SELECT data FROM job_files WHERE job_id = ? AND seq = ?"), r.id, r.next).Scan(&data)
		if err != nil {
			return 0, fmt.Errorf("job %d file, chunk %d: %w", r.id, r.next, err)
		}
		r.next++
		r.buf.Reset(data)
	}
	return r.buf.Read(p)
}

func (r *jobFileReader) Close() error { r.next = r.chunks; return nil }
