package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/classify"
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/load"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/pipeline"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// IngestRequest says what to ingest and how.
type IngestRequest struct {
	Format pipeline.Format
	// Mapping is the column mapping of the claims and csv formats, read
	// from MappingFile.
	Mapping     *mapped.Mapping
	MappingFile string
	// Source overrides the source name records are stored under (for
	// deletion lists, default: the format's name).
	Source string
	// Strict fails a whole file, writing nothing, at its first bad row.
	Strict bool
	// Gazetteers are extra gazetteer files: GeoNames TSV (.txt, .tsv),
	// oblast CSV or GeoJSON.
	Gazetteers []string
	// Encoding, DateOrder and Limits are how the files are read.
	Encoding  string
	DateOrder ingest.Order
	Limits    pipeline.Limits
	// YAML are the limits the stored agreements are read again within.
	YAML strictyaml.Limits
	// Files are the files to read: plain, gzipped or zipped (every member
	// a file of its own); "-" is Stdin.
	Files []string
	Stdin io.Reader
	// StdinName and StdinSize, if set, are the name "-" is read and
	// stored under and its size: an upload's file name, for a job.
	StdinName string
	StdinSize int64
	// RejectsFile, if set, is a file to create (it must not exist) and
	// write every rejected row to, as CSV.
	RejectsFile string
	// Sole says that nothing else uses the store while the files are
	// read: true for the command line, never for a server's jobs (see
	// store.ImportMeta.Sole).
	Sole bool
}

// IngestEvents are told what an ingest run does as it goes, so that an
// adapter can show it at once; every field is optional.
type IngestEvents struct {
	// Progress is told how far each file is every ProgressEvery (default
	// 250ms), and once more when it is done.
	Progress      func(pipeline.Progress)
	ProgressEvery time.Duration
	// BadRows is shown the first ShowBad rejected rows of each file, one a
	// line as FILE:LINE: field "x": reason (value), then how many more.
	BadRows io.Writer
	ShowBad int
	// Refused is told of a file refused whole (not readable, not in the
	// format, over a limit): nothing of it is stored.
	Refused func(file string, err error)
	// Imported is told of each file imported, as it is.
	Imported func(IngestSummary)
}

// IngestSummary is the view of what importing one file did.
type IngestSummary = load.Summary

// IngestResult is what an ingest run did.
type IngestResult struct {
	// Files are the files imported, in order.
	Files []IngestSummary
	// Refused counts the files refused whole.
	Refused int
	// RejectsWritten: every rejected row is in the RejectsFile asked for.
	RejectsWritten bool
}

// Ingest imports the evidence files into the store, each file in one
// transaction, recording who imported it with its batch. A row that cannot
// be read is rejected (kept with the batch, shown to events.BadRows) and
// the rest goes in; a file that cannot be read at all is refused
// (events.Refused) and the next one tried. It stops between files when ctx
// ends, returning what was done and ctx's error.
func (a *App) Ingest(ctx context.Context, req IngestRequest, ev IngestEvents) (IngestResult, error) {
	var res IngestResult
	who, err := a.actor(ctx, auth.Import)
	if err != nil {
		return res, fmt.Errorf("ingest: %w", err)
	}
	gaz := geo.Builtin()
	for _, g := range req.Gazetteers {
		if err := loadGazetteer(gaz, g); err != nil {
			return res, err
		}
	}
	parties, err := a.storedParties(ctx, req.YAML)
	if err != nil {
		return res, err
	}
	// The classifier's dictionary compiles while the files are opened and
	// their first records read; a re-import of an unchanged file never
	// waits for it.
	enr := pipeline.NewEnricherBuilding(classify.New, gaz, parties)
	if req.Mapping != nil {
		if enr, err = enr.WithAllegations(req.Mapping.Allegations); err != nil {
			return res, withKind(KindInvalid, fmt.Errorf("%s: %w", req.MappingFile, err))
		}
	}
	opts := load.Options{Format: req.Format, Mapping: req.Mapping, Source: req.Source, Strict: req.Strict, By: who.Name,
		Bad: ev.BadRows, ShowBad: ev.ShowBad, Encoding: req.Encoding, DateOrder: req.DateOrder, Limits: req.Limits,
		Progress: ev.Progress, ProgressEvery: ev.ProgressEvery, Sole: req.Sole}
	if req.RejectsFile != "" {
		if opts.Rejects, err = pipeline.CreateRejectsFile(req.RejectsFile); err != nil {
			return res, err
		}
		defer func() {
			if opts.Rejects != nil {
				opts.Rejects.Close()
			}
		}()
	}
	refuse := func(name string, err error) {
		res.Refused++
		if ev.Refused != nil {
			ev.Refused(name, err)
		}
	}
	for _, name := range req.Files {
		if ctx.Err() != nil {
			break
		}
		ins, err := pipeline.Open(ctx, name, req.Stdin, req.Limits)
		if err != nil {
			refuse(name, err)
			continue
		}
		if name == "-" && req.StdinName != "" {
			ins[0].Name, ins[0].Size = req.StdinName, req.StdinSize
		}
		for i, in := range ins {
			if ctx.Err() != nil {
				closeAll(ins[i:])
				break
			}
			sum, err := load.ImportFile(ctx, a.st, in, enr, opts)
			in.Close()
			if err != nil {
				refuse(in.Name, err)
				continue
			}
			s := sum
			res.Files = append(res.Files, s)
			if ev.Imported != nil {
				ev.Imported(s)
			}
		}
	}
	if opts.Rejects != nil {
		err := opts.Rejects.Close()
		opts.Rejects = nil
		if err != nil {
			return res, err
		}
		res.RejectsWritten = true
	}
	return res, ctx.Err()
}

func closeAll(ins []*pipeline.Input) {
	for _, in := range ins {
		in.Close()
	}
}

func loadGazetteer(g *geo.Gazetteer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var format geo.Format
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".tsv":
		format = geo.GeoNamesPostal
	case ".csv":
		format = geo.OblastCSV
	case ".geojson", ".json":
		format = geo.GeoJSON
	default:
		return errorf(KindInvalid, "gazetteer %s: unknown kind of file (want GeoNames .txt, oblast .csv or .geojson)", path)
	}
	if _, err := g.Load(f, format); err != nil {
		return withKind(KindInvalid, fmt.Errorf("gazetteer %s: %w", path, err))
	}
	return nil
}

// storedParties builds the alias index from the latest version of every
// agreement in the store.
func (a *App) storedParties(ctx context.Context, lim strictyaml.Limits) (*pipeline.Parties, error) {
	versions, err := a.st.ListAgreements(ctx)
	if err != nil {
		return nil, err
	}
	var ags []*agreement.Agreement
	for _, v := range versions {
		ag, err := parseStored(v, lim)
		if err != nil {
			return nil, err
		}
		ags = append(ags, ag)
	}
	return pipeline.NewParties(ags...), nil
}
