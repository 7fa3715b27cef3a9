// Command truce-load is the load generator of the serve benchmark
// (bench/run.sh, step serve): it asks for the findings list at a fixed
// rate, open loop, and reports how many requests failed and how long they
// took.
//
//	truce-load -url http://127.0.0.1:8090/api/v1/findings -query 'agreement=bench-2022&verdict=candidate' -rate 500 -duration 60s
//	truce-load -db bench/out/bench.db -query 'agreement=bench-2022&verdict=candidate' -rate 500 -duration 60s
//
// With -url it is a client of 'truce serve' over HTTP: GET URL?QUERY; an
// answer that is not 2xx, or a transport error, is an error. With -db it
// opens the store itself and calls the same use case the server does
// (app.FindingsPage with the query's filters, the page encoded as JSON as
// the server would): the floor the HTTP figures are set against.
//
// Requests are scheduled at fixed times (i/rate) whatever the answers do,
// rate × duration of them, at most -inflight outstanding, and the whole
// run ends by -deadline: requests unsent then count as errors, those in
// flight are cancelled. A request's latency runs from its scheduled time,
// so waiting for a free slot counts. Percentiles are exact (every latency
// kept and sorted; nearest rank).
//
// -vary makes every request a query of its own, with the same answer: a
// distinct to= bound far in the future (2100-01-01 plus i seconds), so
// that no request is answered from the server's cache of pages, which
// keeps a page while the database is unchanged. -page asks for any page
// (a dashboard page or its data) instead of a findings list: the check
// before the run then wants a 2xx answer only.
//
// One line of text goes to standard output; -json FILE writes the same
// figures as a JSON object ("-": standard output). One request before the
// run (not counted) checks the query and reports the page's size. The exit
// status is 1 if a request failed, 2 for a usage error or a failed check.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store/backend"
)

// headers is the repeatable -H flag.
type headers []string

