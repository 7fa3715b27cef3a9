package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/report"
	"github.com/truce-monitor/truce/internal/vocab"
)

// findings runs the query q and returns what it gave.
func findings(t *testing.T, a *app.App, q app.FindingQuery) ([]app.Finding, error) {
	t.Helper()
	var out []app.Finding
	err := a.Findings(t.Context(), q, func(f *app.Finding) error { out = append(out, *f); return nil })
	return out, err
}

// A filter that names nothing is an error of its kind saying what there
// is, never an empty answer; party ids and verdicts match in any case.
// Reading findings takes no token, users or not.
func TestFindingFilters(t *testing.T) {
	sc := newScenario(t)
	root := addUser(t, sc.st, "root", vocab.RoleAdmin)
	a := sc.app("")
	for _, q := range []app.FindingQuery{{}, {Agreement: "ag", Version: 1}, {Reading: "ua", Accused: "Ru", Verdicts: []string{"CANDIDATE"}}} {
		if fs, err := findings(t, a, q); err != nil || len(fs) != 1 {
			t.Errorf("%+v: %d findings, %v; want 1", q, len(fs), err)
		}
	}
	if fs, err := findings(t, a, app.FindingQuery{Verdicts: []string{"ambiguous"}}); err != nil || len(fs) != 0 {
		t.Errorf("ambiguous: %d findings, %v; want none", len(fs), err)
	}

	for _, tc := range []struct {
		q    app.FindingQuery
		kind app.Kind
		want string
	}{
		{app.FindingQuery{Agreement: "energy"}, app.KindNotFound, `unknown agreement "energy": the store holds ag`},
		{app.FindingQuery{Agreement: "ag", Version: 9}, app.KindNotFound, "ag has no version 9: it has 1"},
		{app.FindingQuery{Version: 1}, app.KindInvalid, "a version needs an agreement"},
		{app.FindingQuery{Agreement: "ag", Reading: "XX"}, app.KindInvalid, `unknown reading "XX": use one of RU, UA (the parties of ag)`},
		{app.FindingQuery{Accused: "Russia"}, app.KindInvalid, `unknown accused party "Russia": use one of RU, UA`},
		{app.FindingQuery{Verdicts: []string{"guilty"}}, app.KindInvalid, `unknown verdict "guilty": use one of candidate, ambiguous, excepted, near_miss`},
	} {
		_, err := findings(t, a, tc.q)
		wantKind(t, tc.want, err, tc.kind, tc.want)
	}

	// On a store with no agreements the error says so, for adapters to add
	// how to import one.
	_, err := findings(t, app.New(newStore(t), app.Options{}), app.FindingQuery{Agreement: "ag"})
	wantKind(t, "an empty store", err, app.KindNotFound, `unknown agreement "ag": the store holds no agreements`)
	if !errors.Is(err, app.ErrNoAgreements) {
		t.Errorf("an empty store: %v is not ErrNoAgreements", err)
	}
	// A build checks its agreement the same way, once it knows who acts.
	_, err = sc.app("").BuildIncidents(t.Context(), "nope")
	wantKind(t, "build without a token", err, app.KindUnauthenticated)
	_, err = sc.app(root).BuildIncidents(t.Context(), "nope")
	wantKind(t, "build of an unknown agreement", err, app.KindNotFound, `unknown agreement "nope": the store holds ag`)
}

// A finding's view is complete as returned: it marshals to the line
// 'truce findings --output json' prints.
func TestFindingView(t *testing.T) {
	sc := newScenario(t)
	fs, err := findings(t, sc.app(""), app.FindingQuery{})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%d findings, %v", len(fs), err)
	}
	f := fs[0]
	if f.RecordID != ref(sc.a1) || f.Stored == nil || f.Stored.Record != ref(sc.a1) || f.Stored.Status != "alleged" || len(f.Checks) != 1 {
		t.Errorf("view: %+v", f)
	}
	view, err := json.Marshal(&f)
	if err != nil {
		t.Fatal(err)
	}
	var line bytes.Buffer
	w, err := report.NewFindingWriter(&line, "json")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&fs[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := bytes.TrimSpace(line.Bytes()); !bytes.Equal(got, view) {
		t.Errorf("the view marshals to\n%s\nthe json output prints\n%s", view, got)
	}
}

// A record is found by any of its ids, with its findings and incident; an
// argument that is no record's spelling is an ArgumentError, one not
// stored KindNotFound.
func TestRecord(t *testing.T) {
	sc := newScenario(t)
	ctx := t.Context()
	a := sc.app("")
	r, err := a.Record(ctx, "reports-a:a1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Record != sc.a1 || r.Key != "reports-a:a1" || r.Event == nil || len(r.Findings) != 1 || r.Incident != nil {
		t.Errorf("record before a build: %+v", r)
	}
	if _, err := a.BuildIncidents(ctx, ""); err != nil {
		t.Fatal(err)
	}
	r, err = a.Record(ctx, ref(sc.a1))
	if err != nil || r.Key != "reports-a:a1" || r.Incident == nil {
		t.Errorf("record after a build: %+v, %v", r, err)
	}
	_, err = a.Record(ctx, "nonsense")
	wantKind(t, "nonsense", err, app.KindInvalid, "not a record: write event/ID, claim/ID or SOURCE:SOURCE_ID")
	if !errors.As(err, new(*app.ArgumentError)) {
		t.Errorf("nonsense: %v is no ArgumentError", err)
	}
	_, err = a.Record(ctx, "claim/1")
	wantKind(t, "claim/1", err, app.KindNotFound, "no claim 1 in the store")
	_, err = a.Record(ctx, "reports-a:zz")
	wantKind(t, "reports-a:zz", err, app.KindNotFound, "no event or claim reports-a:zz in the store")
}
