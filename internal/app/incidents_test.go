package app_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/vocab"
)

// members are the records incident inc holds.
func members(inc app.Incident) []vocab.Ref {
	var out []vocab.Ref
	for _, m := range inc.Members {
		out = append(out, m.Record)
	}
	return out
}

// holding is the incident of list holding r, or nil.
func holding(list []app.Incident, r vocab.Ref) *app.Incident {
	for i := range list {
		if slices.Contains(members(list[i]), r) {
			return &list[i]
		}
	}
	return nil
}

// wantKind fails unless err is of kind k and its message holds each of
// want and no command-line advice.
func wantKind(t *testing.T, what string, err error, k app.Kind, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one of kind %s", what, k)
	}
	if got := app.KindOf(err); got != k {
		t.Errorf("%s: %v: kind %s, want %s", what, err, got, k)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q lacks %q", what, err, w)
		}
	}
	if strings.Contains(err.Error(), "truce ") {
		t.Errorf("%s: %q gives command-line advice", what, err)
	}
}

// A build reads the records near the findings' records (b1 the same night,
// k1 the same night elsewhere), not those far in time (b2, a month later),
// and groups the same strike's reports; a join brings in a record no
// window reaches. On a store without users the local actor does it all,
// with no token.
func TestBuildScope(t *testing.T) {
	sc := newScenario(t)
	ctx := t.Context()
	a := sc.app("")
	res, err := a.BuildIncidents(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != 3 || res.Seeds != 1 || res.Incidents != 1 || res.New != 1 {
		t.Errorf("build: %+v, want 3 records (a1, b1, k1), 1 seed, 1 new incident", res)
	}
	list, err := a.Incidents(ctx, app.IncidentQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !slices.Equal(members(list[0]), []vocab.Ref{sc.a1, sc.b1}) {
		t.Fatalf("incidents: %+v, want one of a1 and b1", list)
	}
	if again, err := a.BuildIncidents(ctx, "ag"); err != nil || again.Unchanged != 1 || again.New+again.Changed != 0 {
		t.Errorf("rebuild of ag: %+v, %v; want 1 unchanged", again, err)
	}

	// b2, a month later, by its source's id.
	joined, err := a.JoinRecords(ctx, "reports-b:b2", ref(sc.a1), "the same strike, reported late")
	if err != nil {
		t.Fatal(err)
	}
	if d := joined.Decision; d.By != app.LocalActor || !d.Link || d.A != sc.b2 || d.B != sc.a1 || d.ID == 0 {
		t.Errorf("decision: %+v", d)
	}
	if joined.Build.Records != 4 || joined.Build.Changed != 1 {
		t.Errorf("build after the join: %+v, want 4 records, 1 changed", joined.Build)
	}
	list, err = a.Incidents(ctx, app.IncidentQuery{NeedsReview: true})
	if err != nil {
		t.Fatal(err)
	}
	if inc := holding(list, sc.b2); inc == nil || holding(list, sc.a1) != inc {
		t.Errorf("b2 not joined to a1's incident, flagged for review: %+v", list)
	}
}

// A join or split that would change nothing is refused, saying why; an
// argument wrong as written is an ArgumentError.
func TestLinkRefusals(t *testing.T) {
	sc := newScenario(t)
	ctx := t.Context()
	a := sc.app("")
	if _, err := a.BuildIncidents(ctx, ""); err != nil {
		t.Fatal(err)
	}
	_, err := a.SplitRecords(ctx, ref(sc.b1), ref(sc.k1), "two strikes")
	wantKind(t, "split of records in no one incident", err, app.KindConflict, "nothing to split", "are not in one incident (in incident 1, in none)")
	_, err = a.JoinRecords(ctx, ref(sc.a1), ref(sc.k1), "same night")
	wantKind(t, "join across countries", err, app.KindInvalid, "nothing to join", "cannot be one incident")
	if _, err := a.SplitRecords(ctx, ref(sc.a1), ref(sc.b1), "two strikes"); err != nil {
		t.Fatal(err)
	}
	_, err = a.SplitRecords(ctx, ref(sc.b1), ref(sc.a1), "again")
	wantKind(t, "the same split again", err, app.KindConflict, "nothing to split", "already split (decision 1 by local")
	if _, err := a.JoinRecords(ctx, ref(sc.b1), ref(sc.a1), "same after all"); err != nil {
		t.Errorf("a join after a split: %v", err)
	}

	for _, tc := range []struct{ x, y, reason, want string }{
		{"nonsense", ref(sc.a1), "r", `"nonsense" is not a record`},
		{"event/x", ref(sc.a1), "r", "the id after event/ must be a number"},
		{ref(sc.a1), "reports-a:a1", "r", "are the same record"},
		{ref(sc.a1), ref(sc.b1), " ", "a reason is required"},
	} {
		_, err := a.JoinRecords(ctx, tc.x, tc.y, tc.reason)
		wantKind(t, "join "+tc.x+" "+tc.y, err, app.KindInvalid, tc.want)
		if !errors.As(err, new(*app.ArgumentError)) {
			t.Errorf("join %s %s: %v is no ArgumentError", tc.x, tc.y, err)
		}
	}
	_, err = a.JoinRecords(ctx, "event/99999", ref(sc.a1), "r")
	wantKind(t, "join of a record not stored", err, app.KindNotFound, "no event 99999 in the store")
	if errors.As(err, new(*app.ArgumentError)) {
		t.Errorf("a record not stored is an ArgumentError: %v", err)
	}
}

// Once the store has users, building, joining and splitting take the
// token of a user who may edit incidents, and record their name; reading
// incidents takes none.
func TestIncidentIdentity(t *testing.T) {
	sc := newScenario(t)
	ctx := t.Context()
	addUser(t, sc.st, "root", vocab.RoleAdmin)
	vera := addUser(t, sc.st, "vera", vocab.RoleViewer)
	ana := addUser(t, sc.st, "ana", vocab.RoleAnalyst)

	_, err := sc.app("").BuildIncidents(ctx, "")
	wantKind(t, "build without a token", err, app.KindUnauthenticated)
	if !errors.Is(err, app.ErrNoToken) {
		t.Errorf("build without a token: %v", err)
	}
	_, err = sc.app(vera).BuildIncidents(ctx, "")
	wantKind(t, "build by a viewer", err, app.KindDenied)
	_, err = sc.app(vera).JoinRecords(ctx, ref(sc.a1), ref(sc.b2), "r")
	wantKind(t, "join by a viewer", err, app.KindDenied)

	if _, err := sc.app(ana).BuildIncidents(ctx, ""); err != nil {
		t.Fatal(err)
	}
	res, err := sc.app(ana).JoinRecords(ctx, ref(sc.a1), ref(sc.b2), "same strike")
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision.By != "ana" {
		t.Errorf("decision by %q, want ana", res.Decision.By)
	}

	list, err := sc.app("").Incidents(ctx, app.IncidentQuery{Grades: []string{"WEAK", "confirmed", "fair"}})
	inc := holding(list, sc.a1)
	if err != nil || inc == nil {
		t.Fatalf("incidents without a token: %v, %v", list, err)
	}
	page, err := sc.app("").Incident(ctx, inc.ID)
	if err != nil || page.ID != inc.ID || !slices.Contains(members(page.Incident), sc.b2) {
		t.Errorf("incident without a token: %+v, %v", page, err)
	}
	_, err = sc.app("").Incident(ctx, 999)
	wantKind(t, "an incident not stored", err, app.KindNotFound, "no incident 999")
	_, err = sc.app("").Incidents(ctx, app.IncidentQuery{Grades: []string{"strong"}})
	wantKind(t, "an unknown grade", err, app.KindInvalid, `unknown grade "strong": use one of confirmed, fair, weak, contested, discounted`)
	_, err = sc.app("").Incidents(ctx, app.IncidentQuery{Statuses: []string{"open"}})
	wantKind(t, "an unknown status", err, app.KindInvalid, `unknown status "open"`)
}
