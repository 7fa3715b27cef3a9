package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"
)

// A target makes one request and returns the size of its answer in bytes.
// Any error counts the request as failed.
type target func(ctx context.Context) (int, error)

// plan is an open-loop run: count requests at a fixed rate, whatever the
// answers do, at most inflight at a time, and all of it bounded by
// deadline.
type plan struct {
	rate     float64       // requests a second
	duration time.Duration // count = rate × duration
	inflight int           // requests outstanding at most
	deadline time.Duration // the whole run, answers included
}

// count is how many requests the run makes: rate × duration, rounded.
func (p plan) count() int {
	return int(math.Round(p.rate * p.duration.Seconds()))
}

// due is when request i (from 0) is scheduled, from the start of the run:
// i/rate, whatever happened to the requests before it.
func (p plan) due(i int) time.Duration {
	return time.Duration(float64(i) * float64(time.Second) / p.rate)
}

// outcome is what a run measured.
type outcome struct {
	scheduled int             // rate × duration
	sent      int             // requests started before the deadline
	errors    int             // failed requests, and those never sent
	latencies []time.Duration // of every request that ended, failed or not, from its scheduled time
	bytes     int64           // answer bytes of the requests that succeeded
	elapsed   time.Duration   // from the first scheduled time to the last answer
	maxLag    time.Duration   // the longest a request started after its scheduled time
	samples   map[string]int  // error messages, a few of each kind
}

// maxSamples bounds how many distinct error messages an outcome keeps.
const maxSamples = 5

// run makes p's requests with do. A request's latency runs from its
// scheduled time, not from when it was sent: when every slot is taken,
// the wait for one counts (no coordinated omission). Requests still
// unsent at the deadline count as errors; those in flight are cancelled
// and fail.
func run(ctx context.Context, p plan, do target) outcome {
	ctx, cancel := context.WithTimeout(ctx, p.deadline)
	defer cancel()
	n := p.count()
	o := outcome{scheduled: n, samples: map[string]int{}}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		slots   = make(chan struct{}, max(p.inflight, 1))
		timer   = time.NewTimer(0)
		lats    = make([]time.Duration, 0, n)
		failure = func(err error) {
			o.errors++
			msg := err.Error()
			if len(msg) > 200 {
				msg = msg[:200] + "..."
			}
			if _, ok := o.samples[msg]; ok || len(o.samples) < maxSamples {
				o.samples[msg]++
			}
		}
	)
	<-timer.C
	start := time.Now()
schedule:
	for i := range n {
		due := start.Add(p.due(i))
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				break schedule
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break schedule
		}
		o.maxLag = max(o.maxLag, time.Since(due))
		o.sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			size, err := do(ctx)
			lat := time.Since(due)
			<-slots
			mu.Lock()
			defer mu.Unlock()
			lats = append(lats, lat)
			if err != nil {
				failure(err)
				return
			}
			o.bytes += int64(size)
		}()
	}
	wg.Wait()
	o.elapsed = time.Since(start)
	if unsent := n - o.sent; unsent > 0 {
		o.errors += unsent
		o.samples[fmt.Sprintf("not sent before the deadline (%s)", p.deadline)] = unsent
	}
	o.latencies = lats
	slices.Sort(o.latencies)
	return o
}

// percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted:
// the smallest value with at least p% of the values at or below it; 0 when
// sorted is empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// achieved is the rate of requests that ended (failed or not) over the run.
func (o outcome) achieved() float64 {
	if o.elapsed <= 0 {
		return 0
	}
	return float64(len(o.latencies)) / o.elapsed.Seconds()
}

// errorList is the outcome's error messages, the commonest first.
func (o outcome) errorList() []string {
	keys := make([]string, 0, len(o.samples))
	for k := range o.samples {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if o.samples[keys[i]] != o.samples[keys[j]] {
			return o.samples[keys[i]] > o.samples[keys[j]]
		}
		return keys[i] < keys[j]
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%d× %s", o.samples[k], k)
	}
	return out
}

var errNoRate = errors.New("the rate and the duration must be positive")

// check refuses a plan that would make no request or never end.
func (p plan) check() error {
	if p.rate <= 0 || p.duration <= 0 || p.count() == 0 {
		return errNoRate
	}
	if p.inflight < 1 {
		return errors.New("-inflight must be at least 1")
	}
	if p.deadline < p.duration {
		return fmt.Errorf("the deadline (%s) is shorter than the duration (%s)", p.deadline, p.duration)
	}
	return nil
}
