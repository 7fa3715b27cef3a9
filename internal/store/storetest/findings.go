package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// result is a finding as matching would give it; detail goes into both
// explanations, so another detail is another content.
func result(commitment, reading, accused string, verdict vocab.Verdict, detail string) store.FindingResult {
	expl, _ := json.Marshal(map[string]any{"checks": []map[string]any{{"clause": "party", "ok": true, "detail": detail}}})
	return store.FindingResult{
		CommitmentID: commitment, Reading: reading, Accused: accused, Verdict: verdict,
		TimePosition: "inside", Category: "energy.electricity",
		Explanation: expl, ExplanationText: "party: " + detail,
	}
}

// eventSet is the set of findings of the stored event e under agreement
// version v.
func eventSet(agreement string, v int, e event.Event, results ...store.FindingResult) store.FindingSet {
	return store.FindingSet{
		AgreementID: agreement, AgreementVersion: v,
		Record:        vocab.Ref{Kind: vocab.KindEvent, ID: e.ID},
		RecordVersion: e.Version, EvidenceHash: e.Hash, RecordTime: e.Time.Start,
		Results: results,
	}
}

func claimSet(agreement string, v int, c event.Claim, results ...store.FindingResult) store.FindingSet {
	return store.FindingSet{
		AgreementID: agreement, AgreementVersion: v,
		Record:        vocab.Ref{Kind: vocab.KindClaim, ID: c.ID},
		RecordVersion: c.Version, EvidenceHash: c.Hash, RecordTime: c.Time.Start,
		Results: results,
	}
}

func replace(t *testing.T, s store.Store, sets ...store.FindingSet) []store.FindingCounts {
	t.Helper()
	counts, err := s.ReplaceFindings(t.Context(), sets)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != len(sets) {
		t.Fatalf("ReplaceFindings returned %d counts for %d sets", len(counts), len(sets))
	}
	return counts
}

