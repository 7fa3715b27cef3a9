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

	"github.com/truce-monitor/truce/internal/geo"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

// IncidentWriter writes incidents one at a time, as an export file.
type IncidentWriter interface {
	Write(inc *incident.Incident) error
	// Close flushes what is buffered and ends the document.
	Close() error
}

// IncidentFormats lists the formats of NewIncidentWriter.
var IncidentFormats = []string{"json", "csv", "geojson"}

// NewIncidentWriter returns a writer for one of IncidentFormats: JSON
// Lines (an incident a line, as the API gives it), CSV (a row an
// incident, its members in one cell), or GeoJSON (a feature an incident).
func NewIncidentWriter(w io.Writer, format string) (IncidentWriter, error) {
	switch format {
	case "json":
		return &incidentJSONL{w: bufio.NewWriter(w)}, nil
	case "csv":
		return &incidentCSV{w: csv.NewWriter(w)}, nil
	case "geojson":
		return &incidentGeoJSON{fc: featureCollection{w: bufio.NewWriter(w)}, gaz: geo.Builtin()}, nil
	}
	return nil, fmt.Errorf("unknown format %q (one of %s)", format, strings.Join(IncidentFormats, ", "))
}

type incidentJSONL struct{ w *bufio.Writer }

func (j *incidentJSONL) Write(inc *incident.Incident) error {
	b, err := json.Marshal(inc)
	if err != nil {
		return err
	}
	j.w.Write(b)
	return j.w.WriteByte('\n')
}

func (j *incidentJSONL) Close() error { return j.w.Flush() }

// incidentColumns are the CSV's columns: flat, for spreadsheets; members
// as "event/12 report; claim/7#2 claim".
var incidentColumns = []string{"incident_id", "start_utc", "end_utc", "country", "admin1", "lat", "lon",
	"kind", "category", "grade", "machine_only", "status", "needs_review", "dissolved_utc",
	"members", "member_records", "summary"}

type incidentCSV struct {
	w *csv.Writer
	n int
}

func (c *incidentCSV) Write(inc *incident.Incident) error {
	if c.n == 0 {
		c.w.Write(incidentColumns)
	}
	c.n++
	return c.w.Write([]string{strconv.FormatInt(inc.ID, 10), utc(inc.TimeStart), utc(inc.TimeEnd),
		inc.Country, inc.Admin1, coord(inc.Lat), coord(inc.Lon), inc.Kind, inc.Category, string(inc.Grade),
		strconv.FormatBool(inc.MachineOnly), string(inc.Status), strconv.FormatBool(inc.NeedsReview), utc(inc.DissolvedAt),
		strconv.Itoa(len(inc.Members)), memberRecords(inc.Members), inc.Summary})
}

func (c *incidentCSV) Close() error {
	if c.n == 0 {
		c.w.Write(incidentColumns)
	}
	c.w.Flush()
	return c.w.Error()
}

// utc is an ISO 8601 time in UTC, "" for none.
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func memberRecords(ms []incident.Membership) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		role := m.Role
		if role == "" {
			role = vocab.MemberReport
		}
		parts[i] = m.Record.String() + " " + string(role)
	}
	return strings.Join(parts, "; ")
}

// incidentGeoJSON streams a FeatureCollection as the findings' does: a
// point where the incident has coordinates, its admin-1 region's centroid
// where it is placed no closer (geometry_source says which), else a null
// geometry.
type incidentGeoJSON struct {
	fc  featureCollection
	gaz *geo.Gazetteer
}

type incidentFeature struct {
	*incident.Incident
	GeometrySource string `json:"geometry_source,omitempty"`
}

func (g *incidentGeoJSON) Write(inc *incident.Incident) error {
	props := incidentFeature{Incident: inc}
	var geom any
	if inc.Lat != nil && inc.Lon != nil {
		geom, props.GeometrySource = point(*inc.Lon, *inc.Lat), GeometryRecorded
	} else if u, ok := g.region(inc.Admin1); ok {
		geom, props.GeometrySource = point(u.Lon, u.Lat), GeometryAdmin1
	}
	return g.fc.feature(geom, props)
}

// region is the admin-1 unit an incident names: by its code (UA-14), or
// by the name its records gave it.
func (g *incidentGeoJSON) region(admin1 string) (geo.Admin1, bool) {
	if admin1 == "" {
		return geo.Admin1{}, false
	}
	if u, ok := g.gaz.ByID(admin1); ok {
		return u, true
	}
	return g.gaz.Resolve(admin1)
}

func (g *incidentGeoJSON) Close() error { return g.fc.close() }
