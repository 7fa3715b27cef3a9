package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

func testJobs(t *testing.T, b Backend) {
	t.Run("Lifecycle", func(t *testing.T) { testJobLifecycle(t, b) })
	t.Run("File", func(t *testing.T) { testJobFile(t, b) })
	t.Run("StaleClaim", func(t *testing.T) { testJobStaleClaim(t, b) })
	t.Run("ConcurrentClaims", func(t *testing.T) { testJobConcurrentClaims(t, b) })
	t.Run("List", func(t *testing.T) { testJobList(t, b) })
}

func addJob(t *testing.T, s store.Store, kind string, file io.Reader) store.Job {
	t.Helper()
	j, err := s.AddJob(t.Context(), store.Job{Kind: kind, Params: json.RawMessage(`{"agreement":"a"}`), CreatedBy: "ana"}, file)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// farPast is a stale bound no heartbeat is older than.
var farPast = time.Unix(0, 0)

func testJobLifecycle(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	if _, err := s.ClaimJob(ctx, "srv-a", farPast); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim on an empty queue: %v, want ErrNotFound", err)
	}
	j := addJob(t, s, "evaluate", nil)
	if j.ID == 0 || j.State != store.JobQueued || j.CreatedAt.IsZero() {
		t.Fatalf("added %+v", j)
	}
	got, err := s.ClaimJob(ctx, "srv-a", farPast)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != j.ID || got.State != store.JobRunning || got.Owner != "srv-a" || got.Attempts != 1 || got.StartedAt.IsZero() {
		t.Fatalf("claimed %+v", got)
	}
	if string(got.Params) != `{"agreement":"a"}` {
		t.Errorf("params %s", got.Params)
	}
	if _, err := s.ClaimJob(ctx, "srv-b", farPast); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a running job with a fresh heartbeat was claimed again: %v", err)
	}
	if err := s.BeatJob(ctx, j.ID, "srv-a", json.RawMessage(`{"rows":5}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.BeatJob(ctx, j.ID, "srv-b", nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a beat by a server that does not own the job: %v, want ErrConflict", err)
	}
	if err := s.BeatJob(ctx, j.ID, "srv-a", json.RawMessage(`{"rows":`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("progress that is not JSON: %v, want ErrInvalid", err)
	}
	got, err = s.GetJob(ctx, j.ID)
	if err != nil || string(got.Progress) != `{"rows":5}` {
		t.Fatalf("after a beat: %+v, %v", got, err)
	}
	if err := s.FinishJob(ctx, j.ID, "srv-a", json.RawMessage(`{"findings":3}`), ""); err != nil {
		t.Fatal(err)
	}
	got, err = s.GetJob(ctx, j.ID)
	if err != nil || got.State != store.JobDone || string(got.Result) != `{"findings":3}` || got.FinishedAt.IsZero() {
		t.Fatalf("finished: %+v, %v", got, err)
	}
	if err := s.FinishJob(ctx, j.ID, "srv-a", nil, "again"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("finishing a finished job: %v, want ErrConflict", err)
	}
	if _, err := s.GetJob(ctx, j.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown job: %v", err)
	}
	failed := addJob(t, s, "import", nil)
	if _, err := s.ClaimJob(ctx, "srv-b", farPast); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishJob(ctx, failed.ID, "srv-b", nil, "the file is not CSV"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetJob(ctx, failed.ID); got.State != store.JobFailed || got.Error != "the file is not CSV" {
		t.Errorf("failed job: %+v", got)
	}
}

func testJobFile(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	// Three chunks and a bit, with every byte value, so that nothing is
	// lost or changed at a chunk's edge.
	data := make([]byte, 3<<20+17)
	for i := range data {
		data[i] = byte(i * 7)
	}
	j := addJob(t, s, "import", bytes.NewReader(data))
	f, size, err := s.JobFile(ctx, j.ID)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("file of %d bytes: size %d, %v", len(data), size, err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes (%v), want the %d written", len(got), err, len(data))
	}
	empty := addJob(t, s, "import", bytes.NewReader(nil))
	if f, _, err := s.JobFile(ctx, empty.ID); err != nil {
		t.Errorf("an empty file: %v", err)
	} else if b, _ := io.ReadAll(f); len(b) != 0 {
		t.Errorf("an empty file read %d bytes", len(b))
	}
	none := addJob(t, s, "evaluate", nil)
	if _, _, err := s.JobFile(ctx, none.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a job without a file: %v, want ErrNotFound", err)
	}
	claimed, err := s.ClaimJob(ctx, "srv", farPast)
	if err != nil || claimed.ID != j.ID {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	if err := s.FinishJob(ctx, j.ID, "srv", nil, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.JobFile(ctx, j.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a finished job's file is kept: %v", err)
	}
}

func testJobStaleClaim(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	j := addJob(t, s, "import", nil)
	if _, err := s.ClaimJob(ctx, "killed", farPast); err != nil {
		t.Fatal(err)
	}
	// A server that has not beaten since now is stale to one that counts
	// a heartbeat older than a moment from now as lost.
	got, err := s.ClaimJob(ctx, "survivor", time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != j.ID || got.Owner != "survivor" || got.Attempts != 2 {
		t.Fatalf("reclaimed %+v", got)
	}
	if err := s.BeatJob(ctx, j.ID, "killed", nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the stalled server's beat: %v, want ErrConflict", err)
	}
	if err := s.FinishJob(ctx, j.ID, "killed", nil, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the stalled server's finish: %v, want ErrConflict", err)
	}
	if err := s.FinishJob(ctx, j.ID, "survivor", nil, ""); err != nil {
		t.Fatal(err)
	}
}

// testJobConcurrentClaims claims from several goroutines at once: each job
// goes to exactly one of them.
func testJobConcurrentClaims(t *testing.T, b Backend) {
	s, _ := open(t, b)
	const jobs, claimers = 12, 4
	for range jobs {
		addJob(t, s, "evaluate", nil)
	}
	var mu sync.Mutex
	owners := map[int64]string{}
	var wg sync.WaitGroup
	errs := make(chan error, claimers)
	for c := range claimers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := fmt.Sprintf("srv-%d", c)
			for {
				j, err := s.ClaimJob(t.Context(), me, farPast)
				if errors.Is(err, store.ErrNotFound) {
					return
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				if prev, ok := owners[j.ID]; ok {
					errs <- fmt.Errorf("job %d claimed by %s and %s", j.ID, prev, me)
				}
				owners[j.ID] = me
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(owners) != jobs {
		t.Errorf("%d jobs claimed, want %d", len(owners), jobs)
	}
}

func testJobList(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	a := addJob(t, s, "import", nil)
	e := addJob(t, s, "evaluate", nil)
	i := addJob(t, s, "incidents", nil)
	ids := func(js []store.Job) []int64 {
		var out []int64
		for _, j := range js {
			out = append(out, j.ID)
		}
		return out
	}
	all, err := s.ListJobs(ctx, store.JobFilter{})
	if err != nil || fmt.Sprint(ids(all)) != fmt.Sprint([]int64{i.ID, e.ID, a.ID}) {
		t.Fatalf("all jobs: %v, %v", ids(all), err)
	}
	page, _ := s.ListJobs(ctx, store.JobFilter{Before: i.ID, Limit: 1})
	if fmt.Sprint(ids(page)) != fmt.Sprint([]int64{e.ID}) {
		t.Errorf("page before %d: %v", i.ID, ids(page))
	}
	imports, _ := s.ListJobs(ctx, store.JobFilter{Kind: "import"})
	if fmt.Sprint(ids(imports)) != fmt.Sprint([]int64{a.ID}) {
		t.Errorf("imports: %v", ids(imports))
	}
	if _, err := s.ClaimJob(ctx, "srv", farPast); err != nil {
		t.Fatal(err)
	}
	running, _ := s.ListJobs(ctx, store.JobFilter{State: store.JobRunning})
	if fmt.Sprint(ids(running)) != fmt.Sprint([]int64{a.ID}) {
		t.Errorf("running: %v (the oldest job is claimed first)", ids(running))
	}
	if _, err := s.AddJob(ctx, store.Job{Kind: "import", Params: json.RawMessage("{"), CreatedBy: "ana"}, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("params that are not JSON: %v", err)
	}
	if _, err := s.AddJob(ctx, store.Job{Kind: "launch", CreatedBy: "ana"}, nil); err == nil {
		t.Error("a job of an unknown kind was stored")
	}
}