func listFindings(t *testing.T, s store.Store, f store.FindingFilter) []store.FindingRecord {
	t.Helper()
	var out []store.FindingRecord
	err := s.ScanFindings(t.Context(), f, func(r *store.FindingRecord) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// byKey indexes findings by "commitment/reading/accused".
func byKey(fs []store.FindingRecord) map[string]store.FindingRecord {
	m := map[string]store.FindingRecord{}
	for _, f := range fs {
		m[f.CommitmentID+"/"+f.Reading+"/"+f.Accused] = f
	}
	return m
}

func setEvaluated(t *testing.T, s store.Store, agreement string, v int) {
	t.Helper()
	err := s.SetEvaluationState(t.Context(), store.EvaluationState{AgreementID: agreement, AgreementVersion: v})
	if err != nil {
		t.Fatal(err)
	}
}

func getClaim(t *testing.T, s store.Store, source, id string) event.Claim {
	t.Helper()
	c, err := s.GetClaim(t.Context(), source, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Replacing a record's findings as a set: unchanged ones keep their row,
// changed ones are updated and flagged, missing ones withdrawn and flagged,
// a withdrawn one that comes back is restored.
func testReplaceFindings(t *testing.T, b Backend) {
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0.Add(2*time.Hour), "a"), newEvent("acled", "E2", day0, "b")},
		[]*event.Claim{newClaim("acled", "C1", day0.Add(time.Hour), "c")})
	setEvaluated(t, s, "ua-ru-energy", 1)
	e1, e2, c1 := getEvent(t, s, "acled", "E1"), getEvent(t, s, "acled", "E2"), getClaim(t, s, "acled", "C1")

	ruRU := result("energy-strikes", "RU", "RU", "candidate", "RU struck")
	uaRU := result("energy-strikes", "UA", "RU", "ambiguous", "RU struck, maybe before the UA start")
	claim := result("energy-strikes", "RU", "UA", "candidate", "RU alleges")
	claim.Claimant = "RU"
	got := replace(t, s,
		eventSet("ua-ru-energy", 1, e1, ruRU, uaRU),
		eventSet("ua-ru-energy", 1, e2), // nothing, and nothing stored: a no-op
		claimSet("ua-ru-energy", 1, c1, claim))
	if want := []store.FindingCounts{{New: 2}, {}, {New: 1}}; !slices.Equal(got, want) {
		t.Errorf("first replace: %+v, want %+v", got, want)
	}

	all := listFindings(t, s, store.FindingFilter{})
	if len(all) != 3 {
		t.Fatalf("%d findings, want 3: %+v", len(all), all)
	}
	// In record time order: C1 (day0+1h), then E1's two (day0+2h).
	if all[0].Record != (vocab.Ref{Kind: vocab.KindClaim, ID: c1.ID}) || all[1].Record.ID != e1.ID || all[2].Record.ID != e1.ID {
		t.Errorf("order: %v, %v, %v", all[0].Record, all[1].Record, all[2].Record)
	}
	f := all[0]
	if f.AgreementID != "ua-ru-energy" || f.AgreementVersion != 1 || f.FindingResult.Claimant != "RU" || f.Verdict != "candidate" ||
		f.RecordVersion != 1 || f.EvidenceHash != c1.Hash || !f.RecordTime.Equal(c1.Time.Start) ||
		f.Status != "alleged" || f.NeedsReview || !f.WithdrawnAt.IsZero() || f.CreatedAt.IsZero() ||
		f.ExplanationText != claim.ExplanationText || !jsonEqual(t, f.Explanation, claim.Explanation) {
		t.Errorf("claim finding read back as %+v", f)
	}
	if sub := f.Subject; sub.Source != "acled" || sub.SourceID != "C1" || sub.Kind != "strike.drone" || sub.Text != "c" ||
		!sub.Time.Start.Equal(c1.Time.Start) || sub.Place.Precision != event.GeoUnknown {
		t.Errorf("claim finding's subject %+v", sub)
	}
	ev := byKey(all[1:])["energy-strikes/UA/RU"]
	if sub := ev.Subject; sub.SourceID != "E1" || sub.Place.Name != "Sloviansk" || sub.Place.Lat == nil || sub.Time.Precision != event.TimeDay {
		t.Errorf("event finding's subject %+v", sub)
	}

	// The same results again change nothing but the evaluation time.
	time.Sleep(2 * time.Millisecond)
	got = replace(t, s, eventSet("ua-ru-energy", 1, e1, uaRU, ruRU), claimSet("ua-ru-energy", 1, c1, claim))
	if want := []store.FindingCounts{{Unchanged: 2}, {Unchanged: 1}}; !slices.Equal(got, want) {
		t.Errorf("same again: %+v, want %+v", got, want)
	}
	again := listFindings(t, s, store.FindingFilter{})
	for i := range again {
		a, b := again[i], all[i]
		if a.ID != b.ID || !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) || a.NeedsReview {
			t.Errorf("unchanged finding %d: id %d->%d created %v->%v updated %v->%v review %v", i, b.ID, a.ID,
				b.CreatedAt, a.CreatedAt, b.UpdatedAt, a.UpdatedAt, a.NeedsReview)
		}
		if !a.EvaluatedAt.After(b.EvaluatedAt) {
			t.Errorf("evaluated_at not moved: %v -> %v", b.EvaluatedAt, a.EvaluatedAt)
		}
	}

	// E1 edited: the RU finding changes verdict, the UA one goes, a UA
	// reading finding for another accused appears.
	ruExcepted := result("energy-strikes", "RU", "RU", "excepted", "RU struck, excepted")
	ruExcepted.Exception = "military-energy"
	uaUA := result("energy-strikes", "UA", "UA", "candidate", "UA struck")
	got = replace(t, s, eventSet("ua-ru-energy", 1, e1, ruExcepted, uaUA))
	if want := []store.FindingCounts{{New: 1, Changed: 1, Withdrawn: 1}}; !slices.Equal(got, want) {
		t.Errorf("edited: %+v, want %+v", got, want)
	}
	before := byKey(all)
	standing := byKey(listFindings(t, s, store.FindingFilter{Record: vocab.Ref{Kind: vocab.KindEvent, ID: e1.ID}}))
	if len(standing) != 2 {
		t.Fatalf("standing findings of E1: %v", standing)
	}
	if f := standing["energy-strikes/RU/RU"]; f.ID != before["energy-strikes/RU/RU"].ID || f.Verdict != "excepted" ||
		f.Exception != "military-energy" || !f.NeedsReview || !f.UpdatedAt.After(f.CreatedAt) {
		t.Errorf("changed finding %+v", f)
	}
	if f := standing["energy-strikes/UA/UA"]; f.NeedsReview || f.Verdict != "candidate" {
		t.Errorf("new finding %+v", f)
	}
	withdrawn := byKey(listFindings(t, s, store.FindingFilter{Record: vocab.Ref{Kind: vocab.KindEvent, ID: e1.ID}, IncludeWithdrawn: true}))
	if f := withdrawn["energy-strikes/UA/RU"]; f.ID != before["energy-strikes/UA/RU"].ID || f.WithdrawnAt.IsZero() || !f.NeedsReview {
		t.Errorf("withdrawn finding %+v", f)
	}

	// Records with standing findings: E1 and C1, not E2.
	refs, err := s.FindingRecords(t.Context(), "ua-ru-energy", 1)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(refs, func(a, b vocab.Ref) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	if want := []vocab.Ref{{Kind: vocab.KindClaim, ID: c1.ID}, {Kind: vocab.KindEvent, ID: e1.ID}}; !slices.Equal(refs, want) {
		t.Errorf("FindingRecords = %v, want %v", refs, want)
	}

	// The withdrawn one comes back: same row, standing again, flagged.
	got = replace(t, s, eventSet("ua-ru-energy", 1, e1, ruExcepted, uaUA, uaRU))
	if want := []store.FindingCounts{{Unchanged: 2, Changed: 1}}; !slices.Equal(got, want) {
		t.Errorf("restored: %+v, want %+v", got, want)
	}
	back := byKey(listFindings(t, s, store.FindingFilter{Record: vocab.Ref{Kind: vocab.KindEvent, ID: e1.ID}}))["energy-strikes/UA/RU"]
	if back.ID != before["energy-strikes/UA/RU"].ID || !back.WithdrawnAt.IsZero() || !back.NeedsReview {
		t.Errorf("restored finding %+v", back)
	}

	// Nothing left for the claim: withdrawn; a second time, nothing to do.
	for i, want := range []store.FindingCounts{{Withdrawn: 1}, {}} {
		if got := replace(t, s, claimSet("ua-ru-energy", 1, c1)); !slices.Equal(got, []store.FindingCounts{want}) {
			t.Errorf("claim emptied, time %d: %+v, want %+v", i+1, got, want)
		}
	}
	refs, err = s.FindingRecords(t.Context(), "ua-ru-energy", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []vocab.Ref{{Kind: vocab.KindEvent, ID: e1.ID}}; !slices.Equal(refs, want) {
		t.Errorf("FindingRecords after withdrawal = %v, want %v", refs, want)
	}
}

// A bad set fails the whole call with ErrInvalid and writes nothing.
func testReplaceFindingsInvalid(t *testing.T, b Backend) {
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "a"), newEvent("acled", "E2", day0, "b")}, nil)
	e1, e2 := getEvent(t, s, "acled", "E1"), getEvent(t, s, "acled", "E2")
	good := eventSet("ua-ru-energy", 1, e1, result("energy-strikes", "RU", "RU", "candidate", "x"))
	badJSON := result("energy-strikes", "RU", "RU", "candidate", "x")
	badJSON.Explanation = json.RawMessage("{")
	noType := eventSet("ua-ru-energy", 1, e2)
	noType.Record.Kind = "incident"
	tests := []struct {
		name string
		bad  store.FindingSet
	}{
		{"two results under one key", eventSet("ua-ru-energy", 1, e2,
			result("energy-strikes", "RU", "RU", "candidate", "x"), result("energy-strikes", "RU", "RU", "ambiguous", "y"))},
		{"unknown verdict", eventSet("ua-ru-energy", 1, e2, result("energy-strikes", "RU", "RU", "violation", "x"))},
		{"explanation not JSON", eventSet("ua-ru-energy", 1, e2, badJSON)},
		{"unknown record type", noType},
		{"no agreement", eventSet("", 1, e2)},
		{"record given twice", good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ReplaceFindings(t.Context(), []store.FindingSet{good, tt.bad})
			checkErr(t, err, store.ErrInvalid)
		})
	}
	if got := listFindings(t, s, store.FindingFilter{Version: 1, IncludeWithdrawn: true}); len(got) != 0 {
		t.Errorf("refused calls wrote %d findings", len(got))
	}
	// A finding under an agreement version that is not stored breaks the
	// foreign key, and the batch with it.
	_, err := s.ReplaceFindings(t.Context(), []store.FindingSet{good, eventSet("ua-ru-energy", 9, e2, result("c", "RU", "RU", "candidate", "x"))})
	if err == nil {
		t.Error("finding under an unknown agreement version stored")
	}
	if got := listFindings(t, s, store.FindingFilter{Version: 1, IncludeWithdrawn: true}); len(got) != 0 {
		t.Errorf("failed call wrote %d findings", len(got))
	}
}

