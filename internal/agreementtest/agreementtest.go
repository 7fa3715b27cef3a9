// Package agreementtest runs agreement test files: fixture events and claims
// with the findings an analyst expects under each reading, in the spirit of
// `promtool test rules`. Whoever encodes an agreement states, in a file
// beside it, what it must and must not catch; `truce agreement test` fails
// with a readable diff when the encoding and the expectation part.
package agreementtest

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/taxonomy"
)

// File is a test file.
type File struct {
	// Agreement is the agreement file under test, relative to this file.
	Agreement string `yaml:"agreement"`
	Tests     []Case `yaml:"tests"`
}

// Case is one test: records in, expected findings out. Every finding the
// matcher reports for these records (near misses included) must be listed,
// and nothing else.
type Case struct {
	Name   string   `yaml:"name"`
	Events []Event  `yaml:"events,omitempty"`
	Claims []Claim  `yaml:"claims,omitempty"`
	Expect []Expect `yaml:"expect"`
}

// When is a record's time: an instant or a day, with its precision. Start
// and End are RFC 3339 instants or, with time_zone, local times.
type When struct {
	Start     string              `yaml:"start"`
	End       string              `yaml:"end,omitempty"`
	TimeZone  string              `yaml:"time_zone,omitempty"`
	Precision event.TimePrecision `yaml:"precision,omitempty"`
}

// Place is a record's place.
type Place struct {
	Name      string             `yaml:"name,omitempty"`
	Country   string             `yaml:"country,omitempty"`
	Admin1    string             `yaml:"admin1,omitempty"`
	Lat       *float64           `yaml:"lat,omitempty"`
	Lon       *float64           `yaml:"lon,omitempty"`
	Precision event.GeoPrecision `yaml:"precision,omitempty"`
}

// Actor is an actor as a source names it.
type Actor struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"`
}

// Event is a fixture event. Targets come from Text through the classifier,
// as at ingest, unless listed.
type Event struct {
	ID      string   `yaml:"id"`
	Source  string   `yaml:"source,omitempty"` // alias kind; default acled
	Time    When     `yaml:"time"`
	Place   Place    `yaml:"place"`
	Actors  []Actor  `yaml:"actors"`
	Kind    string   `yaml:"kind"`
	Text    string   `yaml:"text,omitempty"`
	Targets []string `yaml:"targets,omitempty"`
}

// Claim is a fixture claim.
type Claim struct {
	ID       string          `yaml:"id"`
	Type     event.ClaimType `yaml:"type,omitempty"`
	Claimant string          `yaml:"claimant"`
	Accused  string          `yaml:"accused"`
	Time     When            `yaml:"time"`
	Places   []Place         `yaml:"places,omitempty"`
	Kind     string          `yaml:"kind,omitempty"`
	Text     string          `yaml:"text,omitempty"`
	Targets  []string        `yaml:"targets,omitempty"`
	Count    *int            `yaml:"count,omitempty"`
}

// Expect is one expected finding.
type Expect struct {
	Record     string        `yaml:"record"`
	Reading    string        `yaml:"reading"`
	Commitment string        `yaml:"commitment"`
	Verdict    match.Verdict `yaml:"verdict"`
	// Failed is the clause that fails a near miss.
	Failed match.Clause `yaml:"failed,omitempty"`
	// Explains lists words the explanation must contain.
	Explains []string `yaml:"explains,omitempty"`
}

// key is what is compared: everything but the explanation words.
func (e Expect) key() string {
	s := fmt.Sprintf("%s %s/%s %s", e.Record, e.Reading, e.Commitment, e.Verdict)
	if e.Failed != "" {
		s += "(" + string(e.Failed) + ")"
	}
	return s
}

// Result is the outcome of one case.
type Result struct {
	Name       string
	Missing    []string // expected, not found
	Unexpected []string // found, not expected
	// Unexplained lists expected words the explanation lacked.
	Unexplained []string
}

// Passed reports whether the case held.
func (r Result) Passed() bool {
	return len(r.Missing)+len(r.Unexpected)+len(r.Unexplained) == 0
}

// Load reads and validates a test file and the agreement it names, within
// the default limits.
func Load(path string) (*File, *agreement.Agreement, error) {
	return LoadWith(path, strictyaml.DefaultLimits())
}

// LoadWith is Load within lim, for the test file and its agreement alike.
func LoadWith(path string, lim strictyaml.Limits) (*File, *agreement.Agreement, error) {
	data, err := strictyaml.ReadFile(path, lim)
	if err != nil {
		return nil, nil, err
	}
	f, err := Parse(path, data, lim)
	if err != nil {
		return nil, nil, err
	}
	agPath := f.Agreement
	if !filepath.IsAbs(agPath) {
		agPath = filepath.Join(filepath.Dir(path), agPath)
	}
	ag, err := agreement.ParseFileWith(agPath, lim)
	if err != nil {
		return nil, nil, err
	}
	return f, ag, nil
}

