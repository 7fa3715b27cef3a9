package web_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/scenariotest"
	"github.com/truce-monitor/truce/internal/server"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/testdb"
)

// serving runs the bundled scenario's server as 'truce serve' does, with
// workers job runners (none if negative), on a loopback port, and returns
// its URL and the application on its store.
func serving(t *testing.T, dsn string, workers int) (string, *app.App) {
	t.Helper()
	ctx := t.Context()
	st, err := backend.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ap := app.New(st, app.Options{})
	scenariotest.Load(t, ap, scenariotest.Events, scenariotest.Claims)
	srv, err := server.New(ctx, server.Config{Store: st, Workers: workers, JobPoll: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	go func() { done <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), ap
}

// uploadBody is the imports page's form as a browser sends it: the CSRF
// token and the fields in order, then the file.
func uploadBody(t *testing.T, csrf string, fields map[string]string, name, content string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	for _, k := range []string{"format", "source", "mapping"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	w, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, content)
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// post sends a body of content type ct.
func (c *client) post(t *testing.T, path, ct string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", c.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

// uploadFile is the scenario's events file with one new row (a copy of
// its first under another id) and one row whose date cannot be read.
func uploadFile(t *testing.T) (string, int) {
	t.Helper()
	b, err := fs.ReadFile(truce.Examples, "examples/evidence/moratorium-2025-events.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	extra := strings.Replace(lines[1], "ev-2025-03-18-demidovka", "ev-upload-test", 1)
	bad := strings.Replace(strings.Replace(lines[1], "ev-2025-03-18-demidovka", "ev-upload-bad", 1), "2025-03-18", "18th of March", 1)
	return strings.Join(append(lines, extra, bad), "\n") + "\n", len(lines) + 1 // rows: the file's, the new and the bad
}

// An upload through the imports page's form becomes a job the server's
// runner runs: the browser is sent to the job's page, whose events end
// with the job done; the page then shows what the import stored, the
// imports page lists the job and the batch, and the batch's page its
// rejected row. A form the use case refuses (no mapping for csv) is the
// imports page again with the reason, 400, and queues nothing.
func TestUploadBecomesAJob(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := serving(t, dsn, 1)
		c := newClient(t, base)
		csrf := c.csrf(t, "/imports")
		ct, body := uploadBody(t, csrf, map[string]string{"format": "csv"}, "events.csv", "id,date\n")
		res := c.post(t, "/imports", ct, body)
		page, _ := io.ReadAll(res.Body)
		if res.StatusCode != 400 || !strings.Contains(string(page), "Not imported: format csv needs a mapping") {
			t.Errorf("an upload without a mapping: %d\n%.1500s", res.StatusCode, page)
		}
		file, rows := uploadFile(t)
		ct, body = uploadBody(t, csrf, map[string]string{"format": "csv", "source": "", "mapping": "scenario-events.yaml"}, "uploads/events-upload.csv", file)
		res = c.post(t, "/imports", ct, body)
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.HasPrefix(loc, "/jobs/") {
			page, _ := io.ReadAll(res.Body)
			t.Fatalf("upload: %d %q\n%.1500s", res.StatusCode, loc, page)
		}
		// The job's events, as the page's script follows them.
		names, last := jobEvents(t, c, loc+"/events")
		if names[len(names)-1] != "end" || !strings.Contains(last, `"state":"done"`) {
			t.Fatalf("events %v, last job %s", names, last)
		}
		_, jobPage := c.do(t, "GET", loc, nil)
		for _, want := range []string{`<div id="job" data-state="done">`, `<strong id="job-state">done</strong>`,
			`<span id="job-rows">` + itoa(rows) + `</span> read, <span id="job-rejected">1</span> rejected`,
			`<tr><th scope="row">events-upload.csv</th><td class="n">` + itoa(rows) + `</td><td class="n">1</td>`} {
			if !strings.Contains(jobPage, want) {
				t.Errorf("job page: no %q in\n%.3000s", want, jobPage)
			}
		}
		if strings.Contains(jobPage, `http-equiv="refresh"`) {
			t.Error("an ended job's page still refreshes itself")
		}
		batches, err := ap.Imports(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		b := batches[len(batches)-1]
		if b.File != "events-upload.csv" || b.Read != rows || b.New != 1 || b.Rejected != 1 || b.By != app.LocalActor {
			t.Fatalf("the upload's batch: %+v", b)
		}
		_, imports := c.do(t, "GET", "/imports", nil)
		for _, want := range []string{`<a href="` + loc + `">job ` + strings.TrimPrefix(loc, "/jobs/") + `</a></th><td>done</td><td>events-upload.csv</td>`,
			`<a href="/imports/` + itoa(int(b.ID)) + `#rejects">1</a>`} {
			if !strings.Contains(imports, want) {
				t.Errorf("imports page: no %q", want)
			}
		}
		_, batch := c.do(t, "GET", "/imports/"+itoa(int(b.ID)), nil)
		if !strings.Contains(batch, `<tr><th scope="row" class="n">`+itoa(rows+1)+`</th><td>date</td>`) {
			t.Errorf("the batch's page does not show its rejected row (line %d):\n%.3000s", rows+1, batch)
		}
	})
}

// jobEvents reads a job's server-sent events to their end: the events'
// names and the last job's data.
func jobEvents(t *testing.T, c *client, path string) (names []string, last string) {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var name string
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "event: "); ok {
			name = n
			names = append(names, n)
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok && name == "job" {
			last = d
		}
	}
	return names, last
}

func itoa(n int) string { return strconv.Itoa(n) }