// A new version of the record behind a finding, by import or deletion,
// sends it back for review; re-importing the same content does not.
func testNeedsReview(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	setEvaluated(t, s, "ua-ru-energy", 1)
	events := []*event.Event{
		newEvent("acled", "edited", day0, "a"),
		newEvent("acled", "same", day0, "b"),
		newEvent("acled", "deleted", day0, "c"),
	}
	claims := []*event.Claim{newClaim("acled", "edited-claim", day0, "d"), newClaim("acled", "same-claim", day0, "e")}
	importBatch(t, s, "acled", events, claims)

	var sets []store.FindingSet
	for _, e := range events {
		sets = append(sets, eventSet("ua-ru-energy", 1, getEvent(t, s, "acled", e.SourceID), result("energy-strikes", "RU", "RU", "candidate", e.SourceID)))
	}
	for _, c := range claims {
		sets = append(sets, claimSet("ua-ru-energy", 1, getClaim(t, s, "acled", c.SourceID), result("energy-strikes", "RU", "UA", "candidate", c.SourceID)))
	}
	replace(t, s, sets...)

	importBatch(t, s, "acled",
		[]*event.Event{newEvent("acled", "edited", day0, "a, revised"), events[1]},
		[]*event.Claim{newClaim("acled", "edited-claim", day0, "d, revised"), claims[1]})
	if _, err := s.MarkDeleted(ctx, "acled", []string{"deleted"}); err != nil {
		t.Fatal(err)
	}
	review := map[string]bool{}
	for _, f := range listFindings(t, s, store.FindingFilter{}) {
		review[f.Subject.SourceID] = f.NeedsReview
		if f.Subject.SourceID == "deleted" && !f.Subject.Deleted {
			t.Errorf("subject of the finding on a deleted event not deleted: %+v", f.Subject)
		}
	}
	want := map[string]bool{"edited": true, "same": false, "deleted": true, "edited-claim": true, "same-claim": false}
	if !equalMaps(review, want) {
		t.Errorf("needs_review by record %v, want %v", review, want)
	}
	flagged := listFindings(t, s, store.FindingFilter{NeedsReview: true})
	if len(flagged) != 3 {
		t.Errorf("NeedsReview filter gave %d findings, want 3", len(flagged))
	}

	// Re-evaluating the edited event with the same result keeps the flag:
	// only a review clears it. Its finding now names the version judged.
	edited := getEvent(t, s, "acled", "edited")
	if got := replace(t, s, eventSet("ua-ru-energy", 1, edited, result("energy-strikes", "RU", "RU", "candidate", "edited"))); got[0] != (store.FindingCounts{Unchanged: 1}) {
		t.Errorf("re-evaluated: %+v", got)
	}
	f := listFindings(t, s, store.FindingFilter{Record: vocab.Ref{Kind: vocab.KindEvent, ID: edited.ID}})
	if len(f) != 1 || !f[0].NeedsReview || f[0].RecordVersion != 2 || f[0].EvidenceHash != edited.Hash {
		t.Errorf("re-evaluated finding %+v", f)
	}
}