// Parse decodes and validates a test file within lim, without the
// agreement it names. Problems come back as strictyaml.Problems.
func Parse(filename string, data []byte, lim strictyaml.Limits) (*File, error) {
	var f File
	pos, err := strictyaml.DecodeWith(filename, data, &f, strictyaml.Options{Limits: lim, MaxLen: maxLen})
	if err != nil {
		return nil, err
	}
	if ps := validate(&f, pos); len(ps) > 0 {
		strictyaml.SortProblems(ps)
		return nil, strictyaml.CapProblems(ps)
	}
	return &f, nil
}

// Maximum lengths of the short fields of a test file; other text gets the
// limit "string".
var maxLen = map[string]int{
	"agreement":                   4096,
	"tests[].name":                300,
	"tests[].events[].id":         128,
	"tests[].events[].kind":       64,
	"tests[].events[].targets[]":  64,
	"tests[].claims[].id":         128,
	"tests[].claims[].claimant":   64,
	"tests[].claims[].accused":    64,
	"tests[].claims[].kind":       64,
	"tests[].claims[].targets[]":  64,
	"tests[].expect[].record":     128,
	"tests[].expect[].reading":    32,
	"tests[].expect[].commitment": 64,
	"tests[].expect[].verdict":    32,
	"tests[].expect[].failed":     32,
	"tests[].expect[].explains[]": 1024,
}

func validate(f *File, pos *strictyaml.Positions) strictyaml.Problems {
	var ps strictyaml.Problems
	bad := func(path, format string, args ...any) { ps = append(ps, pos.Problem(path, format, args...)) }
	if len(f.Tests) == 0 {
		bad("tests", "no tests")
	}
	for i, c := range f.Tests {
		p := strictyaml.JoinIndex("tests", i)
		ids := map[string]bool{}
		for j, e := range c.Events {
			ep := strictyaml.JoinIndex(p+".events", j)
			if e.ID == "" || ids[e.ID] {
				bad(ep+".id", "record id %q must be present and unique in the test", e.ID)
			}
			ids[e.ID] = true
			if !taxonomy.Kinds.Has(e.Kind) {
				bad(ep+".kind", "unknown event kind %q", e.Kind)
			}
			for k, t := range e.Targets {
				if !taxonomy.Targets.Has(t) {
					bad(strictyaml.JoinIndex(ep+".targets", k), "unknown target category %q", t)
				}
			}
			if _, err := e.Time.span(); err != nil {
				bad(ep+".time", "%v", err)
			}
		}
		for j, cl := range c.Claims {
			cp := strictyaml.JoinIndex(p+".claims", j)
			if cl.ID == "" || ids[cl.ID] {
				bad(cp+".id", "record id %q must be present and unique in the test", cl.ID)
			}
			ids[cl.ID] = true
			if _, err := cl.Time.span(); err != nil {
				bad(cp+".time", "%v", err)
			}
		}
		for j, x := range c.Expect {
			if !ids[x.Record] {
				bad(strictyaml.JoinIndex(p+".expect", j)+".record", "expect names record %q, which the test does not define", x.Record)
			}
		}
	}
	return ps
}

func (w When) span() (event.Span, error) {
	loc := time.UTC
	if w.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(w.TimeZone); err != nil {
			return event.Span{}, fmt.Errorf("time zone %q: %w", w.TimeZone, err)
		}
	}
	parse := func(s string) (time.Time, error) {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		return agreement.ParseLocal(s, loc)
	}
	start, err := parse(w.Start)
	if err != nil {
		return event.Span{}, fmt.Errorf("start: %w", err)
	}
	prec := w.Precision
	if prec == "" {
		prec = event.TimeExact
		if len(w.Start) == len("2006-01-02") {
			prec = event.TimeDay
		}
	}
	var end time.Time
	switch {
	case w.End != "":
		if end, err = parse(w.End); err != nil {
			return event.Span{}, fmt.Errorf("end: %w", err)
		}
	case prec == event.TimeDay:
		end = start.AddDate(0, 0, 1)
	case prec == event.TimeWeek:
		end = start.AddDate(0, 0, 7)
	case prec == event.TimeMonth:
		end = start.AddDate(0, 1, 0)
	default:
		end = start.Add(time.Minute)
	}
	if !end.After(start) {
		return event.Span{}, fmt.Errorf("end %s is not after start %s", w.End, w.Start)
	}
	return event.Span{Start: start.UTC(), End: end.UTC(), Precision: prec}, nil
}

