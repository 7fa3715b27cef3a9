package main

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 100, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond}, // nearest rank: ceil(0.5×4) = 2nd
		{ms(1, 2, 3, 4), 51, 3 * time.Millisecond},
		{ms(1, 2, 3, 4), 100, 4 * time.Millisecond},
		{hundred, 50, 50 * time.Millisecond},
		{hundred, 99, 99 * time.Millisecond},
		{hundred, 99.5, 100 * time.Millisecond},
		{hundred, 1, 1 * time.Millisecond},
		{hundred, 0.1, 1 * time.Millisecond},
	} {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("percentile(%d values, %g) = %v, want %v", len(c.sorted), c.p, got, c.want)
		}
	}
}

func TestPlan(t *testing.T) {
	p := plan{rate: 500, duration: 60 * time.Second, inflight: 64, deadline: 70 * time.Second}
	if err := p.check(); err != nil {
		t.Fatal(err)
	}
	if got := p.count(); got != 30000 {
		t.Errorf("count = %d, want 30000", got)
	}
	for i, want := range map[int]time.Duration{0: 0, 1: 2 * time.Millisecond, 500: time.Second, 29999: 59998 * time.Millisecond} {
		if got := p.due(i); got != want {
			t.Errorf("due(%d) = %v, want %v", i, got, want)
		}
	}
	for _, bad := range []plan{
		{rate: 0, duration: time.Second, inflight: 1, deadline: time.Second},
		{rate: 0.1, duration: time.Second, inflight: 1, deadline: time.Second}, // no request at all
		{rate: 10, duration: time.Second, inflight: 0, deadline: time.Second},
		{rate: 10, duration: time.Second, inflight: 1, deadline: time.Millisecond},
	} {
		if bad.check() == nil {
			t.Errorf("check(%+v) = nil, want an error", bad)
		}
	}
}

// TestRunOpenLoop: the requests go out at the rate, whatever the answers
// do, every one is counted, and a failure is an error with its message.
func TestRunOpenLoop(t *testing.T) {
	var n atomic.Int32
	p := plan{rate: 200, duration: 250 * time.Millisecond, inflight: 100, deadline: 5 * time.Second}
	start := time.Now()
	o := run(context.Background(), p, func(ctx context.Context) (int, error) {
		if n.Add(1)%10 == 0 {
			return 0, errors.New("boom")
		}
		time.Sleep(20 * time.Millisecond) // slower than the interval (5 ms): open loop keeps sending
		return 3, nil
	})
	took := time.Since(start)
	if o.scheduled != 50 || o.sent != 50 || len(o.latencies) != 50 {
		t.Errorf("scheduled %d, sent %d, ended %d; want 50 each", o.scheduled, o.sent, len(o.latencies))
	}
	if o.errors != 5 || o.samples["boom"] != 5 {
		t.Errorf("errors %d, samples %v; want 5 boom", o.errors, o.samples)
	}
	if o.bytes != 45*3 {
		t.Errorf("bytes %d, want %d", o.bytes, 45*3)
	}
	// Closed loop, one at a time, 45 × 20 ms would take 900 ms.
	if took > 600*time.Millisecond {
		t.Errorf("the run took %v: requests waited for answers", took)
	}
	if percentile(o.latencies, 100) < 20*time.Millisecond {
		t.Errorf("max latency %v, want at least the 20 ms a request takes", percentile(o.latencies, 100))
	}
}

// TestRunFromScheduledTime: with one slot and requests slower than the
// interval, the wait for the slot is part of the latency, which grows.
func TestRunFromScheduledTime(t *testing.T) {
	p := plan{rate: 100, duration: 100 * time.Millisecond, inflight: 1, deadline: 5 * time.Second}
	o := run(context.Background(), p, func(ctx context.Context) (int, error) {
		time.Sleep(30 * time.Millisecond)
		return 0, nil
	})
	if o.errors != 0 || len(o.latencies) != 10 {
		t.Fatalf("errors %d, ended %d; want 0, 10", o.errors, len(o.latencies))
	}
	// The 10th is due at 90 ms and starts after nine 30 ms requests, at
	// 270 ms: about 210 ms from its scheduled time.
	if last := o.latencies[9]; last < 200*time.Millisecond {
		t.Errorf("largest latency %v, want at least 200 ms (queueing counted)", last)
	}
	if o.maxLag < 150*time.Millisecond {
		t.Errorf("max send lag %v, want at least 150 ms", o.maxLag)
	}
}

// TestRunDeadline: the run ends at its deadline; requests in flight fail,
// those never sent count as errors.
func TestRunDeadline(t *testing.T) {
	p := plan{rate: 100, duration: 200 * time.Millisecond, inflight: 2, deadline: 250 * time.Millisecond}
	start := time.Now()
	o := run(context.Background(), p, func(ctx context.Context) (int, error) {
		<-ctx.Done() // never answers
		return 0, ctx.Err()
	})
	if took := time.Since(start); took > time.Second {
		t.Errorf("the run took %v, past its deadline", took)
	}
	if o.scheduled != 20 || o.sent != 2 || o.errors != 20 {
		t.Errorf("scheduled %d, sent %d, errors %d; want 20, 2, 20", o.scheduled, o.sent, o.errors)
	}
	if len(o.errorList()) != 2 {
		t.Errorf("error list %q, want the deadline and the unsent", o.errorList())
	}
}

func TestParseQuery(t *testing.T) {
	q, after, limit, err := parseQuery("agreement=bench-2022&verdict=candidate,near_miss&reading=ua&limit=50&after=x")
	if err != nil {
		t.Fatal(err)
	}
	if q.Agreement != "bench-2022" || q.Reading != "ua" || len(q.Verdicts) != 2 || q.Verdicts[1] != "near_miss" || limit != 50 || after != "x" {
		t.Errorf("got %+v after=%q limit=%d", q, after, limit)
	}
	for _, bad := range []string{"agreement=a&colour=red", "limit=ten", "needs_review=maybe"} {
		if _, _, _, err := parseQuery(bad); err == nil {
			t.Errorf("parseQuery(%q): no error", bad)
		}
	}
}
