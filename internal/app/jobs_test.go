package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scenarioImport is the bundled scenario's events file as an import job.
func scenarioImport(t *testing.T) (app.ImportJob, []byte) {
	data := readFile(t, "../../examples/evidence/moratorium-2025-events.csv")
	return app.ImportJob{File: "uploads/moratorium-2025-events.csv", ImportOptions: app.ImportOptions{Format: "csv",
		Mapping: string(readFile(t, "../../examples/mappings/scenario-events.yaml")), MappingFile: "scenario-events.yaml"}}, data
}

// runAll runs the queue dry with a runner named owner.
func runAll(t *testing.T, a *app.App, owner string, opts app.RunnerOptions) {
	t.Helper()
	r := a.JobRunner(owner, opts)
	for {
		ok, err := r.RunNext(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
	}
}

// An import, an evaluation and an incident build queued and run as jobs
// do what the commands do, acting for who submitted them, and say so.
func TestJobsRun(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	if _, err := a.ImportAgreements(ctx, []app.AgreementFile{readAgreement(t, "../../examples/agreements/energy-moratorium-2025.yaml")}); err != nil {
		t.Fatal(err)
	}
	req, data := scenarioImport(t)
	imp, err := a.SubmitImport(ctx, req, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := a.SubmitEvaluate(ctx, app.EvaluateJob{Agreements: []string{"energy-moratorium-2025"}})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := a.SubmitIncidents(ctx, app.IncidentsJob{Agreement: "energy-moratorium-2025"})
	if err != nil {
		t.Fatal(err)
	}
	var ended []string
	runAll(t, a, "srv-1", app.RunnerOptions{Ended: func(j app.Job, err error) {
		if err != nil {
			t.Errorf("job %d (%s): %v", j.ID, j.Kind, err)
		}
		ended = append(ended, j.Kind)
	}})
	if strings.Join(ended, ",") != "import,evaluate,incidents" {
		t.Errorf("ended in order %v", ended)
	}
	got, err := a.Job(ctx, imp.ID)
	if err != nil || got.State != store.JobDone || got.Owner != "srv-1" || got.CreatedBy != app.LocalActor {
		t.Fatalf("import job: %+v, %v", got, err)
	}
	var res app.IngestResult
	if err := json.Unmarshal(got.Result, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].File != "moratorium-2025-events.csv" || res.Files[0].New == 0 {
		t.Errorf("import result: %s", got.Result)
	}
	batches, _ := a.Imports(ctx)
	if len(batches) != 1 || batches[0].File != "moratorium-2025-events.csv" || batches[0].By != app.LocalActor {
		t.Errorf("the batch is stored under the upload's name, by its submitter: %+v", batches)
	}
	for _, id := range []int64{ev.ID, inc.ID} {
		j, err := a.Job(ctx, id)
		if err != nil || j.State != store.JobDone || len(j.Result) == 0 {
			t.Errorf("job %d: %+v, %v", id, j, err)
		}
	}
	page, err := a.FindingsPage(ctx, app.FindingQuery{}, "", 0)
	if err != nil || len(page.Findings) == 0 {
		t.Errorf("the evaluation job stored no findings: %d, %v", len(page.Findings), err)
	}
	list, err := a.IncidentsPage(ctx, app.IncidentQuery{}, "", 0)
	if err != nil || len(list.Incidents) == 0 {
		t.Errorf("the incident job built no incidents: %+v, %v", list, err)
	}
	jobs, err := a.JobsPage(ctx, app.JobQuery{}, "", 2)
	if err != nil || len(jobs.Jobs) != 2 || jobs.Jobs[0].ID != inc.ID || jobs.Next == "" {
		t.Fatalf("first page: %+v, %v", jobs, err)
	}
	rest, err := a.JobsPage(ctx, app.JobQuery{}, jobs.Next, 2)
	if err != nil || len(rest.Jobs) != 1 || rest.Jobs[0].ID != imp.ID || rest.Next != "" {
		t.Errorf("second page: %+v, %v", rest, err)
	}
}

// Submissions are checked before anything is queued; errors name what is
// wrong, with the kind an adapter answers by.
func TestJobsRefused(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	req, data := scenarioImport(t)
	bad := func(name string, err error, kind app.Kind, want string) {
		t.Helper()
		if app.KindOf(err) != kind || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v (kind %v), want %v naming %q", name, err, app.KindOf(err), kind, want)
		}
	}
	noFormat := req
	noFormat.Format = "xlsx"
	_, err := a.SubmitImport(ctx, noFormat, bytes.NewReader(data))
	bad("format", err, app.KindInvalid, "xlsx")
	noMapping := req
	noMapping.Mapping = ""
	_, err = a.SubmitImport(ctx, noMapping, bytes.NewReader(data))
	bad("mapping", err, app.KindInvalid, "needs a mapping")
	badMapping := req
	badMapping.Mapping = "columns: [\n"
	_, err = a.SubmitImport(ctx, badMapping, bytes.NewReader(data))
	bad("bad mapping", err, app.KindInvalid, "scenario-events.yaml")
	enc := req
	enc.Encoding = "klingon"
	_, err = a.SubmitImport(ctx, enc, bytes.NewReader(data))
	bad("encoding", err, app.KindInvalid, "klingon")
	noName := req
	noName.File = ""
	_, err = a.SubmitImport(ctx, noName, bytes.NewReader(data))
	bad("file name", err, app.KindInvalid, "file name")
	_, err = a.SubmitEvaluate(ctx, app.EvaluateJob{Agreements: []string{"no-such-agreement"}})
	bad("agreement", err, app.KindNotFound, "no-such-agreement")
	_, err = a.SubmitIncidents(ctx, app.IncidentsJob{Agreement: "no-such-agreement"})
	bad("incidents agreement", err, app.KindNotFound, "no-such-agreement")
	_, err = a.Job(ctx, 99)
	bad("job", err, app.KindNotFound, "99")
	_, err = a.JobsPage(ctx, app.JobQuery{Kind: "launch"}, "", 0)
	bad("kind", err, app.KindInvalid, "launch")
	_, err = a.JobsPage(ctx, app.JobQuery{State: "paused"}, "", 0)
	bad("state", err, app.KindInvalid, "paused")
	_, err = a.JobsPage(ctx, app.JobQuery{}, "nonsense", 0)
	bad("cursor", err, app.KindInvalid, "cursor")
	if jobs, _ := a.JobsPage(ctx, app.JobQuery{}, "", 0); len(jobs.Jobs) != 0 {
		t.Errorf("refused submissions were queued: %+v", jobs.Jobs)
	}
}

// A job runs for its submitter as they are when it runs: a viewer may not
// submit one, and the job of a user disabled since fails, doing nothing.
func TestJobsActForTheirSubmitter(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	admin, err := a.AddUser(ctx, app.NewUser{Name: "ada", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	asAdmin := a.As(admin.Token)
	ana, err := asAdmin.AddUser(ctx, app.NewUser{Name: "ana", Role: "analyst"})
	if err != nil {
		t.Fatal(err)
	}
	vic, err := asAdmin.AddUser(ctx, app.NewUser{Name: "vic", Role: "viewer"})
	if err != nil {
		t.Fatal(err)
	}
	req, data := scenarioImport(t)
	if _, err := a.As(vic.Token).SubmitImport(ctx, req, bytes.NewReader(data)); app.KindOf(err) != app.KindDenied {
		t.Errorf("a viewer's import: %v, want denied", err)
	}
	if _, err := a.As(vic.Token).JobsPage(ctx, app.JobQuery{}, "", 0); app.KindOf(err) != app.KindDenied {
		t.Errorf("a viewer's jobs list: %v, want denied", err)
	}
	j, err := a.As(ana.Token).SubmitImport(ctx, req, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := asAdmin.SetUserDisabled(ctx, "ana", true, "left the team"); err != nil {
		t.Fatal(err)
	}
	runAll(t, a, "srv", app.RunnerOptions{})
	got, err := asAdmin.Job(ctx, j.ID)
	if err != nil || got.State != store.JobFailed || !strings.Contains(got.Error, "disabled") {
		t.Errorf("a disabled user's job: %+v, %v", got, err)
	}
	if batches, _ := asAdmin.Imports(ctx); len(batches) != 0 {
		t.Errorf("a disabled user's job imported: %+v", batches)
	}
}

// A file the import cannot read fails its job with the reason; the runner
// goes on with the next.
func TestJobImportFails(t *testing.T) {
	a := newApp(t)
	ctx := t.Context()
	req, _ := scenarioImport(t)
	j, err := a.SubmitImport(ctx, req, strings.NewReader("not,the,columns\n1,2,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	runAll(t, a, "srv", app.RunnerOptions{})
	got, _ := a.Job(ctx, j.ID)
	if got.State != store.JobFailed || !strings.Contains(got.Error, "moratorium-2025-events.csv") {
		t.Errorf("job: %+v, want failed naming the file", got)
	}
}

// A job whose server went silent is claimed by another and run to its end;
// the silent server's late beat finds the job gone and stops its run.
func TestJobStaleIsResumed(t *testing.T) {
	st := newStore(t)
	a := app.New(st, app.Options{})
	ctx := t.Context()
	req, data := scenarioImport(t)
	j, err := a.SubmitImport(ctx, req, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// A server claims the job and dies before its first beat.
	if _, err := st.ClaimJob(ctx, "killed", time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	r := a.JobRunner("survivor", app.RunnerOptions{Stale: time.Hour})
	if ok, err := r.RunNext(ctx); ok || err != nil {
		t.Fatalf("a job beating within Stale was claimed again: %v, %v", ok, err)
	}
	// Once it is silent for longer than Stale, another server takes it.
	time.Sleep(20 * time.Millisecond)
	r = a.JobRunner("survivor", app.RunnerOptions{Stale: 10 * time.Millisecond})
	if ok, err := r.RunNext(ctx); !ok || err != nil {
		t.Fatalf("the stale job was not run: %v, %v", ok, err)
	}
	got, _ := a.Job(ctx, j.ID)
	if got.State != store.JobDone || got.Owner != "survivor" || got.Attempts != 2 {
		t.Errorf("resumed job: %+v", got)
	}
	if err := st.FinishJob(ctx, j.ID, "killed", nil, "late"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the killed server's late finish: %v", err)
	}
}
