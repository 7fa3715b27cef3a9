// Package report turns findings into what people and programs read: tables,
// JSON Lines, CSV and GeoJSON now; summaries and the daily report later.
package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/match"
)

// Finding is one match result with the record it is about.
type Finding struct {
	match.Result
	Record   string      `json:"record"` // "event" or "claim"
	Source   string      `json:"source"`
	SourceID string      `json:"source_id"`
	File     string      `json:"file,omitempty"`
	Line     int         `json:"line,omitempty"`
	Span     event.Span  `json:"span"`
	Place    event.Place `json:"place"`
	Kind     string      `json:"kind,omitempty"`
	Text     string      `json:"text,omitempty"`
}

// FindingWriter writes findings one at a time, streaming.
type FindingWriter interface {
	Write(f *Finding) error
	// Close flushes what is buffered and ends the document.
	Close() error
}

// Outputs lists the output formats of NewFindingWriter.
var Outputs = []string{"table", "json", "csv", "geojson"}

// NewFindingWriter returns a writer for one of Outputs.
func NewFindingWriter(w io.Writer, output string) (FindingWriter, error) {
	switch output {
	case "table":
		return &tableWriter{w: bufio.NewWriter(w)}, nil
	case "json":
		return &jsonlWriter{w: bufio.NewWriter(w)}, nil
	case "csv":
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case "geojson":
		return &geojsonWriter{w: bufio.NewWriter(w)}, nil
	}
	return nil, fmt.Errorf("unknown output %q (one of %s)", output, strings.Join(Outputs, ", "))
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02T15:04Z") }

func placeName(p event.Place) string {
	parts := []string{}
	for _, s := range []string{p.Name, p.Admin1, p.Country} {
		if s != "" && (len(parts) == 0 || parts[len(parts)-1] != s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// tableWriter prints a line per finding and its explanation under it.
// Columns have fixed widths, since a streaming table cannot measure what is
// still to come.
type tableWriter struct {
	w *bufio.Writer
	n int
}

const tableRow = "%-10s %-7s %-18s %-7s %-17s %-9s %-28s %-32s %s\n"

func (t *tableWriter) Write(f *Finding) error {
	if t.n == 0 {
		fmt.Fprintf(t.w, tableRow, "VERDICT", "READING", "COMMITMENT", "ACCUSED", "START (UTC)", "PRECISION", "WHERE", "CATEGORY", "RECORD")
	}
	t.n++
	fmt.Fprintf(t.w, tableRow, f.Verdict, f.Reading, f.CommitmentID, f.Accused,
		day(f.Span.Start), f.Span.Precision, placeName(f.Place), f.Category, f.Source+":"+f.SourceID)
	_, err := fmt.Fprintf(t.w, "    why: %s\n", f.Explanation())
	return err
}

func (t *tableWriter) Close() error {
	if t.n == 0 {
		fmt.Fprintln(t.w, "no findings")
	}
	return t.w.Flush()
}

type jsonlWriter struct{ w *bufio.Writer }

func (j *jsonlWriter) Write(f *Finding) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	j.w.Write(b)
	return j.w.WriteByte('\n')
}

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// csvColumns are the columns of the CSV output: one row per finding, flat,
// for spreadsheets.
var csvColumns = []string{"verdict", "agreement", "version", "reading", "commitment", "accused", "claimant",
	"record", "source", "source_id", "start_utc", "end_utc", "time_precision", "time_position",
	"place", "country", "admin1_id", "lat", "lon", "geo_precision", "kind", "category", "failed", "explanation"}

type csvWriter struct {
	w *csv.Writer
	n int
}

func (c *csvWriter) Write(f *Finding) error {
	if c.n == 0 {
		c.w.Write(csvColumns)
	}
	c.n++
	return c.w.Write([]string{string(f.Verdict), f.AgreementID, strconv.Itoa(f.Version), f.Reading, f.CommitmentID, f.Accused, f.Claimant,
		f.Record, f.Source, f.SourceID, f.Span.Start.UTC().Format(time.RFC3339), f.Span.End.UTC().Format(time.RFC3339),
		string(f.Span.Precision), string(f.Time), placeName(f.Place), f.Place.Country, f.Place.Admin1ID,
		coord(f.Place.Lat), coord(f.Place.Lon), string(f.Place.Precision), f.Kind, f.Category, string(f.Failed), f.Explanation()})
}

func (c *csvWriter) Close() error {
	if c.n == 0 {
		c.w.Write(csvColumns)
	}
	c.w.Flush()
	return c.w.Error()
}

func coord(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// geojsonWriter streams a FeatureCollection: findings with coordinates as
// Point features, the others with a null geometry (GeoJSON allows it), so
// none is lost from the export.
type geojsonWriter struct {
	w *bufio.Writer
	n int
}

func (g *geojsonWriter) Write(f *Finding) error {
	if g.n == 0 {
		g.w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	} else {
		g.w.WriteString(",\n")
	}
	g.n++
	var geom any
	if f.Place.Lat != nil && f.Place.Lon != nil {
		geom = map[string]any{"type": "Point", "coordinates": []float64{*f.Place.Lon, *f.Place.Lat}}
	}
	b, err := json.Marshal(map[string]any{"type": "Feature", "geometry": geom, "properties": f})
	if err != nil {
		return err
	}
	_, err = g.w.Write(b)
	return err
}

func (g *geojsonWriter) Close() error {
	if g.n == 0 {
		g.w.WriteString(`{"type":"FeatureCollection","features":[`)
	}
	g.w.WriteString("\n]}\n")
	return g.w.Flush()
}
