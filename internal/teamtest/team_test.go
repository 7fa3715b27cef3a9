// Package teamtest runs truce as a team runs it: the real binary, two
// servers on one PostgreSQL primary, one of them reading from a streaming
// replica, each a process of its own that the test may kill.
package teamtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/ingest/ingesttest"
	"github.com/truce-monitor/truce/internal/testbin"
)

// cluster starts a throwaway primary with a streaming replica (scripts/
// pg-cluster.sh) and returns their DSNs. Without PostgreSQL the test
// skips, unless TRUCE_REQUIRE_POSTGRES=1 (CI), which fails it.
func cluster(t *testing.T) (primary, replica string) {
	t.Helper()
	if os.Getenv("TRUCE_TEST_POSTGRES") == "" && os.Getenv("TRUCE_REQUIRE_POSTGRES") != "1" {
		t.Skip("TRUCE_TEST_POSTGRES is not set: PostgreSQL is not here")
	}
	out, err := exec.Command("bash", "../../scripts/pg-cluster.sh", "start").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("pg-cluster.sh start: %v\n%s", err, stderr)
	}
	vals := map[string]string{}
	for line := range strings.Lines(string(out)) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
		vals[k] = v
	}
	t.Cleanup(func() {
		if out, err := exec.Command("bash", "../../scripts/pg-cluster.sh", "stop", vals["DIR"]).CombinedOutput(); err != nil {
			t.Errorf("pg-cluster.sh stop: %v\n%s", err, out)
		}
	})
	return vals["PRIMARY"], vals["REPLICA"]
}

// truce runs a command to its end and returns its standard output.
func truce(t *testing.T, bin, token string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TRUCE_TOKEN="+token)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("truce %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return strings.TrimSpace(string(out))
}

