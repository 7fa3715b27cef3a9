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
	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/match"
	"github.com/truce-monitor/truce/internal/vocab"
)

// Finding is one match result with the record it is about.
type Finding struct {
	match.Result
	Record vocab.Kind `json:"record"` // event or claim
	// RecordID is the one spelling of the record (and allegation) the
	// finding is about: its store id when stored ("event/12", "claim/7#2"),
	// else SOURCE:SOURCE_ID ("strikes:3bef7b65#1"). truce record show reads both.
	RecordID string      `json:"record_id"`
	Source   string      `json:"source"`
	SourceID string      `json:"source_id"`
	File     string      `json:"file,omitempty"`
	Line     int         `json:"line,omitempty"`
	Span     event.Span  `json:"span"`
	Place    event.Place `json:"place"`
	Kind     string      `json:"kind,omitempty"`
	Text     string      `json:"text,omitempty"`
	// Allegation is the act of the record's text the result is about
	// (Result.Part > 0), with the words behind its kind, actor and count.
	Allegation  *event.Allegation `json:"allegation,omitempty"`
	allegations []event.Allegation
	recordPlace *event.Place // the record's own place, before an allegation's
	// Stored is set for findings read from the store.
	Stored *Stored `json:"stored,omitempty"`
	// Summary is the finding in one plain sentence (Sentence), where the
	// agreement's terms were at hand.
	Summary string `json:"summary,omitempty"`
}

// Stored is what the store adds to a finding: its identity and review state.
type Stored struct {
	ID int64 `json:"id"`
	// Record is the record's store id, "event/12" or "claim/7": the one
	// spelling incidents, reviews and 'truce record show' use.
	Record      string       `json:"record"`
	Status      vocab.Status `json:"status"`
	NeedsReview bool         `json:"needs_review"`
	Withdrawn   bool         `json:"withdrawn,omitempty"`
	EvaluatedAt time.Time    `json:"evaluated_at"`
	// RecordVersion is the version of the record judged; the record shown
	// is its current version, newer if the finding needs review.
	RecordVersion int `json:"record_version"`
	// Supersedes is the finding with the same key under the agreement's
	// previous version, if any.
	Supersedes int64 `json:"supersedes,omitempty"`
}

// SetEvent sets the record part of f from e.
func (f *Finding) SetEvent(e *event.Event) {
	f.Record, f.Source, f.SourceID, f.Span, f.Place, f.Kind, f.Text = "event", e.Source, e.SourceID, e.Time, e.Place, e.Kind, e.Text
	f.allegations, f.recordPlace = e.Allegations, nil
}

// recordID names the record, and the allegation of its text when the
// result is about one: "event/12", "acled:UKR123", "mod-russia-telegram:9f2c#2".
func (f *Finding) recordID() string {
	id := f.Source + ":" + f.SourceID
	if f.Stored != nil && f.Stored.Record != "" {
		id = f.Stored.Record
	}
	if f.Part > 0 {
		id += "#" + strconv.Itoa(f.Part)
	}
	return id
}

// prepare sets the allegation of the current result, and its place where
// the text names one: "Ukraine struck the station in Kursk oblast" is in
// Kursk oblast whatever the scraper's region column says.
func (f *Finding) prepare() {
	f.RecordID = f.recordID()
	if f.allegations != nil {
		f.Allegation = nil
		if f.Part > 0 && f.Part <= len(f.allegations) {
			f.Allegation = &f.allegations[f.Part-1]
		}
	}
	if f.recordPlace == nil {
		p := f.Place
		f.recordPlace = &p
	}
	f.Place = *f.recordPlace
	if a := f.Allegation; a != nil && len(a.Places) > 0 {
		f.Place = a.Places[0]
	}
}

// SetClaim sets the record part of f from c; the place is its first one.
func (f *Finding) SetClaim(c *event.Claim) {
	f.Record, f.Source, f.SourceID, f.Span, f.Kind, f.Text = "claim", c.Source, c.SourceID, c.Time, c.Kind, c.Text
	f.Place = event.Place{Precision: event.GeoUnknown}
	if len(c.Places) > 0 {
		f.Place = c.Places[0]
	}
	f.allegations, f.recordPlace = c.Allegations, nil
}