func (p Place) place() event.Place {
	out := event.Place{Name: p.Name, Country: p.Country, Admin1: p.Admin1, Lat: p.Lat, Lon: p.Lon, Precision: p.Precision}
	if out.Precision == "" {
		switch {
		case p.Lat != nil:
			out.Precision = event.GeoExact
		case p.Name != "":
			out.Precision = event.GeoTown
		case p.Admin1 != "":
			out.Precision = event.GeoAdmin1
		default:
			out.Precision = event.GeoCountry
		}
	}
	return out
}

func reasons(field string, ids []string) []event.Reason {
	out := make([]event.Reason, len(ids))
	for i, id := range ids {
		out[i] = event.Reason{Term: id, Field: field, Match: id, Rule: "given in the test"}
	}
	return out
}

// Run runs every case of f against ag.
func Run(f *File, ag *agreement.Agreement) ([]Result, error) {
	gaz := geo.Builtin()
	m, err := match.NewWith(match.Options{ResolveAdmin1: func(name string) (string, bool) {
		u, ok := gaz.Resolve(name)
		return u.ID, ok
	}}, ag)
	if err != nil {
		return nil, err
	}
	enr := pipeline.NewEnricher(classify.New(), gaz, pipeline.NewParties(ag))
	out := make([]Result, 0, len(f.Tests))
	for _, c := range f.Tests {
		r, err := runCase(c, m, enr)
		if err != nil {
			return nil, fmt.Errorf("test %q: %w", c.Name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func runCase(c Case, m *match.Matcher, enr *pipeline.Enricher) (Result, error) {
	got := map[string]match.Result{}
	var results []match.Result
	for _, fe := range c.Events {
		span, _ := fe.Time.span()
		e := &event.Event{Source: "test", SourceID: fe.ID, Time: span, Place: fe.Place.place(), Kind: fe.Kind,
			Text: fe.Text, Targets: reasons("targets", fe.Targets)}
		for _, a := range fe.Actors {
			e.Actors = append(e.Actors, event.Actor{Name: a.Name, Role: a.Role})
		}
		source := fe.Source
		if source == "" {
			source = "acled"
		}
		f, err := pipeline.Lookup(source)
		if err != nil {
			f = pipeline.Format{Name: source, TextField: "text", AliasKind: source}
		} else {
			f.TextField = "text"
		}
		enr.Event(f, e)
		results = m.Event(e, results[:0])
		for _, r := range results {
			got[fe.ID+" "+resultKey(r)] = r
		}
	}
	claims, _ := pipeline.Lookup("claims")
	claims.TextField = "text"
	for _, fc := range c.Claims {
		span, _ := fc.Time.span()
		cl := &event.Claim{Source: "test", SourceID: fc.ID, Type: fc.Type, Claimant: fc.Claimant, Accused: fc.Accused,
			Time: span, Kind: fc.Kind, Text: fc.Text, Targets: reasons("targets", fc.Targets), Count: fc.Count}
		if cl.Type == "" {
			cl.Type = event.ClaimAllegation
		}
		for _, p := range fc.Places {
			cl.Places = append(cl.Places, p.place())
		}
		enr.Claim(claims, cl)
		results = m.Claim(cl, results[:0])
		for _, r := range results {
			got[fc.ID+" "+resultKey(r)] = r
		}
	}
	res := Result{Name: c.Name}
	for _, x := range c.Expect {
		r, ok := got[x.key()]
		if !ok {
			res.Missing = append(res.Missing, x.key())
			continue
		}
		delete(got, x.key())
		expl := r.Explanation()
		for _, w := range x.Explains {
			if !strings.Contains(expl, w) {
				res.Unexplained = append(res.Unexplained, fmt.Sprintf("%s: explanation lacks %q: %s", x.key(), w, expl))
			}
		}
	}
	for k, r := range got {
		res.Unexpected = append(res.Unexpected, k+"  why: "+r.Explanation())
	}
	sort.Strings(res.Missing)
	sort.Strings(res.Unexpected)
	return res, nil
}

// resultKey is a result's key without the record id.
func resultKey(r match.Result) string {
	k := Expect{Reading: r.Reading, Commitment: r.CommitmentID, Verdict: r.Verdict, Failed: r.Failed}.key()
	return strings.TrimPrefix(k, " ")
}

// Report prints results the way test runners do and returns the failures.
func Report(w io.Writer, file string, results []Result) int {
	failed := 0
	for _, r := range results {
		if r.Passed() {
			fmt.Fprintf(w, "ok    %s\n", r.Name)
			continue
		}
		failed++
		fmt.Fprintf(w, "FAIL  %s\n", r.Name)
		for _, s := range r.Missing {
			fmt.Fprintf(w, "  - expected, not found: %s\n", s)
		}
		for _, s := range r.Unexpected {
			fmt.Fprintf(w, "  + found, not expected: %s\n", s)
		}
		for _, s := range r.Unexplained {
			fmt.Fprintf(w, "  ? %s\n", s)
		}
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed\n", file, len(results)-failed, failed)
	return failed
}
