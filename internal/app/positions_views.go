package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/internal/positions"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// The positions use cases: the matrix, the common ground and the timeline
// of one positions file. Each has one function over a parsed file (…Of:
// the command line's --file, a file that need not be stored) and one
// method over a stored version, which loads it and calls that function,
// so the command line, the API and the dashboard answer alike.

// PositionsQuery names a stored positions set and version (0: latest).
type PositionsQuery struct {
	ID      string
	Version int
}

// PositionsTimeLimit bounds one common ground or timeline computation;
// the search also stops after a fixed number of steps (positions.ErrTooHard).
const PositionsTimeLimit = 10 * time.Second

// DefaultPackages is how many acceptable packages a common ground shows
// unless asked for another number; MaxPackages the most it shows.
const (
	DefaultPackages = 10
	MaxPackages     = 1000
)

// PositionsMatrix is every party's stance on every term on a date.
type PositionsMatrix struct {
	File string `json:"file"`
	// Set is the stored version it was read from, if stored.
	Set     *PositionsSummary  `json:"set,omitempty"`
	Title   string             `json:"title"`
	Date    string             `json:"date"`
	Dates   []string           `json:"dates"` // the dates on which stances were recorded
	Parties []positions.Party  `json:"parties"`
	Terms   []positions.Term   `json:"terms"`
	Cells   []MatrixCell       `json:"cells"` // party by party, each term in order
	Sources []positions.Source `json:"sources"`
}

