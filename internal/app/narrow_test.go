package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// addKursk stores k2, a strike in Kursk oblast (RU-KRS) the scenario's
// night, with a candidate finding of ag against UA.
func addKursk(t *testing.T, sc *scenario) {
	t.Helper()
	ctx := t.Context()
	e := strike("reports-k", "k2", day0.Add(23*time.Hour), "Sudzha", "RU")
	e.Place.Admin1ID = "RU-KRS"
	e.Text = "Drones hit the gas metering station."
	importEvents(t, sc.st, "reports-k", e)
	k2, err := sc.st.GetEvent(ctx, "reports-k", "k2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sc.st.ReplaceFindings(ctx, []store.FindingSet{{
		AgreementID: "ag", AgreementVersion: 1, Record: vocab.Ref{Kind: vocab.KindEvent, ID: k2.ID},
		RecordVersion: k2.Version, EvidenceHash: k2.Hash, RecordTime: k2.Time.Start,
		Results: []store.FindingResult{{
			CommitmentID: "no-energy-strikes", Reading: "RU", Accused: "UA", Verdict: "candidate",
			TimePosition: "inside", Category: "energy.electricity", Explanation: json.RawMessage(`{"checks":[]}`),
		}},
	}}); err != nil {
		t.Fatal(err)
	}
}

// The record-side filters of a findings list select by the finding's
// record: codes and text in any case; a value that names nothing is an
// error listing what there is.
func TestFindingRecordFilters(t *testing.T) {
	sc := newScenario(t)
	addKursk(t, sc)
	a := sc.app("")
	night := day0.Add(22 * time.Hour)
	for _, tc := range []struct {
		name string
		q    app.FindingQuery
		want []string
	}{
		{"all", app.FindingQuery{}, []string{"a1", "k2"}},
		{"status", app.FindingQuery{Statuses: []string{"ALLEGED", "confirmed"}}, []string{"a1", "k2"}},
		{"status none has", app.FindingQuery{Statuses: []string{"refuted"}}, nil},
		{"from", app.FindingQuery{From: night.Add(time.Minute)}, []string{"k2"}},
		{"to", app.FindingQuery{To: night.Add(time.Minute)}, []string{"a1"}},
		{"source", app.FindingQuery{Source: "reports-k"}, []string{"k2"}},
		{"kind and narrower, any case", app.FindingQuery{Kind: "STRIKE"}, []string{"a1", "k2"}},
		{"category", app.FindingQuery{Category: "energy.electricity"}, []string{"a1", "k2"}},
		{"country, any case", app.FindingQuery{Country: "ru"}, []string{"k2"}},
		{"admin-1, any case", app.FindingQuery{Admin1: "ru-krs"}, []string{"k2"}},
		{"text, any case", app.FindingQuery{Text: "SUBSTATION"}, []string{"a1"}},
		{"together", app.FindingQuery{Country: "RU", Accused: "ua", Kind: "strike.drone", Text: "gas"}, []string{"k2"}},
	} {
		fs, err := findings(t, a, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.SourceID)
		}
		if !equalStrings(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		// A page gives the same.
		page, err := a.FindingsPage(t.Context(), tc.q, "", 1)
		if err != nil || len(page.Findings) != min(1, len(tc.want)) || (len(tc.want) > 1) != (page.Next != "") {
			t.Errorf("%s: first page %+v, %v", tc.name, page, err)
		}
	}
	for _, tc := range []struct {
		q    app.FindingQuery
		want string
	}{
		{app.FindingQuery{Statuses: []string{"guilty"}}, `unknown status "guilty": use one of alleged, corroborated`},
		{app.FindingQuery{Kind: "drone"}, `unknown kind "drone": use one of `},
		{app.FindingQuery{Category: "power"}, `unknown target category "power": use one of `},
		{app.FindingQuery{Country: "Ukraine"}, `country "UKRAINE" is not an ISO 3166-1 code`},
		{app.FindingQuery{Admin1: "Kursk"}, `admin-1 "KURSK" is not an ISO 3166-2 code`},
		{app.FindingQuery{From: night, To: night}, "is not before"},
	} {
		_, err := findings(t, a, tc.q)
		wantKind(t, tc.want, err, app.KindInvalid, tc.want)
	}
}

