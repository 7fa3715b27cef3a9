package app

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/report"
)

// CheckRequest says what to check evidence files against, and how to read
// them. Checking needs no store: it is what one runs on a fresh download.
type CheckRequest struct {
	Agreements []*agreement.Agreement
	// Reading evaluates one party's reading; "" every reading.
	Reading string
	Format  pipeline.Format
	// Mapping is the column mapping of the claims and csv formats, read
	// from MappingFile.
	Mapping     *mapped.Mapping
	MappingFile string
	// NearMisses also gives records excluded by exactly one clause.
	NearMisses bool
	// Encoding, DateLayout (ingest.ParseOrder: "", dmy, mdy) and Limits
	// are how the files are read. A layout that does not parse fails each
	// file, as truce check has always done.
	Encoding   string
	DateLayout string
	Limits     pipeline.Limits
}

// Checker checks evidence files against agreements.
type Checker struct {
	req     CheckRequest
	format  pipeline.Format
	order   ingest.Order
	matcher *match.Matcher
	enr     *pipeline.Enricher
}

// NewChecker compiles the agreements of req for checking. An error (a
// reading no agreement has, an allegation rule that does not compile) is
// of KindInvalid: nothing was read.
func NewChecker(req CheckRequest) (*Checker, error) {
	// A layout that is not one is the request's mistake, not each file's.
	order, err := ingest.ParseOrder(req.DateLayout)
	if err != nil {
		return nil, withKind(KindInvalid, err)
	}
	gaz := geo.Builtin()
	matcher, err := NewMatcher(gaz, req.Reading, req.NearMisses, req.Agreements...)
	if err != nil {
		return nil, err
	}
	enr := pipeline.NewEnricherBuilding(classify.New, gaz, pipeline.NewParties(req.Agreements...))
	if req.Mapping != nil {
		if enr, err = enr.WithAllegations(req.Mapping.Allegations); err != nil {
			return nil, withKind(KindInvalid, fmt.Errorf("%s: %w", req.MappingFile, err))
		}
	}
	return &Checker{req: req, format: req.Format.WithMapping(req.Mapping), order: order, matcher: matcher, enr: enr}, nil
}

// CheckEvents are told what a check finds as it goes; Finding is
// required, the others optional.
type CheckEvents struct {
	// Finding is given each finding, in file order. Its error stops the
	// file.
	Finding func(*report.Finding) error
	// BadRow is given each bad row with its number in its file (from 1).
	BadRow func(re *ingest.RowError, n int)
	// FileFailed is told of a file that could not be read, or not to its
	// end; what it gave before is kept.
	FileFailed func(file string, err error)
	// FileDone is told of each file read to its end, and its bad rows.
	FileDone func(file string, bad int)
}

// CheckTally is the view of what a check read and found.
type CheckTally struct {
	Records   int                   `json:"records"`
	Bad       int                   `json:"bad_rows"`
	ByVerdict map[match.Verdict]int `json:"findings"`
	// Ambiguous groups each file's ambiguous findings by why they are
	// ambiguous: 194 identical "target unknown" rows read best as one line.
	Ambiguous []AmbiguousGroup `json:"ambiguous,omitempty"`
	Failed    int              `json:"failed_files"`
}

// AmbiguousGroup is a file's ambiguous findings for one reason.
type AmbiguousGroup struct {
	File   string `json:"file"`
	Count  int    `json:"count"`
	Reason string `json:"reason"`
}

// Check reads files ("-" is stdin) through the agreements and tells ev
// of every finding, bad row and file that failed, then returns the tally.
// A file that fails is counted and the next one read.
func (ch *Checker) Check(ctx context.Context, files []string, stdin io.Reader, ev CheckEvents) CheckTally {
	t := CheckTally{ByVerdict: map[match.Verdict]int{}}
	var amb ambiguity
	fail := func(name string, err error) {
		t.Failed++
		if ev.FileFailed != nil {
			ev.FileFailed(name, err)
		}
	}
	for _, name := range files {
		ins, err := pipeline.Open(ctx, name, stdin, ch.req.Limits)
		if err != nil {
			fail(name, err)
			continue
		}
		for _, in := range ins {
			bad, err := ch.checkFile(ctx, in, ev, &t, &amb)
			in.Close()
			if err != nil {
				fail(in.Name, err)
				continue
			}
			if ev.FileDone != nil {
				ev.FileDone(in.Name, bad)
			}
		}
	}
	t.Ambiguous = amb.groups()
	return t
}

func (ch *Checker) checkFile(ctx context.Context, in *pipeline.Input, ev CheckEvents, t *CheckTally, amb *ambiguity) (int, error) {
	chk := pipeline.Check{Format: ch.format, Mapping: ch.req.Mapping, Enricher: ch.enr, Matcher: ch.matcher,
		Encoding: ch.req.Encoding, DateOrder: ch.order, Limits: ch.req.Limits}
	bad := 0
	records, err := chk.Run(ctx, in, in.Name, func(it *pipeline.Item) error {
		if it.Bad != nil {
			bad++
			t.Bad++
			if ev.BadRow != nil {
				ev.BadRow(it.Bad, bad)
			}
			return nil
		}
		f := report.Finding{File: in.Name, Line: it.Line}
		if it.Event != nil {
			f.SetEvent(it.Event)
		} else {
			f.SetClaim(it.Claim)
		}
		for i := range it.Results {
			f.Result = it.Results[i]
			t.ByVerdict[f.Verdict]++
			if f.Verdict == match.VerdictAmbiguous {
				amb.note(in.Name, &f.Result)
			}
			if err := ev.Finding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	t.Records += records
	return bad, err
}

// ambiguity counts ambiguous results by file and reason, files in the
// order met.
type ambiguity struct {
	files  []string
	counts map[string]map[string]int
}

func (a *ambiguity) note(file string, r *match.Result) {
	if a.counts == nil {
		a.counts = map[string]map[string]int{}
	}
	m := a.counts[file]
	if m == nil {
		m = map[string]int{}
		a.counts[file] = m
		a.files = append(a.files, file)
	}
	m[ambiguousReason(r)]++
}

// groups lists, for each file, its ambiguous findings grouped by reason,
// the largest group first.
func (a *ambiguity) groups() []AmbiguousGroup {
	var out []AmbiguousGroup
	for _, f := range a.files {
		m := a.counts[f]
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if m[keys[i]] != m[keys[j]] {
				return m[keys[i]] > m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			out = append(out, AmbiguousGroup{File: f, Count: m[k], Reason: k})
		}
	}
	return out
}

// ambiguousReason says in general words why a result is ambiguous: the
// clause that holds only possibly, without the record's own values.
func ambiguousReason(r *match.Result) string {
	for _, c := range r.Checks {
		if !c.Unsure {
			continue
		}
		switch {
		case strings.HasPrefix(c.Detail, "target unknown: "):
			why, _, _ := strings.Cut(c.Detail, " (field")
			return why
		case c.Clause == match.ClauseTime:
			return "time: a record of day precision on a boundary day of the window"
		case c.Clause == match.ClauseParty:
			return "party: who acted is unknown"
		case c.Clause == match.ClausePlace:
			return "place: the record's place may lie outside the area"
		}
		return string(c.Clause) + ": holds only possibly"
	}
	return "an exception may apply"
}
