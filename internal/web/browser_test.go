package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/internal/testdb"
)

// browser starts headless Chromium (Debian's chromium) for the test, or
// skips when there is none, unless TRUCE_REQUIRE_BROWSER=1 (CI). It
// returns the browser's context and a function that reports what the
// pages logged as errors (script exceptions, console errors, refused
// resources).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("TRUCE_REQUIRE_BROWSER") == "1" {
			t.Fatal("TRUCE_REQUIRE_BROWSER=1 but no chromium in PATH (apt-get install chromium)")
		}
		t.Skip("no chromium in PATH: the browser test skips (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m.Text))
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// artifacts is where the test's screenshots go: $TRUCE_ARTIFACTS if set,
// else a directory of the test's own.
func artifacts(t *testing.T) string {
	dir := os.Getenv("TRUCE_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir, err := filepath.Abs(dir)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// The overview and the map in a real browser, on the bundled scenario:
// the overview's counts are the use case's, and the map draws one marker
// (alone or in a cluster's number) for each finding with a place, with
// one legend entry per accused party; no page logs an error. Screenshots
// of both are saved.
func TestBrowser(t *testing.T) {
	ctx, problems := browser(t)
	base, ap := scenario(t, testdb.SQLite(t))
	_, nFindings := totals(t, t.Context(), ap)
	dir := artifacts(t)

	res, err := http.Get(base + "/map/findings.json")
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Parties []struct{ ID string }
		Located int
	}
	err = json.NewDecoder(res.Body).Decode(&data)
	res.Body.Close()
	if err != nil || data.Located == 0 || len(data.Parties) < 2 {
		t.Fatalf("map data: %+v %v", data, err)
	}

	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("count-findings")))
	if err != nil {
		t.Fatalf("overview: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("count-findings")))
	if err != nil {
		t.Fatal(err)
	}
	overview, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if shown != strconv.Itoa(nFindings) {
		t.Errorf("the overview shows %q findings, the use case counts %d", shown, nFindings)
	}
	save(t, dir, "overview.png", overview)

	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/map"),
		chromedp.WaitVisible(chromedp.CSS(`#map[data-state="ready"]`)),
		chromedp.Sleep(500*time.Millisecond), // the clusters' fade-in
	)
	if err != nil {
		t.Fatalf("map: %v (the pages logged: %v)", err, problems())
	}
	type drawing struct {
		Clustered int    `json:"clustered"` // the findings the clusters count
		Clusters  int    `json:"clusters"`
		Alone     int    `json:"alone"` // markers of one finding
		Points    int    `json:"points"`
		Legend    int    `json:"legend"`
		State     string `json:"state"`
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[drawing](`(() => {
		const m = document.getElementById("map");
		const clusters = [...m.querySelectorAll(".leaflet-marker-icon .cluster")];
		return {
			clustered: clusters.reduce((n, c) => n + Number(c.dataset.count), 0),
			clusters: clusters.length,
			alone: m.querySelectorAll(".leaflet-marker-icon .pin").length,
			points: Number(m.dataset.points),
			legend: document.querySelectorAll(".legend li").length,
			state: m.dataset.state,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	mapShot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	save(t, dir, "map.png", mapShot)
	if drawn.Points != data.Located || drawn.Clustered+drawn.Alone != data.Located || drawn.Legend != len(data.Parties) {
		t.Errorf("the map drew %+v; the data has %d located findings and %d parties", drawn, data.Located, len(data.Parties))
	}
	if drawn.Alone == 0 && drawn.Clusters == 0 {
		t.Errorf("no marker drawn: %+v", drawn)
	}
	t.Logf("map: %+v", drawn)
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(p, "\n"))
	}
}

// pageTools are a browser test's two usual helpers: shot saves a
// screenshot of the whole page to dir, text reads an element's text.
func pageTools(t *testing.T, ctx context.Context, dir string) (shot func(name string), text func(sel string) string) {
	shot = func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		save(t, dir, name, png)
	}
	text = func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}
	return shot, text
}

func save(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}
