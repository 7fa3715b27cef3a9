package store

import (
	"context"
	"encoding/json"
	"io"
	"time"
)

// Job states. A job is queued when submitted, running once a server claims
// it, and done or failed when it ends. A running job whose server stopped
// beating is claimed again, as if queued.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is background work kept in the database, so that any server on it
// may run the job and report on it.
type Job struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`   // import, evaluate or incidents
	Params     json.RawMessage `json:"params"` // what to do, as the kind reads it
	State      string          `json:"state"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
	Owner      string          `json:"owner,omitempty"` // the server running it, or that last ran it
	Attempts   int             `json:"attempts"`
	Heartbeat  time.Time       `json:"heartbeat_at,omitzero"`
	StartedAt  time.Time       `json:"started_at,omitzero"`
	FinishedAt time.Time       `json:"finished_at,omitzero"`
	Progress   json.RawMessage `json:"progress,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	Error      string          `json:"error,omitempty"`
}

// JobFilter selects jobs for ListJobs: newest first, ids below Before
// (0: from the newest), at most Limit.
type JobFilter struct {
	Kind   string
	State  string
	Before int64
	Limit  int
}

// Jobs keeps background work. Every change names the server (owner) that
// makes it, so a server that lost its job, because it stalled and another
// claimed the job, cannot overwrite the other's work: ErrConflict.
type Jobs interface {
	// AddJob stores a queued job and, if file is not nil, its input file
	// (read to the end, in chunks, within the same transaction) and
	// returns the job with its id and times.
	AddJob(ctx context.Context, j Job, file io.Reader) (Job, error)
	// ClaimJob marks the oldest queued job, or the oldest running one
	// whose heartbeat is older than stale, running for owner and returns
	// it: ErrNotFound if there is none. Two servers claiming at once get
	// different jobs.
	ClaimJob(ctx context.Context, owner string, stale time.Time) (Job, error)
	// BeatJob records that owner still runs the job, with its progress.
	BeatJob(ctx context.Context, id int64, owner string, progress json.RawMessage) error
	// FinishJob ends owner's job as done (err "") or failed, with its
	// result, and deletes its input file.
	FinishJob(ctx context.Context, id int64, owner string, result json.RawMessage, errText string) error
	// GetJob returns a job, or ErrNotFound.
	GetJob(ctx context.Context, id int64) (Job, error)
	// ListJobs returns jobs, newest first.
	ListJobs(ctx context.Context, f JobFilter) ([]Job, error)
	// JobFile opens a job's input file and says its size: ErrNotFound if
	// it has none (or no longer: it is deleted when the job ends).
	JobFile(ctx context.Context, id int64) (io.ReadCloser, int64, error)
}
