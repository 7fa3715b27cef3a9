package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
)

// maxImportItem bounds the "item" part: it holds a mapping, not data.
const maxImportItem = 1 << 20

// DefaultMaxUpload bounds an uploaded import file.
const DefaultMaxUpload = 1 << 30

type jobsParams struct {
	Kind  string `query:"kind" doc:"import, evaluate or incidents"`
	State string `query:"state" doc:"queued, running, done or failed"`
	After string `query:"after" doc:"the next cursor of the page before"`
	Limit int    `query:"limit" doc:"jobs a page, 1 to 1000 (default 100)"`
}

// submitImport: POST /api/v1/imports, multipart form data: an "item" part
// (JSON, app.ImportOptions) and then a "file" part, the file, streamed into the
// store: never held whole in memory. The answer is the queued job (202,
// Location: its URL); any server on the database may run it.
func (s *Server) submitImport(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return invalidf("an import is sent as multipart/form-data with an item part and then a file part: %w", err)
	}
	var item *app.ImportOptions
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return invalidf("no file part: send the file to import after the item part")
		}
		if err != nil {
			return invalidf("multipart body: %w", err)
		}
		switch part.FormName() {
		case "item":
			item = &app.ImportOptions{}
			dec := json.NewDecoder(io.LimitReader(part, maxImportItem))
			dec.DisallowUnknownFields()
			if err := dec.Decode(item); err != nil {
				return invalidf("item part: %w", err)
			}
		case "file":
			if item == nil {
				return invalidf("the file part came before the item part: send item first, to say how to read the file")
			}
			j, err := ap.SubmitImport(r.Context(), app.ImportJob{File: part.FileName(), ImportOptions: *item}, part)
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					return fmt.Errorf("the file is over the %d MiB an upload may be: %w", tooBig.Limit>>20, err)
				}
				return err
			}
			return s.accepted(w, j)
		default:
			return invalidf("unknown part %q: send item and file", part.FormName())
		}
	}
}

// submitEvaluation: POST /api/v1/evaluations, queues an evaluation.
func (s *Server) submitEvaluation(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return submitJSON(s, w, r, ap.SubmitEvaluate)
}

// submitIncidentBuild: POST /api/v1/incident-builds, queues a build.
func (s *Server) submitIncidentBuild(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	return submitJSON(s, w, r, ap.SubmitIncidents)
}

// submitJSON queues the job a JSON body of type T asks for.
func submitJSON[T any](s *Server, w http.ResponseWriter, r *http.Request, submit func(context.Context, T) (app.Job, error)) error {
	var req T
	if err := readJSON(r, &req); err != nil {
		return err
	}
	j, err := submit(r.Context(), req)
	if err != nil {
		return err
	}
	return s.accepted(w, j)
}

// accepted answers a queued job and wakes this server's runners.
func (s *Server) accepted(w http.ResponseWriter, j app.Job) error {
	s.wakeRunners()
	w.Header().Set("Location", "/api/v1/jobs/"+strconv.FormatInt(j.ID, 10))
	writeJSON(w, http.StatusAccepted, j)
	return nil
}

// jobs: GET /api/v1/jobs?kind=&state=&after=&limit=.
func (s *Server) jobs(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	var p jobsParams
	if err := decodeQuery(r, &p); err != nil {
		return err
	}
	page, err := ap.JobsPage(r.Context(), app.JobQuery{Kind: p.Kind, State: p.State}, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// job: GET /api/v1/jobs/{id}.
func (s *Server) job(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	j, err := ap.Job(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// Server-sent events of a job: how often the store is asked, how often a
// silent stream says it is alive, and how long a stream lasts at most (a
// client reconnects to follow a longer job).
const (
	maxJobStream  = time.Hour
	keepAliveJobs = 15 * time.Second
)

// jobEvents: GET /api/v1/jobs/{id}/events, the job as server-sent events:
// a "job" event with the job each time it changes, until it ends, and then
// an "end" event. The job is read from the store, so any server of the
// database can follow a job any other runs.
func (s *Server) jobEvents(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	j, err := ap.Job(r.Context(), id)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for answers, not for a stream.
	if err := rc.SetWriteDeadline(time.Now().Add(maxJobStream + time.Minute)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	var last []byte
	poll := time.NewTicker(s.cfg.JobPoll)
	defer poll.Stop()
	deadline := time.Now().Add(maxJobStream)
	quiet := time.Now()
	for {
		b, err := json.Marshal(j)
		if err != nil {
			return nil // the status is sent: nothing more to say
		}
		if !bytes.Equal(b, last) {
			fmt.Fprintf(w, "event: job\ndata: %s\n\n", b)
			last, quiet = b, time.Now()
		} else if time.Since(quiet) > keepAliveJobs {
			fmt.Fprint(w, ": alive\n\n")
			quiet = time.Now()
		}
		if j.State == store.JobDone || j.State == store.JobFailed {
			fmt.Fprintf(w, "event: end\ndata: {\"id\":%d,\"state\":%q}\n\n", j.ID, j.State)
			_ = rc.Flush()
			return nil
		}
		if rc.Flush() != nil || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-poll.C:
		}
		if j, err = ap.Job(r.Context(), id); err != nil {
			return nil
		}
	}
}

// invalidf is an invalid-request error.
func invalidf(format string, args ...any) error {
	return &app.Error{Kind: app.KindInvalid, Err: fmt.Errorf(format, args...)}
}