func (h *headers) String() string     { return strings.Join(*h, ", ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

func main() { os.Exit(loadMain()) }

// loadMain is main with its exit status returned, so that deferred calls
// run.
func loadMain() int {
	var (
		p       plan
		hs      headers
		base    = flag.String("url", "", "over HTTP: the findings list's `URL` (http://127.0.0.1:8090/api/v1/findings)")
		dsn     = flag.String("db", "", "in process: the store's `DSN` (a SQLite file or a postgres:// URL)")
		query   = flag.String("query", "", "the findings filters, as a URL `QUERY` (agreement=bench-2022&verdict=candidate)")
		token   = flag.String("token", os.Getenv("TRUCE_TOKEN"), "API `TOKEN` sent as a bearer token, or acted with in process (default $TRUCE_TOKEN)")
		timeout = flag.Duration("timeout", 10*time.Second, "one request at most")
		jsonOut = flag.String("json", "", "also write the figures as JSON to `FILE` (- for standard output)")
		label   = flag.String("label", "", "a `NAME` for the run in its report (default: http or in-process)")
		cpuProf = flag.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (in process: the store and the use case too)")
		vary    = flag.Bool("vary", false, "a distinct, far-future to= bound on every request: the same findings, never a cached page")
		anyPage = flag.Bool("page", false, "with -url: any page, not a findings list (the first request checks for a 2xx answer only)")
	)
	flag.Float64Var(&p.rate, "rate", 500, "requests a second")
	flag.DurationVar(&p.duration, "duration", 60*time.Second, "how long requests are scheduled; rate × duration requests in all")
	flag.IntVar(&p.inflight, "inflight", 64, "requests outstanding at most")
	flag.DurationVar(&p.deadline, "deadline", 0, "the whole run at most, answers included (default: duration + timeout)")
	flag.Var(&hs, "H", "a request `HEADER` (\"Name: value\"), repeatable")
	flag.Parse()
	if p.deadline == 0 {
		p.deadline = p.duration + *timeout
	}
	usage := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "truce-load: "+format+"\n", args...)
		return 2
	}
	if flag.NArg() > 0 {
		return usage("unexpected argument %q", flag.Arg(0))
	}
	if (*base == "") == (*dsn == "") {
		return usage("give -url (over HTTP) or -db (in process), one of them")
	}
	if err := p.check(); err != nil {
		return usage("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var (
		do    target
		probe func(context.Context) (page, error)
		what  string
		mode  string
	)
	if *base != "" {
		mode, what = "http", *base
		if *query != "" {
			what += "?" + *query
		}
		h := http.Header{}
		for _, kv := range hs {
			k, v, ok := strings.Cut(kv, ":")
			if !ok {
				return usage("-H %q: want \"Name: value\"", kv)
			}
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		if *token != "" {
			h.Set("Authorization", "Bearer "+*token)
		}
		c := newClient(p.inflight, *timeout)
		do, probe = httpTarget(c, what, h, *vary), httpProbe(c, what, h, *anyPage)
	} else {
		mode, what = "in-process", *dsn+" "+*query
		q, after, limit, err := parseQuery(*query)
		if err != nil {
			return usage("-query: %v", err)
		}
		st, err := backend.OpenExisting(ctx, *dsn)
		if err != nil {
			return usage("%v", err)
		}
		defer st.Close()
		ap := app.New(st, app.Options{}).As(*token)
		if *anyPage {
			return usage("-page needs -url")
		}
		do, probe = appTarget(ap, q, after, limit, *timeout, *vary), appProbe(ap, q, after, limit)
	}
	if *label == "" {
		*label = mode
	}

	pg, err := probe(ctx)
	if err != nil {
		return usage("%s: the first request failed: %v", what, err)
	}
	if *cpuProf != "" {
		f, err := os.Create(*cpuProf)
		if err != nil {
			return usage("%v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return usage("%v", err)
		}
	}
	o := run(ctx, p, do)
	if *cpuProf != "" {
		pprof.StopCPUProfile()
	}
	r := newReport(*label, mode, what, p, o, pg)
	fmt.Println(r.line())
	for _, e := range r.ErrorSamples {
		fmt.Println("    error: " + e)
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, r); err != nil {
			return usage("%v", err)
		}
	}
	if o.errors > 0 {
		return 1
	}
	return 0
}

// page is what the probe saw of one answer.
type page struct {
	findings int
	bytes    int
}

func newClient(inflight int, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = inflight
	tr.MaxIdleConnsPerHost = inflight
	tr.MaxConnsPerHost = inflight
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: timeout}
}

// get makes one GET and writes its body to w, returning its size; a
// status other than 2xx is an error quoting the start of the body.
func get(ctx context.Context, c *http.Client, u string, h http.Header, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header = h.Clone()
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 120))
		return int64(len(b)), fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return io.Copy(w, resp.Body)
}

// httpTarget reads each answer to its end without keeping it, so that the
// load generator costs the server's machine little.
func httpTarget(c *http.Client, u string, h http.Header, vary bool) target {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	var i atomic.Int64
	return func(ctx context.Context) (int, error) {
		target := u
		if vary {
			target += sep + "to=" + url.QueryEscape(varied(i.Add(1)).Format(time.RFC3339))
		}
		n, err := get(ctx, c, target, h, io.Discard)
		return int(n), err
	}
}

// varied is request i's to= bound under -vary: after every record.
func varied(i int64) time.Time {
	return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
}

func httpProbe(c *http.Client, u string, h http.Header, anyPage bool) func(context.Context) (page, error) {
	return func(ctx context.Context) (page, error) {
		var buf bytes.Buffer
		_, err := get(ctx, c, u, h, &buf)
		if err != nil {
			return page{}, err
		}
		body := buf.Bytes()
		if anyPage {
			return page{bytes: len(body)}, nil
		}
		var v struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return page{}, fmt.Errorf("the answer is not a findings page: %w", err)
		}
		return page{findings: len(v.Findings), bytes: len(body)}, nil
	}
}

// appTarget calls the server's use case and encodes its page as the
// server does (json.Encoder, HTML escaped), to io.Discard.
func appTarget(ap *app.App, q app.FindingQuery, after string, limit int, timeout time.Duration, vary bool) target {
	var i atomic.Int64
	return func(ctx context.Context) (int, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		q := q
		if vary {
			q.To = varied(i.Add(1))
		}
		pg, err := ap.FindingsPage(ctx, q, after, limit)
		if err != nil {
			return 0, err
		}
		var n counter
		err = json.NewEncoder(&n).Encode(pg)
		return int(n), err
	}
}

