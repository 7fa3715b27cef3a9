package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/testdb"
)

// jobServer starts a server with one runner on a new database of dsn that
// holds the scenario's energy moratorium and nothing else.
func jobServer(t *testing.T, dsn string) (*client, *Server) {
	t.Helper()
	ctx := t.Context()
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src, _ := fs.ReadFile(truce.Examples, "examples/agreements/energy-moratorium-2025.yaml")
	f, err := app.ParseAgreement("energy-moratorium-2025.yaml", src, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.New(st, app.Options{}).ImportAgreements(ctx, []app.AgreementFile{f}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(ctx, Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), JobPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &client{t: t, base: hs.URL}, srv
}

// importBody is a multipart import upload: its parts in the order given.
func importBody(t *testing.T, parts ...[2]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p[0] == "file" {
			w, err = mw.CreateFormFile("file", "uploads/moratorium-2025-events.csv")
		} else {
			w, err = mw.CreateFormField(p[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p[1])
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func scenarioItem(t *testing.T) string {
	mapping, _ := fs.ReadFile(truce.Examples, "examples/mappings/scenario-events.yaml")
	b, _ := json.Marshal(app.ImportOptions{Format: "csv", Mapping: string(mapping), MappingFile: "scenario-events.yaml"})
	return string(b)
}

// events reads a job's event stream to its end: the names and data of its
// events, validated against the OpenAPI document like any answer.
func (c *client) events(path string) (names []string, data []string) {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	checkResponse(c.t, req, resp.StatusCode, resp.Header, raw)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		c.t.Fatalf("GET %s: %d %s: %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			names = append(names, name)
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			data = append(data, d)
		}
	}
	return names, data
}

// waitJob follows a job's events to its end and returns it as it ended.
func (c *client) waitJob(id int64) app.Job {
	c.t.Helper()
	names, data := c.events("/api/v1/jobs/" + itoa(id) + "/events")
	if len(names) < 2 || names[len(names)-1] != "end" || names[len(names)-2] != "job" {
		c.t.Fatalf("job %d events %v", id, names)
	}
	var j app.Job
	if err := json.Unmarshal([]byte(data[len(data)-2]), &j); err != nil {
		c.t.Fatal(err)
	}
	return j
}

// An import uploaded, an evaluation and an incident build queued over the
// API run as jobs; their events end with the job as it ended, and the
// stored work is what the commands would have stored.
func TestJobsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c, srv := jobServer(t, dsn)
		go srv.startRunners(t.Context())
		ct, body := importBody(t, [2]string{"item", scenarioItem(t)}, [2]string{"file", string(readExample(t, "examples/evidence/moratorium-2025-events.csv"))})
		var imp app.Job
		h := c.doRaw("POST", "/api/v1/imports", ct, body, 202, &imp)
		if imp.State != store.JobQueued || imp.Kind != "import" || h.Get("Location") != "/api/v1/jobs/"+itoa(imp.ID) {
			t.Fatalf("queued %+v, Location %q", imp, h.Get("Location"))
		}
		done := c.waitJob(imp.ID)
		var res app.IngestResult
		if err := json.Unmarshal(done.Result, &res); err != nil || done.State != store.JobDone {
			t.Fatalf("import job ended %+v (%v)", done, err)
		}
		if len(res.Files) != 1 || res.Files[0].File != "moratorium-2025-events.csv" || res.Files[0].New == 0 {
			t.Errorf("import result %s", done.Result)
		}
		var ev, inc app.Job
		c.do("POST", "/api/v1/evaluations", map[string]any{"agreements": []string{"energy-moratorium-2025"}}, 202, &ev)
		if j := c.waitJob(ev.ID); j.State != store.JobDone {
			t.Fatalf("evaluation %+v", j)
		}
		var page findingPage
		c.do("GET", "/api/v1/findings?agreement=energy-moratorium-2025", nil, 200, &page)
		if len(page.Findings) == 0 {
			t.Error("the evaluation job stored no findings")
		}
		c.do("POST", "/api/v1/incident-builds", map[string]any{}, 202, &inc)
		if j := c.waitJob(inc.ID); j.State != store.JobDone || !strings.Contains(string(j.Result), `"incidents"`) {
			t.Fatalf("incident build %+v", j)
		}
		var jobs app.JobPage
		c.do("GET", "/api/v1/jobs", nil, 200, &jobs)
		if len(jobs.Jobs) != 3 || jobs.Jobs[0].ID != inc.ID {
			t.Errorf("jobs %+v", jobs)
		}
		c.do("GET", "/api/v1/jobs?kind=import&state=done", nil, 200, &jobs)
		if len(jobs.Jobs) != 1 || jobs.Jobs[0].ID != imp.ID {
			t.Errorf("done imports %+v", jobs)
		}
		var one app.Job
		c.do("GET", "/api/v1/jobs/"+itoa(imp.ID), nil, 200, &one)
		if one.State != store.JobDone || one.Owner != srv.owner {
			t.Errorf("job %+v", one)
		}
		// A job that ended streams itself and its end at once.
		if names, _ := c.events("/api/v1/jobs/" + itoa(imp.ID) + "/events"); strings.Join(names, ",") != "job,end" {
			t.Errorf("events of an ended job: %v", names)
		}
		metrics := c.get("/metrics")
		for _, want := range []string{`truce_jobs_ended_total{kind="import",state="done"} 1`, `truce_jobs_ended_total{kind="evaluate",state="done"} 1`,
			`go_sql_open_connections{db_name="` + srv.cfg.Store.Backend() + `"}`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// Submissions that cannot run are refused before anything is queued.
func TestJobsRefusedOverAPI(t *testing.T) {
	c, _ := jobServer(t, testdb.SQLite(t))
	file := [2]string{"file", "event_id,date\n"}
	bad := func(name string, status int, want string, ct string, body []byte) {
		t.Helper()
		var e apiError
		c.doRaw("POST", "/api/v1/imports", ct, body, status, &e)
		if !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s: %q, want it to name %q", name, e.Error.Message, want)
		}
	}
	ct, body := importBody(t, file, [2]string{"item", scenarioItem(t)})
	bad("file first", 400, "before the item", ct, body)
	ct, body = importBody(t, [2]string{"item", scenarioItem(t)})
	bad("no file", 400, "no file part", ct, body)
	ct, body = importBody(t, [2]string{"item", `{"format":"xlsx"}`}, file)
	bad("format", 400, "xlsx", ct, body)
	ct, body = importBody(t, [2]string{"item", `{"format":"csv","colour":"red"}`}, file)
	bad("unknown field", 400, "colour", ct, body)
	bad("not multipart", 400, "multipart", "application/json", []byte(`{}`))
	var e apiError
	c.do("POST", "/api/v1/evaluations", map[string]any{"agreements": []string{"no-such"}}, 404, &e)
	c.do("POST", "/api/v1/incident-builds", map[string]any{"agreement": "no-such"}, 404, &e)
	c.do("GET", "/api/v1/jobs/999", nil, 404, &e)
	c.do("GET", "/api/v1/jobs/abc", nil, 400, &e)
	c.do("GET", "/api/v1/jobs/999/events", nil, 404, &e)
	c.do("GET", "/api/v1/jobs?state=paused", nil, 400, &e)
	var jobs app.JobPage
	c.do("GET", "/api/v1/jobs", nil, 200, &jobs)
	if len(jobs.Jobs) != 0 {
		t.Errorf("refused submissions were queued: %+v", jobs.Jobs)
	}
}

// An upload over the server's bound is 413 and queues nothing.
func TestImportUploadBounded(t *testing.T) {
	st, err := backend.Open(t.Context(), testdb.SQLite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(t.Context(), Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxUpload: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := &client{t: t, base: hs.URL}
	ct, body := importBody(t, [2]string{"item", `{"format":"acled"}`}, [2]string{"file", strings.Repeat("x,y\n", 64<<10)})
	var e apiError
	c.doRaw("POST", "/api/v1/imports", ct, body, 413, &e)
	var jobs app.JobPage
	c.do("GET", "/api/v1/jobs", nil, 200, &jobs)
	if len(jobs.Jobs) != 0 {
		t.Errorf("a refused upload was queued: %+v", jobs.Jobs)
	}
}

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(truce.Examples, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// get answers a GET of path as text, whatever its status.
func (c *client) get(path string) string {
	c.t.Helper()
	resp, err := http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