// alleged describes an allegation in one line: "strike.drone by UA
// ('киевский режим', party word ...), 3 times ('3 ударов')".
func alleged(a *event.Allegation) string {
	var b strings.Builder
	b.WriteString(a.Kind)
	if a.KindReason != nil && a.KindReason.Match != "" {
		b.WriteString(" ('" + a.KindReason.Match + "')")
	}
	if a.Tally {
		b.WriteString(", a tally")
	}
	if a.Attempt {
		b.WriteString(", attempted")
	}
	if a.Actor != "" {
		b.WriteString(" by " + a.Actor)
		if r := a.ActorReason; r != nil {
			if r.Rule == "default" {
				b.WriteString(" (no actor named in the text: the default)")
			} else {
				b.WriteString(" ('" + r.Match + "')")
			}
		}
	}
	if a.Count != nil {
		b.WriteString(", " + strconv.Itoa(*a.Count) + " times")
		if a.CountReason != nil && a.CountReason.Match != "" {
			b.WriteString(" ('" + a.CountReason.Match + "')")
		}
	}
	for _, t := range a.Targets {
		b.WriteString("; target " + t.Term + " ('" + t.Match + "')")
		if t.Inferred {
			b.WriteString(", inferred from a consequence")
		}
	}
	for _, p := range a.Places {
		b.WriteString("; in " + p.Admin1 + " ('" + p.Name + "')")
	}
	return b.String()
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
		return &geojsonWriter{fc: featureCollection{w: bufio.NewWriter(w)}, gaz: geo.Builtin()}, nil
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
	f.prepare()
	if t.n == 0 {
		fmt.Fprintf(t.w, tableRow, "VERDICT", "READING", "COMMITMENT", "ACCUSED", "START (UTC)", "PRECISION", "WHERE", "CATEGORY", "RECORD")
	}
	t.n++
	// Every value from an agreement or a record is escaped (Term).
	fmt.Fprintf(t.w, tableRow, f.Verdict, Term(f.Reading), Term(f.CommitmentID), Term(f.Accused),
		day(f.Span.Start), f.Span.Precision, Term(placeName(f.Place)), Term(f.Category), Term(f.RecordID))
	if f.Summary != "" {
		fmt.Fprintf(t.w, "    %s\n", Term(f.Summary))
	}
	if f.Allegation != nil {
		fmt.Fprintf(t.w, "    alleged: %s\n", Term(alleged(f.Allegation)))
	}
	if st := f.Stored; st != nil {
		fmt.Fprintf(t.w, "    finding/%d on %s: %s", st.ID, st.Record, st.Status)
		if st.NeedsReview {
			t.w.WriteString(", NEEDS REVIEW")
		}
		if st.Withdrawn {
			t.w.WriteString(", withdrawn")
		}
		t.w.WriteByte('\n')
	}
	_, err := fmt.Fprintf(t.w, "    why: %s\n", Term(f.Explanation()))
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
	f.prepare()
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
	"record", "source", "source_id", "record_id", "start_utc", "end_utc", "time_precision", "time_position",
	"place", "country", "admin1_id", "lat", "lon", "geo_precision", "kind", "category", "failed", "explanation",
	"part", "alleged", "finding_id", "status", "needs_review"}

type csvWriter struct {
	w *csv.Writer
	n int
}

func (c *csvWriter) Write(f *Finding) error {
	f.prepare()
	if c.n == 0 {
		c.w.Write(csvColumns)
	}
	c.n++
	// The store's columns stay empty for findings of `truce check`.
	var id, status, review string
	if st := f.Stored; st != nil {
		id, status, review = strconv.FormatInt(st.ID, 10), string(st.Status), strconv.FormatBool(st.NeedsReview)
	}
	return c.w.Write([]string{string(f.Verdict), f.AgreementID, strconv.Itoa(f.Version), f.Reading, f.CommitmentID, f.Accused, f.Claimant,
		string(f.Record), f.Source, f.SourceID, f.RecordID, f.Span.Start.UTC().Format(time.RFC3339), f.Span.End.UTC().Format(time.RFC3339),
		string(f.Span.Precision), string(f.Time), placeName(f.Place), f.Place.Country, f.Place.Admin1ID,
		coord(f.Place.Lat), coord(f.Place.Lon), string(f.Place.Precision), f.Kind, f.Category, string(f.Failed), f.Explanation(),
		partText(f.Part), allegedText(f.Allegation), id, status, review})
}

func partText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func allegedText(a *event.Allegation) string {
	if a == nil {
		return ""
	}
	return alleged(a)
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
// Point features; those located to an admin-1 region only at the region's
// centroid, saying so in geometry_source; the others with a null geometry
// (GeoJSON allows it), so none is lost from the export.
type geojsonWriter struct {
	fc  featureCollection
	gaz *geo.Gazetteer
}

// Where a feature's point comes from (its geometry_source property).
const (
	GeometryRecorded = "recorded"        // the record's own coordinates
	GeometryAdmin1   = "admin1 centroid" // the centroid of its admin-1 region
)

// geoFeature is a finding as a feature's properties.
type geoFeature struct {
	*Finding
	GeometrySource string `json:"geometry_source,omitempty"`
}

func (g *geojsonWriter) Write(f *Finding) error {
	f.prepare()
	props := geoFeature{Finding: f}
	var geom any
	if f.Place.Lat != nil && f.Place.Lon != nil {
		geom, props.GeometrySource = point(*f.Place.Lon, *f.Place.Lat), GeometryRecorded
	} else if u, ok := g.gaz.ByID(f.Place.Admin1ID); ok && f.Place.Admin1ID != "" {
		geom, props.GeometrySource = point(u.Lon, u.Lat), GeometryAdmin1
	}
	return g.fc.feature(geom, props)
}

func (g *geojsonWriter) Close() error { return g.fc.close() }

// featureCollection streams a GeoJSON FeatureCollection, a feature at a
// time, for the findings' and the incidents' exports.
type featureCollection struct {
	w *bufio.Writer
	n int
}

// point is a GeoJSON Point geometry.
func point(lon, lat float64) map[string]any {
	return map[string]any{"type": "Point", "coordinates": []float64{lon, lat}}
}

// feature writes one feature; a nil geom is GeoJSON's null geometry.
func (fc *featureCollection) feature(geom, props any) error {
	if fc.n == 0 {
		fc.w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	} else {
		fc.w.WriteString(",\n")
	}
	fc.n++
	b, err := json.Marshal(map[string]any{"type": "Feature", "geometry": geom, "properties": props})
	if err != nil {
		return err
	}
	_, err = fc.w.Write(b)
	return err
}

func (fc *featureCollection) close() error {
	if fc.n == 0 {
		fc.w.WriteString(`{"type":"FeatureCollection","features":[`)
	}
	fc.w.WriteString("\n]}\n")
	return fc.w.Flush()
}