func appProbe(ap *app.App, q app.FindingQuery, after string, limit int) func(context.Context) (page, error) {
	return func(ctx context.Context) (page, error) {
		pg, err := ap.FindingsPage(ctx, q, after, limit)
		if err != nil {
			return page{}, err
		}
		b, err := json.Marshal(pg)
		return page{findings: len(pg.Findings), bytes: len(b)}, err
	}
}

// counter counts the bytes written to it.
type counter int

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// parseQuery reads the findings list's query parameters, as GET
// /api/v1/findings takes them, into the use case's arguments.
func parseQuery(s string) (q app.FindingQuery, after string, limit int, err error) {
	vals, err := url.ParseQuery(s)
	if err != nil {
		return q, "", 0, err
	}
	for k, vs := range vals {
		v := vs[len(vs)-1]
		switch k {
		case "agreement":
			q.Agreement = v
		case "version":
			q.Version, err = strconv.Atoi(v)
		case "reading":
			q.Reading = v
		case "accused":
			q.Accused = v
		case "verdict":
			for _, v := range vs {
				for s := range strings.SplitSeq(v, ",") {
					if s = strings.TrimSpace(s); s != "" {
						q.Verdicts = append(q.Verdicts, s)
					}
				}
			}
		case "needs_review":
			q.NeedsReview, err = strconv.ParseBool(v)
		case "withdrawn":
			q.Withdrawn, err = strconv.ParseBool(v)
		case "after":
			after = v
		case "limit":
			limit, err = strconv.Atoi(v)
		default:
			return q, "", 0, fmt.Errorf("unknown parameter %q: the findings list takes agreement, version, reading, accused, verdict, needs_review, withdrawn, after, limit", k)
		}
		if err != nil {
			return q, "", 0, fmt.Errorf("%s=%q: %w", k, v, errors.Unwrap(err))
		}
	}
	return q, after, limit, nil
}

// report is a run's figures, as the text line and the JSON object give them.
type report struct {
	Label        string   `json:"label"`
	Mode         string   `json:"mode"`
	Target       string   `json:"target"`
	Rate         float64  `json:"rate"`
	Seconds      float64  `json:"seconds"`
	Inflight     int      `json:"inflight"`
	Scheduled    int      `json:"scheduled"`
	Sent         int      `json:"sent"`
	Completed    int      `json:"completed"`
	Errors       int      `json:"errors"`
	Achieved     float64  `json:"achieved_rps"`
	P50          float64  `json:"p50_ms"`
	P90          float64  `json:"p90_ms"`
	P95          float64  `json:"p95_ms"`
	P99          float64  `json:"p99_ms"`
	Max          float64  `json:"max_ms"`
	MaxLag       float64  `json:"max_send_lag_ms"`
	PageFindings int      `json:"page_findings"`
	PageBytes    int      `json:"page_bytes"`
	ErrorSamples []string `json:"error_samples,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newReport(label, mode, what string, p plan, o outcome, pg page) report {
	return report{
		Label: label, Mode: mode, Target: what, Rate: p.rate, Seconds: p.duration.Seconds(), Inflight: p.inflight,
		Scheduled: o.scheduled, Sent: o.sent, Completed: len(o.latencies), Errors: o.errors, Achieved: o.achieved(),
		P50: ms(percentile(o.latencies, 50)), P90: ms(percentile(o.latencies, 90)), P95: ms(percentile(o.latencies, 95)),
		P99: ms(percentile(o.latencies, 99)), Max: ms(percentile(o.latencies, 100)),
		MaxLag: ms(o.maxLag), PageFindings: pg.findings, PageBytes: pg.bytes, ErrorSamples: o.errorList(),
	}
}

func (r report) line() string {
	return fmt.Sprintf("%s %s: %d requests at %g/s for %gs: %d errors, %.1f/s achieved; latency p50 %.2fms p90 %.2fms p95 %.2fms p99 %.2fms max %.2fms; send lag max %.2fms; page %d findings, %d bytes",
		r.Label, r.Target, r.Scheduled, r.Rate, r.Seconds, r.Errors, r.Achieved, r.P50, r.P90, r.P95, r.P99, r.Max, r.MaxLag, r.PageFindings, r.PageBytes)
}

func writeJSON(name string, r report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if name == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	return os.WriteFile(name, b, 0o644)
}