func equalMaps[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Findings of every agreement version are kept apart; version 0 reads the
// latest version whose evaluation finished; filters combine.
func testFindingVersions(t *testing.T, b Backend) {
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	putVersion(t, s, "ua-ru-energy", 2, "Energy moratorium, with the list")
	putVersion(t, s, "easter", 1, "Easter truce")
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "a"), newEvent("acled", "E2", day0.Add(time.Hour), "b")}, nil)
	e1, e2 := getEvent(t, s, "acled", "E1"), getEvent(t, s, "acled", "E2")

	replace(t, s,
		eventSet("ua-ru-energy", 1, e1, result("energy-strikes", "RU", "RU", "candidate", "v1")),
		eventSet("easter", 1, e2, result("easter-ru", "RU", "RU", "candidate", "easter")))
	setEvaluated(t, s, "ua-ru-energy", 1)
	// Version 2 is being evaluated: not shown as the latest yet.
	replace(t, s,
		eventSet("ua-ru-energy", 2, e1, result("energy-strikes", "RU", "RU", "ambiguous", "v2"), result("energy-strikes", "UA", "RU", "near_miss", "v2")),
		eventSet("ua-ru-energy", 2, e2, result("energy-strikes", "UA", "UA", "candidate", "v2")))

	versions := func(f store.FindingFilter) []string {
		var out []string
		for _, r := range listFindings(t, s, f) {
			out = append(out, fmt.Sprintf("%s/%d/%s/%s", r.AgreementID, r.AgreementVersion, r.Reading, r.Verdict))
		}
		return out
	}
	check := func(name string, f store.FindingFilter, want ...string) {
		t.Helper()
		if got := versions(f); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	// easter has findings but was never evaluated to the end.
	check("latest evaluated, v2 running", store.FindingFilter{}, "ua-ru-energy/1/RU/candidate")
	setEvaluated(t, s, "ua-ru-energy", 2)
	setEvaluated(t, s, "easter", 1)
	// E1's findings, then E2's by id: easter's was stored first.
	check("latest evaluated", store.FindingFilter{},
		"ua-ru-energy/2/RU/ambiguous", "ua-ru-energy/2/UA/near_miss", "easter/1/RU/candidate", "ua-ru-energy/2/UA/candidate")
	check("one agreement", store.FindingFilter{AgreementID: "ua-ru-energy"},
		"ua-ru-energy/2/RU/ambiguous", "ua-ru-energy/2/UA/near_miss", "ua-ru-energy/2/UA/candidate")
	check("superseded version kept", store.FindingFilter{AgreementID: "ua-ru-energy", Version: 1}, "ua-ru-energy/1/RU/candidate")
	check("reading", store.FindingFilter{Reading: "UA"}, "ua-ru-energy/2/UA/near_miss", "ua-ru-energy/2/UA/candidate")
	check("verdicts", store.FindingFilter{Verdicts: []vocab.Verdict{"candidate", "ambiguous"}},
		"ua-ru-energy/2/RU/ambiguous", "easter/1/RU/candidate", "ua-ru-energy/2/UA/candidate")
	check("accused", store.FindingFilter{AgreementID: "ua-ru-energy", Accused: "UA"}, "ua-ru-energy/2/UA/candidate")
	check("unknown agreement", store.FindingFilter{AgreementID: "nope"})
	// A page resumed after a finding: the rest, in the same order, filters
	// still applied.
	all := listFindings(t, s, store.FindingFilter{})
	after := func(i int) *store.Cursor {
		return &store.Cursor{RecordTime: all[i].RecordTime, ID: all[i].ID}
	}
	check("after the first", store.FindingFilter{After: after(0)},
		"ua-ru-energy/2/UA/near_miss", "easter/1/RU/candidate", "ua-ru-energy/2/UA/candidate")
	check("after the second, one agreement", store.FindingFilter{AgreementID: "ua-ru-energy", After: after(1)}, "ua-ru-energy/2/UA/candidate")
	check("after the last", store.FindingFilter{After: after(len(all) - 1)})

	// Version 2's findings link to version 1's under the same key: only
	// E1's RU reading against RU has one.
	ctx := t.Context()
	if n, err := s.LinkSupersededFindings(ctx, "ua-ru-energy", 2); err != nil || n != 1 {
		t.Fatalf("LinkSupersededFindings = %d, %v; want 1", n, err)
	}
	if n, err := s.LinkSupersededFindings(ctx, "ua-ru-energy", 2); err != nil || n != 0 {
		t.Errorf("LinkSupersededFindings again = %d, %v; want 0", n, err)
	}
	v1 := listFindings(t, s, store.FindingFilter{AgreementID: "ua-ru-energy", Version: 1})
	if len(v1) != 1 || v1[0].Supersedes != 0 {
		t.Fatalf("version 1 findings %+v, want one, linking nothing", v1)
	}
	for _, r := range listFindings(t, s, store.FindingFilter{AgreementID: "ua-ru-energy"}) {
		want := int64(0)
		if r.Record == v1[0].Record && r.Reading == "RU" {
			want = v1[0].ID
		}
		if r.Supersedes != want {
			t.Errorf("finding %d (%s reading %s) supersedes %d, want %d", r.ID, r.Verdict, r.Reading, r.Supersedes, want)
		}
	}
}