// MatrixCell is one party's stance on one term.
type MatrixCell struct {
	Party     string           `json:"party"`
	Term      string           `json:"term"`
	Stance    positions.Stance `json:"stance"`
	Condition string           `json:"condition,omitempty"`
	// Since is the date of the position; empty when none is recorded.
	Since  string `json:"since,omitempty"`
	Source string `json:"source,omitempty"`
	Quote  string `json:"quote,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Cell returns party i's stance on term j.
func (m PositionsMatrix) Cell(i, j int) MatrixCell { return m.Cells[i*len(m.Terms)+j] }

// MatrixRequest asks for the matrix on a date (2025-03-18), of some
// parties and terms (all when empty), by id.
type MatrixRequest struct {
	At      string
	Parties []string
	Terms   []string
}

// PositionsMatrixOf is the matrix of file f.
func PositionsMatrixOf(f *positions.File, req MatrixRequest) (PositionsMatrix, error) {
	s, err := snapshotAt(f, req.At)
	if err != nil {
		return PositionsMatrix{}, err
	}
	if s, err = s.Select(req.Parties, req.Terms); err != nil {
		return PositionsMatrix{}, &Error{Kind: KindInvalid, Err: &ArgumentError{Err: err}}
	}
	m := PositionsMatrix{File: f.Name(), Title: f.Title, Date: s.Date.Format(positions.DateLayout), Dates: dates(f),
		Parties: s.Parties, Terms: s.Terms, Sources: f.Sources}
	for i, p := range s.Parties {
		for j, t := range s.Terms {
			c := s.Cells[i][j]
			cell := MatrixCell{Party: p.ID, Term: t.ID, Stance: c.Stance}
			if c.Cond != nil {
				cell.Condition = c.Cond.String()
			}
			if ps := c.Position; ps != nil {
				cell.Since, cell.Source, cell.Quote, cell.Note = ps.Date, ps.Source, ps.Quote, ps.Note
			}
			m.Cells = append(m.Cells, cell)
		}
	}
	return m, nil
}

// PositionsMatrix is the matrix of a stored positions version.
func (a *App) PositionsMatrix(ctx context.Context, q PositionsQuery, req MatrixRequest) (PositionsMatrix, error) {
	f, sum, err := a.StoredPositions(ctx, q.ID, q.Version, strictyaml.DefaultLimits())
	if err != nil {
		return PositionsMatrix{}, err
	}
	m, err := PositionsMatrixOf(f, req)
	m.Set = &sum
	return m, err
}

// PositionsGround is the common ground on a date, its packages capped.
type PositionsGround struct {
	File  string            `json:"file"`
	Set   *PositionsSummary `json:"set,omitempty"`
	Title string            `json:"title"`
	positions.Result
	// MorePackages is how many maximal packages were left out of Packages
	// (the largest are kept).
	MorePackages int `json:"more_packages,omitempty"`
}

// GroundRequest asks for the common ground on a date (2025-03-18),
// showing the Top largest maximal packages (DefaultPackages if 0).
type GroundRequest struct {
	At  string
	Top int
}

// PositionsGroundOf is the common ground of file f, computed within
// PositionsTimeLimit.
func PositionsGroundOf(ctx context.Context, f *positions.File, req GroundRequest) (PositionsGround, error) {
	top := req.Top
	if top == 0 {
		top = DefaultPackages
	}
	if top < 1 || top > MaxPackages {
		return PositionsGround{}, argumentErrorf("top %d: want 1 to %d packages", req.Top, MaxPackages)
	}
	s, err := snapshotAt(f, req.At)
	if err != nil {
		return PositionsGround{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, PositionsTimeLimit)
	defer cancel()
	r, err := positions.CommonGroundContext(ctx, s)
	if err != nil {
		return PositionsGround{}, searchError(err)
	}
	g := PositionsGround{File: f.Name(), Title: f.Title, Result: r}
	if !r.OnlyEmpty && len(r.Packages) > top {
		g.MorePackages = len(r.Packages) - top
		g.Packages = r.Packages[:top]
	}
	return g, nil
}

// PositionsGround is the common ground of a stored positions version.
func (a *App) PositionsGround(ctx context.Context, q PositionsQuery, req GroundRequest) (PositionsGround, error) {
	f, sum, err := a.StoredPositions(ctx, q.ID, q.Version, strictyaml.DefaultLimits())
	if err != nil {
		return PositionsGround{}, err
	}
	g, err := PositionsGroundOf(ctx, f, req)
	g.Set = &sum
	return g, err
}

// PositionsTimeline is when each stance changed and what that changed in
// the common ground.
type PositionsTimeline struct {
	File  string            `json:"file"`
	Set   *PositionsSummary `json:"set,omitempty"`
	Title string            `json:"title"`
	Steps []positions.Step  `json:"steps"`
}

// PositionsTimelineOf is the timeline of file f, computed within
// PositionsTimeLimit.
func PositionsTimelineOf(ctx context.Context, f *positions.File) (PositionsTimeline, error) {
	ctx, cancel := context.WithTimeout(ctx, PositionsTimeLimit)
	defer cancel()
	steps, err := f.TimelineContext(ctx)
	if err != nil {
		return PositionsTimeline{}, searchError(err)
	}
	return PositionsTimeline{File: f.Name(), Title: f.Title, Steps: steps}, nil
}

// PositionsTimeline is the timeline of a stored positions version.
func (a *App) PositionsTimeline(ctx context.Context, q PositionsQuery) (PositionsTimeline, error) {
	f, sum, err := a.StoredPositions(ctx, q.ID, q.Version, strictyaml.DefaultLimits())
	if err != nil {
		return PositionsTimeline{}, err
	}
	tl, err := PositionsTimelineOf(ctx, f)
	tl.Set = &sum
	return tl, err
}

// snapshotAt reads a date on or after the file's first position.
func snapshotAt(f *positions.File, at string) (positions.Snapshot, error) {
	if at == "" {
		return positions.Snapshot{}, argumentErrorf("a date is required (at, e.g. 2025-03-18)")
	}
	d, err := positions.ParseDate(at)
	if err != nil {
		return positions.Snapshot{}, &Error{Kind: KindInvalid, Err: &ArgumentError{Err: err}}
	}
	if first := f.FirstDate(); d.Before(first) {
		return positions.Snapshot{}, &Error{Kind: KindInvalid, Err: fmt.Errorf("%s records no stance on or before %s: its first position is dated %s",
			f.Name(), at, first.Format(positions.DateLayout))}
	}
	return f.At(d), nil
}

// searchError says why a search stopped: the file asks too much (a
// caller's mistake, KindInvalid) unless the caller went away.
func searchError(err error) error {
	switch {
	case errors.Is(err, positions.ErrTooHard):
		return withKind(KindInvalid, err)
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Kind: KindInvalid, Err: fmt.Errorf("the common ground search was stopped at its time limit (%s at most): the conditions are too entangled to solve exactly in that time (%w)", PositionsTimeLimit, err)}
	}
	return err
}

func dates(f *positions.File) []string {
	var out []string
	for _, d := range f.Dates() {
		out = append(out, d.Format(positions.DateLayout))
	}
	return out
}
