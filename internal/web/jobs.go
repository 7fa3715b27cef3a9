package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
)

// jobData is what a job's page shows: the job, its progress and, once it
// ended, an import's result, each decoded from the job's JSON.
type jobData struct {
	app.Job
	Progress app.JobProgress
	Result   *app.IngestResult // an import's, once done
	Ended    bool
	Events   string // the job's server-sent events, "" if not served
}

// jobPage: GET /jobs/{id}, a job: what was asked, by whom, its state and
// progress (bytes, rows, rejected rows), then its result or error. While
// it runs, job.js follows its events and updates the page; without
// JavaScript the page reloads itself every two seconds.
func (h *Handler) jobPage(w http.ResponseWriter, r *http.Request, ap *app.App) error {
	who, err := ap.Who(r.Context())
	if err != nil {
		return err
	}
	id, err := opsID(r, "id")
	if err != nil {
		return err
	}
	j, err := ap.Job(r.Context(), id)
	if err != nil {
		return err
	}
	d := jobData{Job: j, Ended: j.State == store.JobDone || j.State == store.JobFailed}
	if len(j.Progress) > 0 {
		if err := json.Unmarshal(j.Progress, &d.Progress); err != nil {
			return err
		}
	}
	if j.Kind == app.JobImport && j.State == store.JobDone && len(j.Result) > 0 {
		d.Result = &app.IngestResult{}
		if err := json.Unmarshal(j.Result, d.Result); err != nil {
			return err
		}
		// A short import ends before its first beat: its rows are the result's.
		d.Progress.Phase, d.Progress.Rows, d.Progress.Rejected = "finished", 0, 0
		for _, f := range d.Result.Files {
			d.Progress.Rows += int64(f.Read)
			d.Progress.Rejected += int64(f.Rejected)
			d.Progress.File = f.File
		}
	}
	if h.opts.JobEvents != nil {
		d.Events = "/jobs/" + strconv.FormatInt(j.ID, 10) + "/events"
	}
	title := "Job " + strconv.FormatInt(j.ID, 10)
	h.render(w, r, http.StatusOK, "job", view{Title: title, Here: "imports", Who: who, Data: d})
	return nil
}