// Records by admin-1, in any case; a malformed code is an error.
func TestRecordAdmin1(t *testing.T) {
	sc := newScenario(t)
	addKursk(t, sc)
	a := sc.app("")
	page, err := a.RecordsPage(t.Context(), app.RecordQuery{Record: "event", Admin1: "ru-krs"}, "", 0)
	if err != nil || len(page.Records) != 1 || page.Records[0].SourceID != "k2" {
		t.Errorf("admin1 ru-krs: %+v, %v", page, err)
	}
	_, err = a.RecordsPage(t.Context(), app.RecordQuery{Record: "event", Admin1: "RU_KRS"}, "", 0)
	wantKind(t, "malformed admin-1", err, app.KindInvalid, `admin-1 "RU_KRS" is not an ISO 3166-2 code`)
}

// Incidents holding a finding of an agreement, against a party, placed
// somewhere, in a time range; a filter naming nothing is an error.
func TestIncidentFilters(t *testing.T) {
	sc := newScenario(t)
	root := addUser(t, sc.st, "root", vocab.RoleAdmin)
	if _, err := sc.app(root).BuildIncidents(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	a := sc.app("")
	all, err := a.Incidents(t.Context(), app.IncidentQuery{})
	if err != nil || len(all) != 1 {
		t.Fatalf("built %d incidents, %v; want 1", len(all), err)
	}
	night := day0.Add(22 * time.Hour)
	for _, tc := range []struct {
		name string
		q    app.IncidentQuery
		want int
	}{
		{"agreement", app.IncidentQuery{Agreement: "ag"}, 1},
		{"party accused, any case", app.IncidentQuery{Party: "ru"}, 1},
		{"party not accused", app.IncidentQuery{Agreement: "ag", Party: "UA"}, 0},
		{"country", app.IncidentQuery{Country: "ua"}, 1},
		{"country elsewhere", app.IncidentQuery{Country: "RU"}, 0},
		{"admin-1 elsewhere", app.IncidentQuery{Admin1: "UA-14"}, 0},
		{"time", app.IncidentQuery{From: night, To: night.Add(time.Hour)}, 1},
		{"time before", app.IncidentQuery{To: night}, 0},
	} {
		list, err := a.Incidents(t.Context(), tc.q)
		if err != nil || len(list) != tc.want {
			t.Errorf("%s: %d incidents, %v; want %d", tc.name, len(list), err, tc.want)
		}
		page, err := sc.app(root).IncidentsPage(t.Context(), tc.q, "", 0)
		if err != nil || len(page.Incidents) != tc.want {
			t.Errorf("%s: page of %d incidents, %v; want %d", tc.name, len(page.Incidents), err, tc.want)
		}
	}
	_, err = a.Incidents(t.Context(), app.IncidentQuery{Agreement: "nope"})
	wantKind(t, "unknown agreement", err, app.KindNotFound, `unknown agreement "nope": the store holds ag`)
	_, err = a.Incidents(t.Context(), app.IncidentQuery{Party: "XX"})
	wantKind(t, "unknown party", err, app.KindInvalid, `unknown party "XX": use one of RU, UA`)
	_, err = a.Incidents(t.Context(), app.IncidentQuery{Admin1: "14"})
	wantKind(t, "malformed admin-1", err, app.KindInvalid, `admin-1 "14" is not an ISO 3166-2 code`)
	_, err = a.Incidents(t.Context(), app.IncidentQuery{From: night, To: night})
	wantKind(t, "empty range", err, app.KindInvalid, "is not before")
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
