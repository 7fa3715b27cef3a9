package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/vocab"
)

func exportIncidents(t *testing.T, format string, incs []incident.Incident) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewIncidentWriter(&b, format)
	if err != nil {
		t.Fatal(err)
	}
	for i := range incs {
		if err := w.Write(&incs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleIncidents() []incident.Incident {
	lat, lon := 50.91, 34.8
	start := time.Date(2025, 3, 18, 22, 0, 0, 0, time.UTC)
	return []incident.Incident{
		{ID: 1, TimeStart: start, TimeEnd: start.Add(2 * time.Hour), Country: "UA", Admin1: "UA-59", Lat: &lat, Lon: &lon,
			Grade: vocab.Grade("fair"), Status: vocab.StatusAlleged, Summary: "A hit, \"direct\",\non a hospital",
			Members: []incident.Membership{{Record: vocab.Ref{Kind: vocab.KindEvent, ID: 3}, Role: vocab.MemberReport},
				{Record: vocab.Ref{Kind: vocab.KindClaim, ID: 2, Part: 1}, Role: vocab.MemberClaim}}},
		{ID: 2, TimeStart: start, Country: "RU", Admin1: "Krasnodar Krai", Summary: "by name"},
		{ID: 3, TimeStart: start, Summary: "nowhere"},
	}
}

// The CSV is RFC 4180 (quotes, commas and line breaks in a cell survive a
// reader), a row an incident with its members in one cell.
func TestIncidentCSV(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(exportIncidents(t, "csv", sampleIncidents()))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "incident_id" {
		t.Fatalf("rows %v", rows)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	first := rows[1]
	for name, want := range map[string]string{"start_utc": "2025-03-18T22:00:00Z", "lat": "50.91", "members": "2",
		"member_records": "event/3 report; claim/2#1 claim", "summary": "A hit, \"direct\",\non a hospital", "dissolved_utc": ""} {
		if got := first[col[name]]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if empty := exportIncidents(t, "csv", nil); string(empty) == "" {
		t.Error("no incidents: want the header line still")
	}
}

// GeoJSON places an incident at its point, else at its region's centroid
// (named by code or by name), else with a null geometry, and says which.
func TestIncidentGeoJSON(t *testing.T) {
	var fc struct {
		Type     string
		Features []struct {
			Geometry   *struct{ Type string }
			Properties struct {
				ID     int64
				Source string `json:"geometry_source"`
			}
		}
	}
	if err := json.Unmarshal(exportIncidents(t, "geojson", sampleIncidents()), &fc); err != nil {
		t.Fatal(err)
	}
	want := []string{GeometryRecorded, GeometryAdmin1, ""}
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(want) {
		t.Fatalf("%+v", fc)
	}
	for i, f := range fc.Features {
		if f.Properties.Source != want[i] || (f.Geometry == nil) != (want[i] == "") {
			t.Errorf("incident %d: geometry %v from %q, want from %q", f.Properties.ID, f.Geometry, f.Properties.Source, want[i])
		}
	}
	if _, err := NewIncidentWriter(&bytes.Buffer{}, "xlsx"); err == nil {
		t.Error("xlsx: want an error")
	}
}