func testEvaluationState(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	_, err := s.GetEvaluationState(ctx, "ua-ru-energy", 1)
	checkErr(t, err, store.ErrNotFound)
	for _, want := range []store.EvaluationState{
		{AgreementID: "ua-ru-energy", AgreementVersion: 1, LastBatch: 7, NearMisses: true, Violations: "RU@2025-03-18T00:00:00Z#4;"},
		{AgreementID: "ua-ru-energy", AgreementVersion: 1, LastBatch: 3},
	} {
		if err := s.SetEvaluationState(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetEvaluationState(ctx, "ua-ru-energy", 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.EvaluatedAt.IsZero() || time.Since(got.EvaluatedAt) > time.Minute {
			t.Errorf("EvaluatedAt = %v", got.EvaluatedAt)
		}
		got.EvaluatedAt = time.Time{}
		if got != want {
			t.Errorf("state read back as %+v, want %+v", got, want)
		}
	}
	// Only stored agreement versions have a state.
	if err := s.SetEvaluationState(ctx, store.EvaluationState{AgreementID: "ua-ru-energy", AgreementVersion: 2}); err == nil {
		t.Error("state of an unknown agreement version stored")
	}
}

// LatestBatch never names a batch while one with a smaller id can still
// commit: evaluation would skip that one's records for good.
func testLatestBatch(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	if n, err := s.LatestBatch(ctx); err != nil || n != 0 {
		t.Fatalf("LatestBatch on an empty store = %d, %v", n, err)
	}
	first := importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "a")}, nil)
	if n, err := s.LatestBatch(ctx); err != nil || n != first.Batch {
		t.Fatalf("LatestBatch = %d, %v; want %d", n, err, first.Batch)
	}

	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "acled"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.AddEvent(ctx, newEvent("acled", "E2", day0, "b")); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		n   int64
		err error
	}
	done := make(chan answer, 1)
	go func() {
		n, err := s.LatestBatch(ctx)
		done <- answer{n, err}
	}()
	time.Sleep(200 * time.Millisecond)
	var early *answer
	select {
	case a := <-done:
		early = &a // it did not wait (SQLite: batches commit in id order)
	default: // it waits for the running import (PostgreSQL)
	}
	counts, err := im.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if early != nil {
		if early.err != nil || early.n >= counts.Batch {
			t.Errorf("LatestBatch during an import = %d, %v; the import then committed as %d", early.n, early.err, counts.Batch)
		}
		return
	}
	a := <-done
	if a.err != nil || a.n < counts.Batch {
		t.Errorf("LatestBatch after waiting = %d, %v; want at least %d", a.n, a.err, counts.Batch)
	}
}

