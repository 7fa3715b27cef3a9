package app_test

import (
	"errors"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// The browsing use cases on the bundled scenario: a record with its
// findings in their sentences and its region named, an incident's
// findings, a reading's zone, the agreed reading as a filter; a viewer
// sees published items only, and a record only through one.
func TestBrowseUseCases(t *testing.T) {
	a := reportApp(t)
	ctx := t.Context()

	rec, err := a.RecordSeen(ctx, "event/2")
	if err != nil || len(rec.Views) == 0 || len(rec.Views) != len(rec.Findings) {
		t.Fatalf("event/2: %+v %v", rec, err)
	}
	for _, f := range rec.Views {
		if f.Summary == "" || f.Stored == nil || f.Stored.Record != "event/2" {
			t.Errorf("event/2's finding %+v: no sentence, or another record's", f.Stored)
		}
	}
	code := rec.Event.Place.Admin1ID
	if code == "" || rec.Regions[code] == "" || rec.Regions[code] == code {
		t.Errorf("event/2's region %q is named %q", code, rec.Regions[code])
	}
	if rec.Incident == nil {
		t.Fatal("event/2 is in no incident")
	}
	incID := rec.Incident.ID
	fs, err := a.IncidentFindings(ctx, incID)
	if err != nil || len(fs) == 0 {
		t.Fatalf("incident %d's findings: %d %v", incID, len(fs), err)
	}
	for _, f := range fs {
		if f.Summary == "" {
			t.Errorf("finding %d has no sentence", f.Stored.ID)
		}
	}
	if _, err := a.IncidentFindings(ctx, 99999); app.KindOf(err) != app.KindNotFound {
		t.Errorf("no such incident: %v", err)
	}
	for reading, zone := range map[string]string{"RU": "Europe/Moscow", "UA": "Europe/Kyiv", "XX": ""} {
		if got := a.ReadingZone(ctx, "energy-moratorium-2025", 2, reading); got != zone {
			t.Errorf("%s's zone: %q, want %q", reading, got, zone)
		}
	}
	agreed, err := a.FindingsPage(ctx, app.FindingQuery{Agreement: "easter-truce-2025", Reading: "Agreed"}, "", 0)
	if err != nil || len(agreed.Findings) == 0 {
		t.Fatalf("the agreed reading: %d findings, %v", len(agreed.Findings), err)
	}
	for _, f := range agreed.Findings {
		if f.Reading != "agreed" {
			t.Errorf("finding %d under %q", f.Stored.ID, f.Reading)
		}
	}

	// A viewer: nothing published yet.
	root, err := a.AddUser(ctx, app.NewUser{Name: "root", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.As(root.Token)
	v, err := admin.AddUser(ctx, app.NewUser{Name: "vera", Role: "viewer"})
	if err != nil {
		t.Fatal(err)
	}
	viewer := a.As(v.Token)
	if _, err := viewer.RecordSeen(ctx, "event/2"); app.KindOf(err) != app.KindNotFound {
		t.Errorf("a viewer, event/2 of no published finding: %v", err)
	}
	var notFound *app.SubjectNotFoundError
	if _, err := viewer.IncidentFindings(ctx, incID); !errors.As(err, &notFound) {
		t.Errorf("a viewer, an unpublished incident: %v", err)
	}
	if list, err := viewer.IncidentsPage(ctx, app.IncidentQuery{}, "", 0); err != nil || len(list.Incidents) != 0 {
		t.Errorf("a viewer's incidents before any is published: %d, %v", len(list.Incidents), err)
	}

	// One finding of event/2 published, and its incident.
	published := rec.Views[0].Stored.ID
	for _, subj := range []vocab.Ref{{Kind: vocab.KindFinding, ID: published}, {Kind: vocab.KindIncident, ID: incID}} {
		if _, err := admin.Transition(ctx, subj, app.Step{To: vocab.StatusInconclusive, Reason: "one source", Seen: review.Seen{Status: vocab.StatusAlleged}}); err != nil {
			t.Fatalf("%s: %v", subj, err)
		}
	}
	seen, err := viewer.RecordSeen(ctx, "event/2")
	if err != nil || len(seen.Views) != 1 || seen.Views[0].Stored.ID != published || seen.Incident == nil || seen.Incident.ID != incID {
		t.Fatalf("a viewer, event/2 with one published finding: %+v %v", seen, err)
	}
	fs, err = viewer.IncidentFindings(ctx, incID)
	if err != nil || len(fs) != 1 || fs[0].Stored.ID != published {
		t.Errorf("a viewer, the incident's findings: %d (want finding %d alone), %v", len(fs), published, err)
	}
	list, err := viewer.IncidentsPage(ctx, app.IncidentQuery{}, "", 0)
	if err != nil || len(list.Incidents) != 1 || list.Incidents[0].ID != incID {
		t.Errorf("a viewer's incidents: %+v, %v", list.Incidents, err)
	}
}
