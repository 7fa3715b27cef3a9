package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// addTimelineAgreement stores agreement tl (readings UA and RU, windows in
// Europe/Kyiv) with findings on the scenario's reports: under UA's reading
// a1, b1 and b2 against RU and k1 against UA; under RU's, a1 against RU.
func addTimelineAgreement(t *testing.T, sc *scenario) {
	t.Helper()
	ctx := t.Context()
	src := []byte("id: tl\nversion: 1\n")
	sum := sha256.Sum256(src)
	norm := `{"id":"tl","version":1,"parties":[{"id":"RU"},{"id":"UA"}],"readings":[
		{"reading":"UA","window":{"time_zone":"Europe/Kyiv","start_utc":"2025-03-17T22:00:00Z","end_utc":"2025-04-16T21:00:00Z"},"commitments":[]},
		{"reading":"RU","window":{"time_zone":"Europe/Kyiv","start_utc":"2025-03-24T22:00:00Z","end_utc":"2025-04-16T21:00:00Z"},"commitments":[]}]}`
	if _, err := sc.st.PutAgreementVersion(ctx, store.AgreementVersion{
		AgreementID: "tl", Version: 1, Title: "A timeline", Hash: hex.EncodeToString(sum[:]), Source: src,
		Normalized: json.RawMessage(norm), StoredBy: "local",
	}); err != nil {
		t.Fatal(err)
	}
	expl := json.RawMessage(`{"checks":[]}`)
	result := func(reading, accused string) store.FindingResult {
		return store.FindingResult{CommitmentID: "c", Reading: reading, Accused: accused, Verdict: vocab.VerdictCandidate,
			TimePosition: "inside", Category: "energy.electricity", Explanation: expl}
	}
	var sets []store.FindingSet
	for _, r := range []struct {
		ref     vocab.Ref
		source  string
		id      string
		results []store.FindingResult
	}{
		{sc.a1, "reports-a", "a1", []store.FindingResult{result("UA", "RU"), result("RU", "RU")}},
		{sc.b1, "reports-b", "b1", []store.FindingResult{result("UA", "RU")}},
		{sc.b2, "reports-b", "b2", []store.FindingResult{result("UA", "RU")}},
		{sc.k1, "reports-k", "k1", []store.FindingResult{result("UA", "UA")}},
	} {
		e, err := sc.st.GetEvent(ctx, r.source, r.id)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, store.FindingSet{AgreementID: "tl", AgreementVersion: 1, Record: r.ref,
			RecordVersion: e.Version, EvidenceHash: e.Hash, RecordTime: e.Time.Start, Results: r.results})
	}
	if _, err := sc.st.ReplaceFindings(ctx, sets); err != nil {
		t.Fatal(err)
	}
	if err := sc.st.SetEvaluationState(ctx, store.EvaluationState{AgreementID: "tl", AgreementVersion: 1}); err != nil {
		t.Fatal(err)
	}
}

// A timeline counts an agreement's findings under one reading per day in
// the agreement's time zone, per accused party, over the readings'
// windows and the findings; a viewer counts published ones only; an
// unknown agreement or reading is an error.
func TestTimeline(t *testing.T) {
	sc := newScenario(t)
	addTimelineAgreement(t, sc)
	ctx := t.Context()
	ap := sc.app("")

	// By default the first agreement with findings, under its first
	// reading with findings: ag has no terms stored, so UTC days.
	tl, err := ap.Timeline(ctx, app.TimelineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Agreement != "ag" || tl.Reading != "UA" || tl.TimeZone != "UTC" || tl.Total != 1 || len(tl.Days) != 1 ||
		tl.Days[0].Format(time.DateOnly) != "2025-03-18" || len(tl.Parties) != 1 || tl.Parties[0].Counts[0] != 1 {
		t.Errorf("default timeline: %+v", tl)
	}

	// tl in Europe/Kyiv: a1 at 22:00 UTC on 18 March is the 19th there,
	// b2 at 22:00 UTC on 18 April (summer time) the 19th of April.
	tl, err = ap.Timeline(ctx, app.TimelineQuery{Agreement: "tl"})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Reading != "UA" || tl.TimeZone != "Europe/Kyiv" || tl.Total != 4 || tl.Title != "A timeline" || tl.Version != 1 {
		t.Fatalf("tl: %+v", tl)
	}
	if n := len(tl.Days); n != 33 || tl.Days[0].Format(time.DateOnly) != "2025-03-18" || tl.Days[n-1].Format(time.DateOnly) != "2025-04-19" {
		t.Errorf("days: %d, %v .. %v", n, tl.Days[0], tl.Days[n-1])
	}
	if tl.Days[20].Format("15:04 MST") != "00:00 EEST" {
		t.Errorf("a day after the switch to summer time starts at %s", tl.Days[20].Format("15:04 MST"))
	}
	counts := map[string]map[int]int{}
	for _, p := range tl.Parties {
		counts[p.Accused] = map[int]int{}
		for i, c := range p.Counts {
			if c > 0 {
				counts[p.Accused][i] = c
			}
		}
	}
	if len(tl.Parties) != 2 || tl.Parties[0].Accused != "RU" || tl.Parties[0].Total != 3 ||
		counts["RU"][1] != 2 || counts["RU"][32] != 1 || len(counts["RU"]) != 2 || counts["UA"][1] != 1 || len(counts["UA"]) != 1 {
		t.Errorf("parties: %+v", tl.Parties)
	}
	if len(tl.Readings) != 2 || tl.Readings[0].Findings != 4 || tl.Readings[1].Reading != "RU" || tl.Readings[1].Findings != 1 ||
		tl.Readings[1].Window.Start.Format(time.RFC3339) != "2025-03-24T22:00:00Z" {
		t.Errorf("readings: %+v", tl.Readings)
	}

	tl, err = ap.Timeline(ctx, app.TimelineQuery{Agreement: "tl", Reading: "ru"})
	if err != nil || tl.Reading != "RU" || tl.Total != 1 || len(tl.Days) != 30 {
		t.Errorf("RU's reading: %+v %v", tl, err)
	}

	for _, q := range []struct {
		q    app.TimelineQuery
		kind app.Kind
	}{
		{app.TimelineQuery{Agreement: "nope"}, app.KindNotFound},
		{app.TimelineQuery{Agreement: "tl", Reading: "XX"}, app.KindInvalid},
	} {
		if _, err := ap.Timeline(ctx, q.q); app.KindOf(err) != q.kind {
			t.Errorf("%+v: %v, want an error of kind %v", q.q, err, q.kind)
		}
	}

	addUser(t, sc.st, "root", vocab.RoleAdmin)
	viewer := addUser(t, sc.st, "vera", vocab.RoleViewer)
	tl, err = sc.app(viewer).Timeline(ctx, app.TimelineQuery{Agreement: "tl"})
	if err != nil || tl.Total != 0 || len(tl.Parties) != 0 || len(tl.Days) != 30 {
		t.Errorf("a viewer's timeline: %+v %v", tl, err)
	}
}