// server is one `truce serve` process.
type server struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve starts `truce serve` with args and waits until /readyz answers 200.
func serve(t *testing.T, bin, name string, args ...string) *server {
	t.Helper()
	addr := freePort(t)
	s := &server{name: name, base: "http://" + addr, log: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	s.cmd.Stderr = &syncWriter{w: s.log}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Signal(syscall.SIGTERM)
			s.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("%s's log:\n%s", name, s.log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not ready: %v\n%s", name, err, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// call sends a request and returns the status, the headers and the body.
func call(t *testing.T, method, url, token string, body io.Reader, headers map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}

// Two servers on one primary, the second reading from a streaming replica:
// a burst of concurrent review steps on the same subjects from both loses
// no update (one step per subject wins, every other is 409), the audit
// chain verifies, the replica serves what the primary wrote, and an import
// whose server is killed mid-file is finished by the other server, once.
func TestTwoServersOnePrimaryAndAReplica(t *testing.T) {
	primary, replica := cluster(t)
	bin := testbin.Build(t)
	db := "--db=" + primary

	// The bundled scenario, evaluated, with an admin and two monitors.
	truce(t, bin, "", "demo", db)
	admin := truce(t, bin, "", "user", "add", "ada", "--role", "admin", db)
	mon1 := truce(t, bin, admin, "user", "add", "mona", "--role", "monitor", db)
	mon2 := truce(t, bin, admin, "user", "add", "moses", "--role", "monitor", db)

	a := serve(t, bin, "server A", db, "--job-stale=3s")
	b := serve(t, bin, "server B", db, "--read-db="+replica, "--job-stale=3s")

	var ready struct {
		Ready   bool
		Replica *struct {
			Schema     int
			LagSeconds float64 `json:"lag_seconds"`
		}
	}
	_, _, raw := call(t, "GET", b.base+"/readyz", "", nil, nil)
	decode(t, raw, &ready)
	if !ready.Ready || ready.Replica == nil || ready.Replica.Schema == 0 {
		t.Fatalf("server B's /readyz: %s", raw)
	}
	t.Logf("replica lag at start: %.3fs", ready.Replica.LagSeconds)

	// Server B answers the findings list from the replica and keeps the
	// page while the replica's stamp stands: the burst's steps, written
	// on the primary, must show on B once replayed.
	statuses := func() map[string]string {
		var page struct {
			Findings []struct {
				Stored struct {
					ID     int64  `json:"id"`
					Status string `json:"status"`
				} `json:"stored"`
			}
		}
		_, _, raw := call(t, "GET", b.base+"/api/v1/findings?limit=1000", mon1, nil, nil)
		decode(t, raw, &page)
		out := map[string]string{}
		for _, f := range page.Findings {
			out["finding/"+strconv.FormatInt(f.Stored.ID, 10)] = f.Stored.Status
		}
		return out
	}
	before := statuses()
	stepped := burst(t, a, b, mon1, mon2)
	for _, s := range stepped {
		if before[s] != "alleged" {
			t.Fatalf("server B's list before the burst: %s is %q, want alleged", s, before[s])
		}
	}
	waitFor(t, 10*time.Second, "server B's findings list (the replica's, kept while unchanged) to show the burst's steps", func() bool {
		now := statuses()
		for _, s := range stepped {
			if now[s] == "alleged" || now[s] == "" {
				return false
			}
		}
		return true
	})

	// The replica serves what the primary wrote, once it has replayed it.
	var users struct{ Users []struct{ Name string } }
	waitFor(t, 10*time.Second, "the replica to show a user added on the primary", func() bool {
		_, _, raw := call(t, "GET", b.base+"/api/v1/users", admin, nil, nil)
		decode(t, raw, &users)
		for _, u := range users.Users {
			if u.Name == "moses" {
				return true
			}
		}
		return false
	})

	killedImport(t, bin, primary, admin, a, b)

	// The audit chain holds under writers from two processes.
	t.Logf("audit verify: %s", truce(t, bin, admin, "audit", "verify", db))
}

// burst sends, for each of several findings, concurrent steps from both
// servers as two monitors, every one made on the revision all of them saw,
// and returns the findings stepped.
func burst(t *testing.T, a, b *server, tokens ...string) []string {
	t.Helper()
	var page struct {
		Findings []struct {
			Stored struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			} `json:"stored"`
		}
	}
	_, _, raw := call(t, "GET", a.base+"/api/v1/findings?limit=1000", tokens[0], nil, nil)
	decode(t, raw, &page)
	var subjects []string
	for _, f := range page.Findings {
		if f.Stored.Status == "alleged" && len(subjects) < 6 {
			subjects = append(subjects, "finding/"+strconv.FormatInt(f.Stored.ID, 10))
		}
	}
	if len(subjects) < 3 {
		t.Fatalf("the scenario has %d alleged findings: %.300s", len(subjects), raw)
	}
	const perSubject = 8
	type result struct {
		subject string
		status  int
		body    string
	}
	results := make(chan result, len(subjects)*perSubject)
	start := make(chan struct{})
	var wg sync.WaitGroup
	began := time.Now()
	for _, subj := range subjects {
		// Everyone saw this revision: one step may take it.
		_, h, _ := call(t, "GET", a.base+"/api/v1/review/"+subj, tokens[0], nil, nil)
		etag := h.Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", subj)
		}
		for i := range perSubject {
			srv := []*server{a, b}[i%2]
			token := tokens[i%len(tokens)]
			to := []string{"inconclusive", "corroborated"}[i/2%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				body := fmt.Sprintf(`{"to":%q,"reason":"burst %d via %s"}`, to, i, srv.name)
				st, _, resp := call(t, "POST", srv.base+"/api/v1/review/"+subj+"/transitions", token, strings.NewReader(body),
					map[string]string{"If-Match": etag, "Content-Type": "application/json"})
				results <- result{subj, st, string(resp)}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(results)
	took := time.Since(began)
	won := map[string]int{}
	conflicts := 0
	for r := range results {
		switch r.status {
		case 200:
			won[r.subject]++
		case 409:
			conflicts++
			if !strings.Contains(r.body, "mona moved it") && !strings.Contains(r.body, "moses moved it") {
				t.Errorf("%s: a 409 that does not say who changed it: %s", r.subject, r.body)
			}
		default:
			t.Errorf("%s: status %d: %s", r.subject, r.status, r.body)
		}
	}
	for _, s := range subjects {
		if won[s] != 1 {
			t.Errorf("%s: %d steps taken from one revision, want exactly 1", s, won[s])
		}
	}
	t.Logf("burst: %d subjects x %d concurrent steps from 2 servers: %d taken, %d conflicts (409), in %s",
		len(subjects), perSubject, len(subjects), conflicts, took.Round(time.Millisecond))
	return subjects
}

// killedImport uploads a file big enough to take seconds, kills the server
// that runs its job mid-file, and waits for the other to finish it.
func killedImport(t *testing.T, bin, primary, token string, a, b *server) {
	t.Helper()
	const rows = 120_000
	path := filepath.Join(t.TempDir(), "acled-replayed.csv")
	ingesttest.ReplayACLED(t, path, rows)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	item, _ := mw.CreateFormField("item")
	io.WriteString(item, `{"format":"acled"}`)
	file, _ := mw.CreateFormFile("file", "acled-replayed.csv")
	io.Copy(file, f)
	mw.Close()
	st, _, raw := call(t, "POST", a.base+"/api/v1/imports", token, &body, map[string]string{"Content-Type": mw.FormDataContentType()})
	if st != 202 {
		t.Fatalf("upload: %d %s", st, raw)
	}
	var job struct {
		ID       int64
		State    string
		Owner    string
		Attempts int
		Progress struct{ Rows int64 }
		Result   struct {
			Files []struct{ New, Read int }
		}
		Error string
	}
	decode(t, raw, &job)
	jobURL := fmt.Sprintf("/api/v1/jobs/%d", job.ID)
	// Wait until a server is well into the file, then kill that server.
	var owner *server
	waitFor(t, 60*time.Second, "a server to be into the import", func() bool {
		_, _, raw := call(t, "GET", a.base+jobURL, token, nil, nil)
		decode(t, raw, &job)
		for _, s := range []*server{a, b} {
			if job.State == "running" && strings.Contains(job.Owner, ":"+strconv.Itoa(s.cmd.Process.Pid)+":") {
				owner = s
			}
		}
		return owner != nil && job.Progress.Rows > 0
	})
	killedAt := job.Progress.Rows
	if err := owner.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	owner.cmd.Wait()
	other := map[*server]*server{a: b, b: a}[owner]
	t.Logf("killed %s with the import %d rows in", owner.name, killedAt)
	killed := time.Now()
	waitFor(t, 120*time.Second, "the other server to finish the import", func() bool {
		_, _, raw := call(t, "GET", other.base+jobURL, token, nil, nil)
		decode(t, raw, &job)
		return job.State == "done" || job.State == "failed"
	})
	if job.State != "done" || job.Attempts != 2 || !strings.Contains(job.Owner, ":"+strconv.Itoa(other.cmd.Process.Pid)+":") {
		t.Fatalf("the import after the kill: %+v", job)
	}
	if len(job.Result.Files) != 1 || job.Result.Files[0].New != rows {
		t.Errorf("the resumed import stored %+v, want all %d rows new (the killed attempt stored nothing)", job.Result.Files, rows)
	}
	t.Logf("%s took the import up and finished it %s after the kill", other.name, time.Since(killed).Round(100*time.Millisecond))
	var batches struct{ Imports []struct{ File string } }
	_, _, raw = call(t, "GET", other.base+"/api/v1/imports", token, nil, nil)
	decode(t, raw, &batches)
	n := 0
	for _, bt := range batches.Imports {
		if bt.File == "acled-replayed.csv" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d batches of the file, want 1: %s", n, raw)
	}
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
