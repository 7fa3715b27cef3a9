package app_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/vocab"
)

// A findings page is given from the App's cache only while nothing was
// committed to the database: a review step through the App, and a change
// made past it by another process, both show on the next page; a viewer
// never gets the page a monitor was given.
func TestFindingsPageCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	sc := newScenarioOn(t, storeAt(t, path))
	base := app.New(sc.st, app.Options{})
	addUser(t, sc.st, "root", vocab.RoleAdmin)
	monitor := base.As(addUser(t, sc.st, "mo", vocab.RoleMonitor))
	viewer := base.As(addUser(t, sc.st, "vi", vocab.RoleViewer))
	ctx := t.Context()
	q := app.FindingQuery{Agreement: "ag"}
	status := func(a *app.App, who string) (int, vocab.Status) {
		t.Helper()
		page, err := a.FindingsPage(ctx, q, "", 0)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if len(page.Findings) == 0 {
			return 0, ""
		}
		return len(page.Findings), page.Findings[0].Stored.Status
	}
	n, st := status(monitor, "monitor")
	if n != 1 || st != vocab.StatusAlleged {
		t.Fatalf("the monitor's page: %d findings, %s", n, st)
	}
	if n, _ := status(monitor, "monitor again"); n != 1 {
		t.Fatalf("the page again: %d findings", n)
	}
	if n, _ := status(viewer, "viewer"); n != 0 {
		t.Errorf("a viewer was given %d unpublished findings (the monitor's page?)", n)
	}

	// A step through the App.
	page, err := monitor.FindingsPage(ctx, q, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	f := vocab.Ref{Kind: vocab.KindFinding, ID: page.Findings[0].Stored.ID}
	step := app.Step{To: vocab.StatusCorroborated, Reason: "two sources", Seen: review.Seen{Status: vocab.StatusAlleged}}
	if res, err := monitor.TransitionAll(ctx, []vocab.Ref{f}, nil, step); err != nil || res[0].Err != nil {
		t.Fatalf("step: %v %+v", err, res)
	}
	if _, st := status(monitor, "after the step"); st != vocab.StatusCorroborated {
		t.Errorf("after a step to corroborated the page says %s", st)
	}

	// A change past the App, as another server's would be.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "UPDATE findings SET status = 'confirmed' WHERE id = ?", f.ID); err != nil {
		t.Fatal(err)
	}
	if _, st := status(monitor, "after another process's change"); st != vocab.StatusConfirmed {
		t.Errorf("after another process set it confirmed the page says %s", st)
	}
}
