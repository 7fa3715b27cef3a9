package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
)

// The operations pages in a real browser: each opens and logs no error
// (screenshots saved); an upload through the imports page's form lands
// on its job's page, which follows the job live over its events, while
// a runner runs it, from queued to done, and then shows what it stored.
func TestBrowserOps(t *testing.T) {
	ctx, problems := browser(t)
	// No runner in the server: the test runs the job once the page
	// follows it, so that the page sees it change.
	base, ap := serving(t, testdb.SQLite(t), -1)
	dir := artifacts(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	for _, p := range []struct{ path, ready, shot string }{
		{"/imports", "#batches", "imports.png"},
		{"/imports/1", "#batch", "batch.png"},
		{"/audit", `#chain-status[data-holds="true"]`, "audit.png"},
		{"/users", "#add-user", "users.png"},
		{"/reports?agreement=" + moratorium + "&date=2025-03-27", "#daily-frame", "reports.png"},
	} {
		err := chromedp.Do(ctx, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
		if err != nil {
			t.Fatalf("%s: %v (the page logged: %v)", p.path, err, problems())
		}
		if strings.HasPrefix(p.path, "/reports") {
			// The report's own page in its frame: drawn, charts and all.
			svgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById("report-frame").contentDocument.querySelectorAll("svg").length`))
			if err != nil || svgs == 0 {
				t.Errorf("the report's frame shows %d charts (%v)", svgs, err)
			}
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		save(t, dir, p.shot, shot)
	}

	file, rows := uploadFile(t)
	upload := filepath.Join(t.TempDir(), "events-upload.csv")
	if err := os.WriteFile(upload, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/imports"),
		chromedp.WaitVisible(chromedp.ID("upload-form")),
		chromedp.SetValue(chromedp.ID("up-format"), "csv"),
		chromedp.SetValue(chromedp.ID("up-mapping"), "scenario-events.yaml"),
		chromedp.SetUploadFiles(chromedp.ID("up-file"), []string{upload}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#job[data-events]`)), // the page follows the job
	)
	if err != nil {
		t.Fatalf("upload: %v (the page logged: %v)", err, problems())
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/jobs/") {
		t.Fatalf("after the upload the browser is at %q (%v)", loc, err)
	}
	queued, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("job-state")))
	if err != nil || queued != "queued" {
		t.Errorf("before a runner takes it, the job is %q (%v)", queued, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "job-queued.png", shot)
	ran, err := ap.JobRunner("browser-test", app.RunnerOptions{}).RunNext(ctx)
	if err != nil || !ran {
		t.Fatalf("the runner ran nothing (%v)", err)
	}
	err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#job[data-state="done"] #job-files`)))
	if err != nil {
		t.Fatalf("the job page never showed the job done: %v (the page logged: %v)", err, problems())
	}
	type seen struct {
		Seen   string   `json:"seen"`
		Events int      `json:"events"`
		Row    []string `json:"row"`
		Rows   string   `json:"rows"`
		Bar    float64  `json:"bar"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](`(() => {
		const el = document.getElementById("job");
		return {
			seen: el.dataset.seen,
			events: Number(el.dataset.events),
			row: [...document.querySelectorAll("#job-files tbody tr > *")].map((c) => c.textContent),
			rows: document.getElementById("job-rows").textContent + "/" + document.getElementById("job-rejected").textContent,
			bar: document.getElementById("job-progress").position,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "job-done.png", shot)
	// File, read, new, changed, unchanged, rejected: as the batch has it.
	want := []string{"events-upload.csv", strconv.Itoa(rows), "1", "0", strconv.Itoa(rows - 2), "1"}
	if !strings.HasPrefix(got.Seen, "queued") || !strings.HasSuffix(got.Seen, "done") || got.Events < 2 ||
		strings.Join(got.Row, ",") != strings.Join(want, ",") || got.Rows != strconv.Itoa(rows)+"/1" || got.Bar != 1 {
		t.Errorf("the job page saw %+v; want the states from queued to done and the row %v", got, want)
	}
	t.Logf("job page, live: %+v", got)
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}
