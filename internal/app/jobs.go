package app

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// Job kinds: the work a team server runs in the background, on any server
// of the database, reporting its progress as it goes.
const (
	JobImport    = "import"    // ingest an uploaded file
	JobEvaluate  = "evaluate"  // evaluate agreements over the stored records
	JobIncidents = "incidents" // build incidents
)

// JobKinds are the kinds of job, as a filter names them.
func JobKinds() []string { return []string{JobImport, JobEvaluate, JobIncidents} }

// JobStates are the states of a job, as a filter names them.
func JobStates() []string {
	return []string{store.JobQueued, store.JobRunning, store.JobDone, store.JobFailed}
}

// Job is the view of a job: what was asked, by whom, how far it is and,
// once it ended, its result (the kind's summary) or its error.
type Job = store.Job

// ImportJob asks to ingest one uploaded file, as 'truce ingest' would.
type ImportJob struct {
	// File is the uploaded file's name, which its records are stored under
	// (its directories dropped).
	File string `json:"file"`
	ImportOptions
}

// ImportOptions are how to read an import's file, as 'truce ingest' takes
// them in flags.
type ImportOptions struct {
	Format string `json:"format"`
	// Mapping is the text of the mapping file the claims and csv formats
	// need, and MappingFile its name, for errors.
	Mapping     string `json:"mapping,omitempty"`
	MappingFile string `json:"mapping_file,omitempty"`
	Source      string `json:"source,omitempty"`
	Strict      bool   `json:"strict,omitempty"`
	Encoding    string `json:"encoding,omitempty"`
	DateOrder   string `json:"date_order,omitempty"`
}

// EvaluateJob asks to evaluate, as 'truce evaluate' would.
type EvaluateJob struct {
	Agreements []string `json:"agreements,omitempty"`
	NearMisses bool     `json:"near_misses,omitempty"`
	Full       bool     `json:"full,omitempty"`
}

// IncidentsJob asks to build incidents, as 'truce incident build' would.
type IncidentsJob struct {
	Agreement string `json:"agreement,omitempty"`
}

