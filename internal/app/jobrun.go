package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

// JobProgress is how far a running job is, as its runner last told.
type JobProgress struct {
	// Phase is what the job does now: "reading" a file, "evaluating",
	// "building".
	Phase string `json:"phase"`
	// File, Bytes of Size, Rows read and Rejected of them: an import's.
	File     string `json:"file,omitempty"`
	Bytes    int64  `json:"bytes,omitempty"`
	Size     int64  `json:"size,omitempty"`
	Rows     int64  `json:"rows,omitempty"`
	Rejected int64  `json:"rejected,omitempty"`
}

// RunnerOptions configure a JobRunner. Zero values are the defaults.
type RunnerOptions struct {
	// Stale is how long a running job's server may stay silent before
	// another claims the job: DefaultStale if 0.
	Stale time.Duration
	// Beat is how often the runner tells the store it still runs its job,
	// with the job's progress: Stale/6 if 0.
	Beat time.Duration
	// YAML are the limits stored agreements and mappings are read within:
	// strictyaml.DefaultLimits() if zero.
	YAML strictyaml.Limits
	// Started and Stopped, if set, are told when the runner takes a job
	// and when it lets go of it (ended, lost to another server, or left
	// as ctx ended); Progress, of its progress at every beat; Ended, of
	// each job the runner ended, with the job's error.
	Started  func(Job)
	Stopped  func(Job)
	Progress func(Job, JobProgress)
	Ended    func(Job, error)
	// Warn, if set, is told of a failure that does not end the job, such
	// as a heartbeat the store refused because it was busy.
	Warn func(Job, error)
}

// DefaultStale is how long a job's server may be silent before the job is
// someone else's: long enough for a busy store, short enough that a killed
// server's import starts again within a minute.
const DefaultStale = 30 * time.Second

// JobRunner runs the queued jobs of the store for one server (the owner),
// one at a time. Several runners, in one process or in many on one
// database, share the queue: each job goes to one of them.
type JobRunner struct {
	app   *App
	owner string
	opts  RunnerOptions
}

// JobRunner returns a runner that claims jobs as owner, a name unique to
// the server (its host, process and start).
func (a *App) JobRunner(owner string, opts RunnerOptions) *JobRunner {
	if opts.Stale <= 0 {
		opts.Stale = DefaultStale
	}
	if opts.Beat <= 0 {
		opts.Beat = opts.Stale / 6
	}
	if opts.YAML == (strictyaml.Limits{}) {
		opts.YAML = strictyaml.DefaultLimits()
	}
	b := *a
	b.token, b.session = "", ""
	return &JobRunner{app: &b, owner: owner, opts: opts}
}

// errLostJob: another server claimed the job while this one ran it.
var errLostJob = errors.New("another server claimed the job")

// RunNext claims the oldest job waiting (or abandoned by a silent server)
// and runs it to its end, acting for whoever submitted it; ok is false if
// no job was waiting. err is the runner's own failure: a job that fails
// is recorded as failed, not returned. When ctx ends mid-job the job is
// left running, for another server (or this one, restarted) to claim once
// it is stale.
func (r *JobRunner) RunNext(ctx context.Context) (ok bool, err error) {
	st := r.app.st
	j, err := st.ClaimJob(ctx, r.owner, r.app.now().Add(-r.opts.Stale))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.app.live.set(j.ID, JobProgress{Phase: "starting"})
	defer r.app.live.drop(j.ID)
	if r.opts.Started != nil {
		r.opts.Started(j)
	}
	if r.opts.Stopped != nil {
		defer r.opts.Stopped(j)
	}

	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopBeat := r.beat(runCtx, cancel, j)
	result, runErr := r.run(runCtx, j)
	stopBeat()
	if cause := context.Cause(runCtx); cause != nil && runCtx.Err() != nil {
		if errors.Is(cause, errLostJob) {
			return true, nil // the job is the other server's now
		}
		return true, ctx.Err() // shutting down: leave it to be claimed again
	}
	errText := ""
	if runErr != nil {
		errText = runErr.Error()
	}
	var raw json.RawMessage
	if runErr == nil {
		if raw, err = json.Marshal(result); err != nil {
			return true, err
		}
	}
	if err := st.FinishJob(context.WithoutCancel(ctx), j.ID, r.owner, raw, errText); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return true, nil
		}
		return true, err
	}
	if r.opts.Ended != nil {
		r.opts.Ended(j, runErr)
	}
	return true, nil
}

