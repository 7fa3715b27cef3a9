// Package pipeline runs evidence from files into truce: it opens inputs
// (plain, gzip, zip, stdin), picks the parser for a format, enriches each
// record (target categories, admin-1 units, parties) and hands it to a sink,
// the store for `truce ingest` or the matcher for `truce check`.
package pipeline

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/truce-monitor/truce/internal/ingest"
	"github.com/truce-monitor/truce/internal/ingest/acled"
	"github.com/truce-monitor/truce/internal/ingest/gdelt"
	"github.com/truce-monitor/truce/internal/ingest/mapped"
	"github.com/truce-monitor/truce/internal/ingest/strikes"
	"github.com/truce-monitor/truce/internal/ingest/ucdp"
)

// Format is one input format truce reads.
type Format struct {
	Name string
	Help string
	// TextField names the source field an event's Text comes from, so an
	// explanation can say "'substation' in notes".
	TextField string
	// AliasKind is the key of the agreements' alias tables that names
	// actors in this format (acled, ucdp, gdelt, claims).
	AliasKind string
	// NeedsMapping is true for formats read through a mapping file.
	NeedsMapping bool
	// MachineCoded: the records are coded by software from news text
	// (GDELT): leads for an analyst, never corroboration.
	MachineCoded bool
	// ReportedBy is the party whose own statements the format's records
	// are, "" for an independent source: the daily strike reports of
	// missile-attacks-ukraine restate the Ukrainian Air Force's, so they
	// are UA's word when incidents are graded.
	ReportedBy string
	// TSV is set for tab-separated formats without quoting (GDELT).
	TSV  bool
	open func(r io.Reader, file string, m *mapped.Mapping) (ingest.Reader, error)
	// rows, for a table format whose rows convert independently, returns
	// the converter of a table's rows: Check then splits the file on
	// every core.
	rows func(t *ingest.Table) (rowConverter, error)
}

// SourceName is the source records of format f are stored under: the
// override (--source), else the mapping's source, else the format's name.
// truce check names records the same way, so a record has one spelling,
// SOURCE:SOURCE_ID, whether it was checked or stored.
func SourceName(f Format, m *mapped.Mapping, override string) string {
	switch {
	case override != "":
		return override
	case m != nil && m.Source != "":
		return m.Source
	}
	return f.Name
}

// Open returns a reader of this format over r.
func (f Format) Open(r io.Reader, file string, m *mapped.Mapping) (ingest.Reader, error) {
	return f.open(r, file, m)
}

func plain[R ingest.Reader](newReader func(io.Reader, string) R) func(io.Reader, string, *mapped.Mapping) (ingest.Reader, error) {
	return func(r io.Reader, file string, _ *mapped.Mapping) (ingest.Reader, error) {
		return newReader(r, file), nil
	}
}

func viaMapping(r io.Reader, file string, m *mapped.Mapping) (ingest.Reader, error) {
	return mapped.NewReader(r, file, m)
}

func acledRows(t *ingest.Table) (rowConverter, error) {
	cv, err := acled.NewConverter(t)
	if err != nil {
		return nil, err
	}
	return cv, nil
}

// ucdpReader reads the CSV or, for a .geojson/.json file, the GeoJSON variant.
func ucdpReader(r io.Reader, file string, _ *mapped.Mapping) (ingest.Reader, error) {
	if isGeoJSON(file) {
		return ucdp.NewGeoJSONReader(r, file), nil
	}
	return ucdp.NewReader(r, file), nil
}

var formats = map[string]Format{
	"acled": {Name: "acled", Help: "ACLED export (31 columns, by header name)", TextField: "notes", AliasKind: "acled",
		open: plain(acled.NewReader), rows: acledRows},
	Auto: {Name: Auto, Help: "pick acled, ucdp (CSV or GeoJSON), gdelt or strikes from the file's first line, and say which"},
	"ucdp": {Name: "ucdp", Help: "UCDP GED CSV (49 columns) or its GeoJSON variant (.geojson)", TextField: "source_headline", AliasKind: "ucdp",
		open: ucdpReader},
	"gdelt": {Name: "gdelt", Help: "GDELT 2.0 events export (61 tab-separated columns, no header; .zip as published)", TextField: "", AliasKind: "gdelt", MachineCoded: true, TSV: true,
		open: plain(gdelt.NewReader)},
	"strikes": {Name: "strikes", Help: "daily missile/drone waves (missile-attacks-ukraine)", TextField: "target", AliasKind: "strikes", ReportedBy: "UA",
		open: plain(strikes.NewReader)},
	"claims": {Name: "claims", Help: "allegations from a claims feed, via --mapping", TextField: "text", AliasKind: "claims", NeedsMapping: true,
		open: viaMapping},
	"csv": {Name: "csv", Help: "any other event table, via --mapping", TextField: "text", AliasKind: "csv", NeedsMapping: true,
		open: viaMapping},
}

// isGeoJSON reports whether the ucdp format reads file as GeoJSON.
func isGeoJSON(file string) bool {
	lower := strings.ToLower(strings.TrimSuffix(file, ".gz"))
	return strings.HasSuffix(lower, ".geojson") || strings.HasSuffix(lower, ".json")
}

// shape is the lexical shape of file in this format, for the limits.
func (f Format) shape(file string) ingest.Shape {
	switch {
	case f.TSV:
		return ingest.TSV
	case f.Name == "ucdp" && isGeoJSON(file):
		return ingest.JSON
	}
	return ingest.CSV
}

// Prepare turns an opened input into the text a parser reads: decoded to
// UTF-8 (ingest.Decode), checked against the limits, with the order of
// slashed dates the user gave (--date-layout), if any. A file whose first
// line says it is in another format is refused; for Auto, that line picks
// the format, returned. notes say what was decided: the encoding, the
// format.
func Prepare(r io.Reader, file string, f Format, encoding string, order ingest.Order, lim Limits) (io.Reader, Format, []string, error) {
	text, note, err := ingest.Decode(r, file, encoding)
	if err != nil {
		return nil, f, nil, err
	}
	var notes []string
	if note != "" {
		notes = append(notes, note)
	}
	br := peekable(ingest.LimitReader(text, file, lim.orDefault().Limits, f.shape(file)))
	f, note, err = checkFormat(firstLine(br), file, f)
	if err != nil {
		return nil, f, nil, err
	}
	if note != "" {
		notes = append(notes, note)
	}
	return &ingest.Text{Reader: br, DateOrder: order}, f, notes, nil
}

// WithMapping returns f as a mapping reads it: the mapping may name the
// alias table its actors are written in.
func (f Format) WithMapping(m *mapped.Mapping) Format {
	if m != nil && m.Aliases != "" {
		f.AliasKind = m.Aliases
	}
	return f
}

// Lookup returns the named format.
func Lookup(name string) (Format, error) {
	f, ok := formats[name]
	if !ok {
		return Format{}, fmt.Errorf("unknown format %q (one of %s)", name, strings.Join(Names(), ", "))
	}
	return f, nil
}

// Names lists the formats, sorted.
func Names() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Formats lists every format, sorted by name, for help texts.
func Formats() []Format {
	out := make([]Format, 0, len(formats))
	for _, n := range Names() {
		out = append(out, formats[n])
	}
	return out
}