// SubmitImport checks an import and queues it with its file, which is read
// to the end and kept in the store, so that any server may run the job.
func (a *App) SubmitImport(ctx context.Context, req ImportJob, file io.Reader) (Job, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return Job{}, err
	}
	req.File = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(req.File, `\`, "/")))
	if req.File == "/" || req.File == "." {
		return Job{}, errorf(KindInvalid, "the upload has no file name")
	}
	if _, err := req.ingestRequest(strictyaml.DefaultLimits()); err != nil {
		return Job{}, err
	}
	return a.submit(ctx, who, JobImport, req, file)
}

// ingestRequest is the import as Ingest takes it, or why it cannot be.
func (req ImportJob) ingestRequest(lim strictyaml.Limits) (IngestRequest, error) {
	format, err := pipeline.Lookup(req.Format)
	if err != nil {
		return IngestRequest{}, withKind(KindInvalid, err)
	}
	out := IngestRequest{Format: format, Source: req.Source, Strict: req.Strict, Encoding: req.Encoding,
		Files: []string{"-"}, StdinName: req.File, YAML: lim}
	switch {
	case format.NeedsMapping && req.Mapping == "":
		return IngestRequest{}, errorf(KindInvalid, "format %s needs a mapping (see examples/mappings/)", format.Name)
	case !format.NeedsMapping && req.Mapping != "":
		return IngestRequest{}, errorf(KindInvalid, "format %s reads its files by their own columns and takes no mapping", format.Name)
	case req.Mapping != "":
		name := strings.TrimSpace(cmp.Or(req.MappingFile, "mapping"))
		if out.Mapping, err = mapped.ParseWith(name, []byte(req.Mapping), lim); err != nil {
			return IngestRequest{}, withKind(KindInvalid, err)
		}
		out.MappingFile = name
	}
	if req.DateOrder != "" {
		if out.DateOrder, err = ingest.ParseOrder(req.DateOrder); err != nil {
			return IngestRequest{}, withKind(KindInvalid, err)
		}
	}
	if req.Encoding != "" {
		if err := ingest.CheckEncoding(req.Encoding); err != nil {
			return IngestRequest{}, withKind(KindInvalid, err)
		}
	}
	return out, nil
}

// SubmitEvaluate checks that the agreements are stored and queues their
// evaluation.
func (a *App) SubmitEvaluate(ctx context.Context, req EvaluateJob) (Job, error) {
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return Job{}, err
	}
	for _, id := range req.Agreements {
		if err := a.agreementFilter(ctx, id, 0, nil); err != nil {
			return Job{}, err
		}
	}
	return a.submit(ctx, who, JobEvaluate, req, nil)
}

// SubmitIncidents checks the agreement and queues an incident build.
func (a *App) SubmitIncidents(ctx context.Context, req IncidentsJob) (Job, error) {
	who, err := a.actor(ctx, auth.EditIncidents)
	if err != nil {
		return Job{}, err
	}
	if req.Agreement != "" {
		if err := a.agreementFilter(ctx, req.Agreement, 0, nil); err != nil {
			return Job{}, err
		}
	}
	return a.submit(ctx, who, JobIncidents, req, nil)
}

func (a *App) submit(ctx context.Context, who Actor, kind string, params any, file io.Reader) (Job, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return Job{}, err
	}
	j, err := a.st.AddJob(ctx, store.Job{Kind: kind, Params: p, CreatedBy: who.Name}, file)
	if err != nil {
		return Job{}, err
	}
	return j, nil
}

// ErrNoJob: there is no job of the number asked for.
var ErrNoJob = errors.New("no such job")

// Job returns one job. Jobs are the team's work: a viewer sees none.
func (a *App) Job(ctx context.Context, id int64) (Job, error) {
	if _, err := a.actor(ctx, auth.ReadUnpublished); err != nil {
		return Job{}, err
	}
	j, err := a.st.GetJob(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Job{}, withKind(KindNotFound, fmt.Errorf("%w: %d", ErrNoJob, id))
	}
	if err != nil {
		return Job{}, err
	}
	// This process may run the job and know more than its last beat.
	if p, ok := a.live.get(j.ID); ok && j.State == store.JobRunning {
		if raw, err := json.Marshal(p); err == nil {
			j.Progress = raw
		}
	}
	return j, nil
}

// JobQuery selects jobs: of a kind, in a state ("" for any).
type JobQuery struct {
	Kind  string
	State string
}

// JobPage is one page of the jobs list, newest first.
type JobPage struct {
	Jobs []Job `json:"jobs"`
	// Next is the cursor of the next page ("" after the last).
	Next string `json:"next,omitempty"`
}

// JobsPage returns up to limit jobs q selects, newest first, after the
// cursor after ("" for the first page).
func (a *App) JobsPage(ctx context.Context, q JobQuery, after string, limit int) (JobPage, error) {
	if _, err := a.actor(ctx, auth.ReadUnpublished); err != nil {
		return JobPage{}, err
	}
	if q.Kind != "" && !slices.Contains(JobKinds(), q.Kind) {
		return JobPage{}, errorf(KindInvalid, "unknown job kind %q (one of %s)", q.Kind, strings.Join(JobKinds(), ", "))
	}
	if q.State != "" && !slices.Contains(JobStates(), q.State) {
		return JobPage{}, errorf(KindInvalid, "unknown job state %q (one of %s)", q.State, strings.Join(JobStates(), ", "))
	}
	if limit == 0 {
		limit = DefaultPage
	}
	if limit < 1 || limit > MaxPage {
		return JobPage{}, errorf(KindInvalid, "a page holds 1 to %d jobs, not %d", MaxPage, limit)
	}
	f := store.JobFilter{Kind: q.Kind, State: q.State, Limit: limit + 1}
	if after != "" {
		id, err := parseJobCursor(after)
		if err != nil {
			return JobPage{}, err
		}
		f.Before = id
	}
	jobs, err := a.st.ListJobs(ctx, f)
	if err != nil {
		return JobPage{}, err
	}
	page := JobPage{Jobs: jobs}
	if len(jobs) > limit {
		page.Jobs = jobs[:limit]
		page.Next = base64.RawURLEncoding.EncodeToString([]byte("job." + strconv.FormatInt(jobs[limit-1].ID, 10)))
	}
	if page.Jobs == nil {
		page.Jobs = []Job{}
	}
	return page, nil
}

func parseJobCursor(s string) (int64, error) {
	bad := errorf(KindInvalid, "%q is not a cursor of this list: give back a next value as it came", s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 64 {
		return 0, bad
	}
	rest, ok := strings.CutPrefix(string(b), "job.")
	id, err := strconv.ParseInt(rest, 10, 64)
	if !ok || err != nil || id <= 0 {
		return 0, bad
	}
	return id, nil
}