// beat tells the store every opts.Beat that the job still runs, with its
// progress, until stop is called. A beat refused because another server
// owns the job now cancels the run.
func (r *JobRunner) beat(ctx context.Context, cancel context.CancelCauseFunc, j Job) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(r.opts.Beat)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			p, _ := r.app.live.get(j.ID)
			if r.opts.Progress != nil {
				r.opts.Progress(j, p)
			}
			raw, _ := json.Marshal(p)
			// A beat waits for the store a beat at most: on SQLite an
			// import holds the write lock until it commits, and the
			// progress is then told by this process only (see JobLive).
			bctx, bcancel := context.WithTimeout(ctx, r.opts.Beat)
			err := r.app.st.BeatJob(bctx, j.ID, r.owner, raw)
			bcancel()
			switch {
			case errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound):
				cancel(errLostJob)
				return
			case err != nil && r.opts.Warn != nil && ctx.Err() == nil:
				r.opts.Warn(j, fmt.Errorf("heartbeat: %w", err))
			}
		}
	}()
	return func() { close(done); <-finished }
}

// run does the job's work as the user who submitted it.
func (r *JobRunner) run(ctx context.Context, j Job) (any, error) {
	a, err := r.app.actingFor(ctx, j.CreatedBy)
	if err != nil {
		return nil, err
	}
	switch j.Kind {
	case JobImport:
		return a.runImport(ctx, j, r.opts.YAML)
	case JobEvaluate:
		var p EvaluateJob
		if err := json.Unmarshal(j.Params, &p); err != nil {
			return nil, fmt.Errorf("job %d: %w", j.ID, err)
		}
		a.live.set(j.ID, JobProgress{Phase: "evaluating"})
		return a.Evaluate(ctx, EvaluateRequest{Agreements: p.Agreements, NearMisses: p.NearMisses, Full: p.Full, YAML: r.opts.YAML})
	case JobIncidents:
		var p IncidentsJob
		if err := json.Unmarshal(j.Params, &p); err != nil {
			return nil, fmt.Errorf("job %d: %w", j.ID, err)
		}
		a.live.set(j.ID, JobProgress{Phase: "building"})
		return a.BuildIncidents(ctx, p.Agreement)
	}
	return nil, fmt.Errorf("job %d: unknown kind %q", j.ID, j.Kind)
}

// runImport ingests the job's file, reading it from the store.
func (a *App) runImport(ctx context.Context, j Job, lim strictyaml.Limits) (any, error) {
	var p ImportJob
	if err := json.Unmarshal(j.Params, &p); err != nil {
		return nil, fmt.Errorf("job %d: %w", j.ID, err)
	}
	req, err := p.ingestRequest(lim)
	if err != nil {
		return nil, err
	}
	f, size, err := a.st.JobFile(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	req.Stdin, req.StdinSize = f, size
	var refused error
	res, err := a.Ingest(ctx, req, IngestEvents{
		Progress: func(pr pipeline.Progress) {
			a.live.set(j.ID, JobProgress{Phase: "reading", File: pr.File, Bytes: pr.Bytes, Size: pr.Size, Rows: pr.Rows, Rejected: pr.Rejected})
		},
		Refused: func(_ string, err error) { refused = err },
	})
	if err == nil {
		err = refused
	}
	return res, err
}

// actingFor returns a copy of a that acts for user: the local actor on a
// store without users (if that is who submitted), else the user as they
// are now, so a job of a user disabled since does nothing.
func (a *App) actingFor(ctx context.Context, user string) (*App, error) {
	has, err := a.users(ctx)
	if err != nil {
		return nil, err
	}
	who := Actor{Name: LocalActor, Role: vocab.RoleAdmin, Local: true}
	if has || user != LocalActor {
		u, err := a.st.GetUser(ctx, user)
		if err != nil {
			return nil, withKind(KindUnauthenticated, fmt.Errorf("the job's user: %w", err))
		}
		if u.Disabled {
			return nil, &DisabledError{User: u.Name}
		}
		who = Actor{Name: u.Name, Role: u.Role}
	}
	b := *a
	b.token, b.session, b.pinned = "", "", &who
	return &b, nil
}

// liveJobs holds the progress of the jobs this process runs, shared by
// the copies of an App: where the store cannot take a heartbeat while a
// job writes (SQLite, during an import), the process running the job can
// still tell how far it is.
type liveJobs struct {
	mu sync.Mutex
	m  map[int64]JobProgress
}

func (l *liveJobs) set(id int64, p JobProgress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[int64]JobProgress{}
	}
	l.m[id] = p
}

func (l *liveJobs) get(id int64) (JobProgress, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.m[id]
	return p, ok
}

func (l *liveJobs) drop(id int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, id)
}