var errStop = errors.New("stop")

// ScanFindings reads page by page in (record time, id) order and stops when
// fn fails.
func testScanFindings(t *testing.T, b Backend) {
	s, _ := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	setEvaluated(t, s, "ua-ru-energy", 1)
	const n = 2345
	var events []*event.Event
	for i := range n {
		events = append(events, newEvent("acled", fmt.Sprint("A", i), day0.Add(time.Duration((n-i)%7)*time.Hour), "x"))
	}
	importBatch(t, s, "acled", events, nil)
	var sets []store.FindingSet
	err := s.ScanEvents(t.Context(), store.EventFilter{}, func(e *event.Event) error {
		sets = append(sets, eventSet("ua-ru-energy", 1, *e, result("energy-strikes", "RU", "RU", "candidate", e.SourceID)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	replace(t, s, sets...)
	all := listFindings(t, s, store.FindingFilter{})
	if len(all) != n {
		t.Fatalf("scanned %d findings, want %d", len(all), n)
	}
	for i := 1; i < len(all); i++ {
		p, f := all[i-1], all[i]
		if f.RecordTime.Before(p.RecordTime) || f.RecordTime.Equal(p.RecordTime) && f.ID <= p.ID {
			t.Fatalf("finding %d (%s, %d) comes after (%s, %d)", i, f.RecordTime, f.ID, p.RecordTime, p.ID)
		}
	}
	calls := 0
	err = s.ScanFindings(t.Context(), store.FindingFilter{}, func(*store.FindingRecord) error {
		if calls++; calls == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || calls != 3 {
		t.Errorf("scan returned %v after %d calls", err, calls)
	}
}

// A confirmed violation is a standing candidate or ambiguous finding that
// review confirmed, itself or through its record's incident: the earliest
// per party counts.
func testConfirmedViolations(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "a"), newEvent("acled", "E2", day0.Add(time.Hour), "b"),
		newEvent("acled", "E3", day0.Add(2*time.Hour), "c"), newEvent("acled", "E4", day0.Add(3*time.Hour), "d")}, nil)
	e1, e2, e3, e4 := getEvent(t, s, "acled", "E1"), getEvent(t, s, "acled", "E2"), getEvent(t, s, "acled", "E3"), getEvent(t, s, "acled", "E4")
	replace(t, s,
		eventSet("ua-ru-energy", 1, e1, result("energy-strikes", "RU", "RU", "candidate", "a")),
		eventSet("ua-ru-energy", 1, e2, result("energy-strikes", "RU", "RU", "ambiguous", "b")),
		eventSet("ua-ru-energy", 1, e3, result("energy-strikes", "UA", "UA", "candidate", "c")),
		eventSet("ua-ru-energy", 1, e4, result("energy-strikes", "UA", "UA", "near_miss", "d")))
	got := func() string {
		t.Helper()
		vs, err := s.ConfirmedViolations(ctx, "ua-ru-energy")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			out = append(out, fmt.Sprintf("%s@%s", v.Party, v.At.UTC().Format("15:04")))
		}
		return strings.Join(out, " ")
	}
	exec := func(query string) {
		t.Helper()
		if err := b.Exec(ctx, dsn, query); err != nil {
			t.Fatal(err)
		}
	}
	if v := got(); v != "" {
		t.Fatalf("nothing reviewed: %q, want none", v)
	}
	// A confirmed near miss is no violation.
	exec(fmt.Sprintf("UPDATE findings SET status = 'confirmed' WHERE event_id = %d", e4.ID))
	exec(fmt.Sprintf("UPDATE findings SET status = 'confirmed' WHERE event_id = %d", e2.ID))
	if v := got(); v != "RU@01:00" {
		t.Errorf("one confirmed finding: %q", v)
	}
	// Confirmed through its incident.
	exec(`INSERT INTO incidents (id, time_start, time_end, grade, grade_reason, status, created_at, updated_at)
		VALUES (1, '2025-03-18T02:00:00Z', '2025-03-18T02:00:00Z', 'fair', '{}', 'confirmed', '2025-03-20T00:00:00Z', '2025-03-20T00:00:00Z')`)
	exec(fmt.Sprintf(`INSERT INTO incident_members (incident_id, event_id, role, reason, added_at)
		VALUES (1, %d, 'report', '{}', '2025-03-20T00:00:00Z')`, e3.ID))
	if v := got(); v != "RU@01:00 UA@02:00" {
		t.Errorf("and one through its incident: %q", v)
	}
	// An earlier one takes over; a withdrawn one does not count.
	exec(fmt.Sprintf("UPDATE findings SET status = 'confirmed' WHERE event_id = %d", e1.ID))
	if v := got(); v != "RU@00:00 UA@02:00" {
		t.Errorf("an earlier one confirmed: %q", v)
	}
	exec(fmt.Sprintf("UPDATE findings SET withdrawn_at = '2025-03-21T00:00:00Z' WHERE event_id = %d", e1.ID))
	if v := got(); v != "RU@01:00 UA@02:00" {
		t.Errorf("the earlier one withdrawn: %q", v)
	}
	if vs, err := s.ConfirmedViolations(ctx, "nope"); err != nil || len(vs) != 0 {
		t.Errorf("unknown agreement: %v, %v", vs, err)
	}
}

// Only a prohibited act by a named party can release the other: a finding
// on a count-only claim is no violation, confirmed or not, itself or
// through its incident. ViolationsIfConfirmed says, before a confirmation,
// which findings it would make violations: a finding's own, an incident's
// members'.
func testViolationsNeedAnAct(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	count := newClaim("ua-gs", "count", day0, "more than 60 violations since 18 March")
	n := 60
	count.Type, count.Count = event.ClaimCount, &n
	act := newClaim("ua-gs", "act", day0.Add(5*time.Hour), "a drone hit the substation")
	importBatch(t, s, "ua-gs", nil, []*event.Claim{count, act})
	cc, ca := getClaim(t, s, "ua-gs", "count"), getClaim(t, s, "ua-gs", "act")
	replace(t, s,
		claimSet("ua-ru-energy", 1, cc, result("energy-strikes", "UA", "RU", "candidate", "count")),
		claimSet("ua-ru-energy", 1, ca, result("energy-strikes", "UA", "RU", "candidate", "act")))
	ids := map[vocab.Ref]int64{}
	for _, f := range listFindings(t, s, store.FindingFilter{AgreementID: "ua-ru-energy", Version: 1}) {
		ids[f.Record] = f.ID
	}
	fCount := ids[vocab.Ref{Kind: vocab.KindClaim, ID: cc.ID}]
	fAct := ids[vocab.Ref{Kind: vocab.KindClaim, ID: ca.ID}]
	if fCount == 0 || fAct == 0 {
		t.Fatalf("findings: %v", ids)
	}
	ifConfirmed := func(subj vocab.Ref) string {
		t.Helper()
		vs, err := s.ViolationsIfConfirmed(ctx, subj)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			out = append(out, fmt.Sprintf("%s:%s@%s#%d", v.AgreementID, v.Party, v.At.UTC().Format("15:04"), v.FindingID))
		}
		return strings.Join(out, " ")
	}
	if got := ifConfirmed(vocab.Ref{Kind: vocab.KindFinding, ID: fCount}); got != "" {
		t.Errorf("confirming the count-only claim's finding would make %q violations, want none", got)
	}
	want := fmt.Sprintf("ua-ru-energy:RU@05:00#%d", fAct)
	if got := ifConfirmed(vocab.Ref{Kind: vocab.KindFinding, ID: fAct}); got != want {
		t.Errorf("confirming the act's finding: %q, want %q", got, want)
	}
	exec := func(query string) {
		t.Helper()
		if err := b.Exec(ctx, dsn, query); err != nil {
			t.Fatal(err)
		}
	}
	// An incident of the count-only claim alone, and one of both.
	exec(`INSERT INTO incidents (id, time_start, time_end, grade, grade_reason, status, created_at, updated_at)
		VALUES (1, '2025-03-18T00:00:00Z', '2025-03-18T00:00:00Z', 'weak', '{}', 'alleged', '2025-03-20T00:00:00Z', '2025-03-20T00:00:00Z'),
		       (2, '2025-03-18T05:00:00Z', '2025-03-18T05:00:00Z', 'weak', '{}', 'alleged', '2025-03-20T00:00:00Z', '2025-03-20T00:00:00Z')`)
	exec(fmt.Sprintf(`INSERT INTO incident_members (incident_id, claim_id, role, reason, added_at)
		VALUES (1, %d, 'claim', '{}', '2025-03-20T00:00:00Z'), (2, %d, 'claim', '{}', '2025-03-20T00:00:00Z')`, cc.ID, ca.ID))
	if got := ifConfirmed(vocab.Ref{Kind: vocab.KindIncident, ID: 1}); got != "" {
		t.Errorf("confirming the count-only incident would make %q violations, want none", got)
	}
	if got := ifConfirmed(vocab.Ref{Kind: vocab.KindIncident, ID: 2}); got != want {
		t.Errorf("confirming the act's incident: %q, want %q", got, want)
	}
	// Confirmed anyway, the count-only claim releases nobody; the act does,
	// from its own time.
	exec(fmt.Sprintf("UPDATE findings SET status = 'confirmed' WHERE id = %d", fCount))
	exec("UPDATE incidents SET status = 'confirmed' WHERE id = 1")
	if vs, err := s.ConfirmedViolations(ctx, "ua-ru-energy"); err != nil || len(vs) != 0 {
		t.Errorf("a confirmed count-only claim is a violation: %v, %v", vs, err)
	}
	exec("UPDATE incidents SET status = 'confirmed' WHERE id = 2")
	if vs, err := s.ConfirmedViolations(ctx, "ua-ru-energy"); err != nil || len(vs) != 1 || vs[0].FindingID != fAct || !vs[0].At.Equal(day0.Add(5*time.Hour)) {
		t.Errorf("the act's incident confirmed: %+v, %v", vs, err)
	}
}
