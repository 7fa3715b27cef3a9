package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/incident"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// testIncidents holds the incident store to its contract: a round trip,
// members moving between incidents, review flags and status kept across
// saves, dissolving, filters, link decisions and the audit entries.
func testIncidents(t *testing.T, b Backend) {
	t.Run("RoundTrip", func(t *testing.T) { testIncidentRoundTrip(t, b) })
	t.Run("MembersMoveAndFlag", func(t *testing.T) { testIncidentMembersMove(t, b) })
	t.Run("Dissolve", func(t *testing.T) { testIncidentDissolve(t, b) })
	t.Run("Upstream", func(t *testing.T) { testIncidentUpstream(t, b) })
	t.Run("Filter", func(t *testing.T) { testIncidentFilter(t, b) })
	t.Run("LinkDecisions", func(t *testing.T) { testLinkDecisions(t, b) })
	t.Run("Parts", func(t *testing.T) { testIncidentParts(t, b) })
	t.Run("PartLinkDecisions", func(t *testing.T) { testPartLinkDecisions(t, b) })
	t.Run("Invalid", func(t *testing.T) { testIncidentInvalid(t, b) })
	t.Run("SourcesOfFormat", func(t *testing.T) { testSourcesOfFormat(t, b) })
}

// incidentRecords stores three events and a claim and returns their refs.
func incidentRecords(t *testing.T, s store.Store) (e1, e2, e3, c1 vocab.Ref) {
	t.Helper()
	importBatch(t, s, "acled", []*event.Event{
		newEvent("acled", "E1", day0, "drone strike on Sloviansk substation"),
		newEvent("acled", "E3", day0.Add(72*time.Hour), "shelling"),
	}, nil)
	importBatch(t, s, "ucdp-ged", []*event.Event{newEvent("ucdp-ged", "E2", day0, "Sloviansk strike")}, nil)
	importBatch(t, s, "claims", nil, []*event.Claim{newClaim("claims", "C1", day0, "Ukraine says Russia hit Sloviansk")})
	ref := func(source, id string) vocab.Ref {
		return vocab.Ref{Kind: vocab.KindEvent, ID: getEvent(t, s, source, id).ID}
	}
	return ref("acled", "E1"), ref("ucdp-ged", "E2"), ref("acled", "E3"),
		vocab.Ref{Kind: vocab.KindClaim, ID: getClaim(t, s, "claims", "C1").ID}
}

func member(r vocab.Ref, role vocab.MemberRole) incident.Membership {
	return incident.Membership{Record: r, Role: role, Reason: json.RawMessage(`{"linked_to":"test"}`)}
}

func incidentOf(start time.Time, grade vocab.Grade, members ...incident.Membership) incident.Incident {
	lat, lon := 48.85, 37.6
	return incident.Incident{
		TimeStart: start, TimeEnd: start.Add(24 * time.Hour), Country: "UA", Admin1: "Donetsk", Lat: &lat, Lon: &lon,
		Kind: "strike.drone", Category: "energy.electricity", Summary: "strike on Sloviansk", Grade: grade,
		GradeReason: json.RawMessage(`{"grade":"` + grade + `","origins":[]}`), Members: members,
	}
}

func saveIncidents(t *testing.T, s store.Store, incs ...incident.Incident) []incident.Incident {
	t.Helper()
	out, err := s.SaveIncidents(t.Context(), incs, "builder")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func getIncident(t *testing.T, s store.Store, id int64) incident.Incident {
	t.Helper()
	inc, err := s.GetIncident(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func memberRefs(inc incident.Incident) map[vocab.Ref]vocab.MemberRole {
	out := map[vocab.Ref]vocab.MemberRole{}
	for _, m := range inc.Members {
		out[m.Record] = m.Role
	}
	return out
}

func testIncidentRoundTrip(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1, e2, _, c1 := incidentRecords(t, s)
	in := incidentOf(day0, vocab.GradeConfirmed, member(e1, vocab.MemberReport), member(e2, vocab.MemberReport), member(c1, vocab.MemberClaim))
	in.Members[1].Manual = true
	in.MachineOnly = false
	in.Status = vocab.StatusConfirmed // ignored: review alone moves it
	saved := saveIncidents(t, s, in)
	if saved[0].ID == 0 || saved[0].Status != vocab.StatusAlleged || saved[0].NeedsReview {
		t.Fatalf("saved %+v", saved[0])
	}
	got := getIncident(t, s, saved[0].ID)
	if !got.TimeStart.Equal(day0) || got.Grade != vocab.GradeConfirmed || got.Kind != "strike.drone" || got.Category != "energy.electricity" ||
		got.Country != "UA" || got.Admin1 != "Donetsk" || got.Lat == nil || *got.Lat != 48.85 || got.Summary != in.Summary ||
		!got.DissolvedAt.IsZero() || got.CreatedAt.IsZero() {
		t.Errorf("read back %+v", got)
	}
	var reason map[string]any
	if err := json.Unmarshal(got.GradeReason, &reason); err != nil || reason["grade"] != string(vocab.GradeConfirmed) {
		t.Errorf("grade reason %s", got.GradeReason)
	}
	if len(got.Members) != 3 {
		t.Fatalf("members %+v", got.Members)
	}
	for _, m := range got.Members {
		switch m.Record {
		case e2:
			if !m.Manual || m.Source != "ucdp-ged" || m.SourceID != "E2" {
				t.Errorf("member e2 %+v", m)
			}
		case c1:
			if m.Role != vocab.MemberClaim || m.Source != "claims" || m.SourceID != "C1" {
				t.Errorf("member c1 %+v", m)
			}
		}
		if m.AddedAt.IsZero() || !json.Valid(m.Reason) {
			t.Errorf("member %+v", m)
		}
	}
	if _, err := s.GetIncident(t.Context(), saved[0].ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing incident: %v, want ErrNotFound", err)
	}
	// One audit entry per save.
	entries, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := countAction(entries, "incident.save"); n != 1 {
		t.Errorf("%d incident.save entries, want 1", n)
	}
}

func countAction(entries []store.AuditEntry, action string) int {
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

func testIncidentMembersMove(t *testing.T, b Backend) {
	s, dsn := open(t, b)
	ctx := t.Context()
	e1, e2, e3, c1 := incidentRecords(t, s)
	saved := saveIncidents(t, s,
		incidentOf(day0, vocab.GradeConfirmed, member(e1, vocab.MemberReport), member(e2, vocab.MemberReport)),
		incidentOf(day0.Add(72*time.Hour), vocab.GradeWeak, member(e3, vocab.MemberReport)))
	a, other := saved[0], saved[1]
	firstAdded := getIncident(t, s, a.ID).Members[0].AddedAt

	// A reviewer confirmed it meanwhile (the review workflow's write).
	if err := b.Exec(ctx, dsn, "UPDATE incidents SET status = 'corroborated', review_revision = 1"); err != nil {
		t.Fatal(err)
	}
	// Same members, another grade: status kept, not flagged.
	a.Grade = vocab.GradeFair
	a.GradeReason = json.RawMessage(`{"grade":"fair"}`)
	saveIncidents(t, s, a)
	got := getIncident(t, s, a.ID)
	if got.Status != vocab.StatusCorroborated || got.NeedsReview || got.Grade != vocab.GradeFair {
		t.Fatalf("same members: status %s needs_review %v grade %s", got.Status, got.NeedsReview, got.Grade)
	}
	if !got.Members[0].AddedAt.Equal(firstAdded) {
		t.Errorf("a kept member's added_at changed: %v, was %v", got.Members[0].AddedAt, firstAdded)
	}
	var revision int
	if err := b.QueryRow(ctx, dsn, "SELECT review_revision FROM incidents WHERE id = "+strconv.FormatInt(a.ID, 10), &revision); err != nil || revision != 1 {
		t.Errorf("review_revision %d (%v), want it kept at 1", revision, err)
	}

	// e3 moves into a, and a claim joins: both incidents are flagged.
	a.Members = append(a.Members, member(e3, vocab.MemberReport), member(c1, vocab.MemberDenial))
	saveIncidents(t, s, a)
	got = getIncident(t, s, a.ID)
	if got.Status != vocab.StatusCorroborated || !got.NeedsReview || len(got.Members) != 4 || memberRefs(got)[c1] != vocab.MemberDenial {
		t.Errorf("after adding members: %+v", got)
	}
	left := getIncident(t, s, other.ID)
	if len(left.Members) != 0 || !left.NeedsReview {
		t.Errorf("incident that lost its member: members %v needs_review %v", left.Members, left.NeedsReview)
	}
}

func testIncidentDissolve(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1, e2, _, _ := incidentRecords(t, s)
	a := saveIncidents(t, s, incidentOf(day0, vocab.GradeConfirmed, member(e1, vocab.MemberReport), member(e2, vocab.MemberReport)))[0]
	a.Members = nil
	saveIncidents(t, s, a)
	got := getIncident(t, s, a.ID)
	if got.DissolvedAt.IsZero() || len(got.Members) != 0 || !got.NeedsReview {
		t.Fatalf("dissolved: %+v", got)
	}
	list, err := s.ListIncidents(t.Context(), store.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("dissolved incident listed by default: %+v", list)
	}
	list, err = s.ListIncidents(t.Context(), store.IncidentFilter{IncludeDissolved: true})
	if err != nil || len(list) != 1 {
		t.Errorf("IncludeDissolved: %d (%v), want 1", len(list), err)
	}
	// Its records can found a new incident.
	b2 := saveIncidents(t, s, incidentOf(day0, vocab.GradeWeak, member(e1, vocab.MemberReport)))[0]
	if b2.ID == a.ID {
		t.Error("a new incident reused a dissolved id")
	}
}

// An upstream edit or deletion of a member record flags its incident for
// review, and only its incident.
func testIncidentUpstream(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1, e2, e3, c1 := incidentRecords(t, s)
	saved := saveIncidents(t, s,
		incidentOf(day0, vocab.GradeFair, member(e1, vocab.MemberReport), member(c1, vocab.MemberClaim)),
		incidentOf(day0, vocab.GradeWeak, member(e2, vocab.MemberReport)),
		incidentOf(day0.Add(72*time.Hour), vocab.GradeWeak, member(e3, vocab.MemberReport)))
	flagged := func() string {
		t.Helper()
		var out []string
		for _, inc := range saved {
			if getIncident(t, s, inc.ID).NeedsReview {
				out = append(out, fmt.Sprint(inc.ID-saved[0].ID))
			}
		}
		return strings.Join(out, " ")
	}
	if f := flagged(); f != "" {
		t.Fatalf("flagged before any change: %s", f)
	}
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "drone strike on Sloviansk substation, revised")}, nil)
	if f := flagged(); f != "0" {
		t.Errorf("after an edit of E1, flagged %q, want its incident (0)", f)
	}
	if _, err := s.MarkDeleted(t.Context(), "ucdp-ged", []string{"E2"}); err != nil {
		t.Fatal(err)
	}
	if f := flagged(); f != "0 1" {
		t.Errorf("after E2 was deleted upstream, flagged %q, want 0 1", f)
	}
}

func testIncidentFilter(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	e1, e2, e3, c1 := incidentRecords(t, s)
	saved := saveIncidents(t, s,
		incidentOf(day0.Add(72*time.Hour), vocab.GradeWeak, member(e3, vocab.MemberReport)),
		incidentOf(day0, vocab.GradeConfirmed, member(e1, vocab.MemberReport), member(e2, vocab.MemberReport)),
		incidentOf(day0.Add(24*time.Hour), vocab.GradeContested, member(c1, vocab.MemberClaim)))
	ids := func(f store.IncidentFilter) []int64 {
		t.Helper()
		list, err := s.ListIncidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, inc := range list {
			if len(inc.Members) == 0 {
				t.Errorf("incident %d listed without members", inc.ID)
			}
			out = append(out, inc.ID)
		}
		return out
	}
	eq := func(got []int64, want ...int64) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	w, c, x := saved[0].ID, saved[1].ID, saved[2].ID
	for _, tt := range []struct {
		name string
		f    store.IncidentFilter
		want []int64
	}{
		{"all, by time", store.IncidentFilter{}, []int64{c, x, w}},
		{"grade", store.IncidentFilter{Grades: []vocab.Grade{vocab.GradeWeak, vocab.GradeContested}}, []int64{x, w}},
		{"time", store.IncidentFilter{From: day0.Add(time.Hour), To: day0.Add(48 * time.Hour)}, []int64{x}},
		{"record", store.IncidentFilter{Record: e2}, []int64{c}},
		{"status", store.IncidentFilter{Statuses: []vocab.Status{vocab.StatusConfirmed}}, nil},
		{"needs review", store.IncidentFilter{NeedsReview: true}, nil},
	} {
		if got := ids(tt.f); !eq(got, tt.want...) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func testLinkDecisions(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	e1, e2, _, c1 := incidentRecords(t, s)
	split, err := s.AddLinkDecision(ctx, incident.LinkDecision{A: e1, B: e2, Link: false, By: "ana", Reason: "two strikes an hour apart"})
	if err != nil {
		t.Fatal(err)
	}
	join, err := s.AddLinkDecision(ctx, incident.LinkDecision{A: e1, B: c1, Link: true, By: "bo", Reason: "the claim names this strike"})
	if err != nil {
		t.Fatal(err)
	}
	if split.ID == 0 || join.ID <= split.ID || split.AuditSeq == 0 || join.AuditSeq <= split.AuditSeq || split.At.IsZero() {
		t.Fatalf("stored %+v, %+v", split, join)
	}
	list, err := s.ListLinkDecisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0] != split || list[1] != join {
		t.Fatalf("listed %+v\nwant %+v, %+v", list, split, join)
	}
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if countAction(entries, "incident.split") != 1 || countAction(entries, "incident.join") != 1 {
		t.Errorf("audit entries: %+v", entries)
	}
	for _, e := range entries {
		if e.Seq == join.AuditSeq && (e.Actor != "bo" || !strings.Contains(string(e.Detail), "names this strike")) {
			t.Errorf("join's audit entry %+v", e)
		}
	}
	for _, bad := range []incident.LinkDecision{
		{A: e1, B: e1, Link: true, By: "ana"},
		{A: e1, B: vocab.Ref{Kind: "finding", ID: 1}, By: "ana"},
		{A: e1, B: e2},
	} {
		if _, err := s.AddLinkDecision(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("AddLinkDecision(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
}

func testIncidentInvalid(t *testing.T, b Backend) {
	s, _ := open(t, b)
	e1, _, _, _ := incidentRecords(t, s)
	bad := incidentOf(day0, "excellent", member(e1, vocab.MemberReport))
	twice := incidentOf(day0, vocab.GradeWeak, member(e1, vocab.MemberReport), member(e1, vocab.MemberReport))
	empty := incidentOf(day0, vocab.GradeWeak)
	for _, inc := range []incident.Incident{bad, twice, empty} {
		if _, err := s.SaveIncidents(t.Context(), []incident.Incident{inc}, "builder"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SaveIncidents(%+v) = %v, want ErrInvalid", inc, err)
		}
	}
	gone := incidentOf(day0, vocab.GradeWeak, member(e1, vocab.MemberReport))
	gone.ID = 999
	if _, err := s.SaveIncidents(t.Context(), []incident.Incident{gone}, "builder"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("saving an unknown id: %v, want ErrNotFound", err)
	}
	if list, err := s.ListIncidents(t.Context(), store.IncidentFilter{IncludeDissolved: true}); err != nil || len(list) != 0 {
		t.Errorf("a refused save wrote %d incidents (%v)", len(list), err)
	}
}

func testSourcesOfFormat(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	importBatch(t, s, "acled", []*event.Event{newEvent("acled", "E1", day0, "x")}, nil)
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: "gdelt-events", Format: "gdelt", File: "g.csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.AddEvent(ctx, newEvent("gdelt-events", "G1", day0, "y")); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.SourcesOfFormat(ctx, "gdelt")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "gdelt-events" {
		t.Errorf("SourcesOfFormat(gdelt) = %v, want [gdelt-events]", got)
	}
	if got, err := s.SourcesOfFormat(ctx, "strikes"); err != nil || len(got) != 0 {
		t.Errorf("SourcesOfFormat(strikes) = %v, %v; want none", got, err)
	}
}

// testIncidentParts: one claim alleging two acts has each act (claim/7#1,
// claim/7#2) in its own incident; the record filter finds both from the
// whole record and one from a part; a record is a member whole or by its
// allegations, never both, so the whole taking a part's place moves it.
func testIncidentParts(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	e1, _, e3, c1 := incidentRecords(t, s)
	p1, p2 := c1, c1
	p1.Part, p2.Part = 1, 2
	saved := saveIncidents(t, s,
		incidentOf(day0, vocab.GradeFair, member(e1, vocab.MemberReport), member(p1, vocab.MemberClaim)),
		incidentOf(day0.Add(72*time.Hour), vocab.GradeWeak, member(e3, vocab.MemberReport), member(p2, vocab.MemberClaim)))
	a, other := saved[0], saved[1]
	if got := memberRefs(getIncident(t, s, a.ID)); len(got) != 2 || got[p1] != vocab.MemberClaim {
		t.Errorf("incident with claim part 1: %v", got)
	}
	got := getIncident(t, s, other.ID)
	if refs := memberRefs(got); len(refs) != 2 || refs[p2] != vocab.MemberClaim {
		t.Errorf("incident with claim part 2: %v", refs)
	}
	for _, m := range got.Members {
		if m.Record == p2 && (m.Source != "claims" || m.SourceID != "C1" || m.Record.String() != c1.String()+"#2") {
			t.Errorf("part member %+v", m)
		}
	}
	ids := func(r vocab.Ref) []int64 {
		list, err := s.ListIncidents(ctx, store.IncidentFilter{Record: r})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, inc := range list {
			out = append(out, inc.ID)
		}
		return out
	}
	if got := ids(c1); len(got) != 2 || got[0] != a.ID || got[1] != other.ID {
		t.Errorf("incidents of %s: %v, want %d and %d", c1, got, a.ID, other.ID)
	}
	if got := ids(p2); len(got) != 1 || got[0] != other.ID {
		t.Errorf("incidents of %s: %v, want %d", p2, got, other.ID)
	}

	// The same part twice, or the whole with a part, in one save is refused.
	for _, inc := range []incident.Incident{
		incidentOf(day0, vocab.GradeWeak, member(p1, vocab.MemberClaim), member(p1, vocab.MemberClaim)),
		incidentOf(day0, vocab.GradeWeak, member(c1, vocab.MemberClaim), member(p2, vocab.MemberClaim)),
	} {
		if _, err := s.SaveIncidents(ctx, []incident.Incident{inc}, "builder"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SaveIncidents(%v) = %v, want ErrInvalid", memberRefs(inc), err)
		}
	}

	// Part 2 moves into a: other keeps e3 alone and is flagged.
	a = getIncident(t, s, a.ID)
	a.Members = append(a.Members, member(p2, vocab.MemberClaim))
	saveIncidents(t, s, a)
	if got := memberRefs(getIncident(t, s, a.ID)); len(got) != 3 || got[p1] == "" || got[p2] == "" {
		t.Errorf("after moving part 2: %v", got)
	}
	if left := getIncident(t, s, other.ID); len(left.Members) != 1 || !left.NeedsReview {
		t.Errorf("incident that lost part 2: %v, needs_review %v", memberRefs(left), left.NeedsReview)
	}

	// The whole claim in other takes both parts from a.
	other = getIncident(t, s, other.ID)
	other.Members = append(other.Members, member(c1, vocab.MemberClaim))
	saveIncidents(t, s, other)
	if got := memberRefs(getIncident(t, s, a.ID)); len(got) != 1 || got[e1] == "" {
		t.Errorf("after the whole claim moved: %v", got)
	}
	if got := ids(p1); len(got) != 1 || got[0] != other.ID {
		t.Errorf("incidents of %s after the whole moved: %v, want %d", p1, got, other.ID)
	}
}

// testPartLinkDecisions: a join or split names allegations, kept as given;
// two parts of one record are two records to decide on.
func testPartLinkDecisions(t *testing.T, b Backend) {
	s, _ := open(t, b)
	ctx := t.Context()
	e1, _, _, c1 := incidentRecords(t, s)
	p1, p2 := c1, c1
	p1.Part, p2.Part = 1, 2
	join, err := s.AddLinkDecision(ctx, incident.LinkDecision{A: p2, B: e1, Link: true, By: "ana", Reason: "the second act is this strike"})
	if err != nil {
		t.Fatal(err)
	}
	split, err := s.AddLinkDecision(ctx, incident.LinkDecision{A: p1, B: p2, Link: false, By: "ana", Reason: "two acts"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListLinkDecisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0] != join || list[1] != split || list[0].A != p2 || list[1].A.Part != 1 || list[1].B.Part != 2 {
		t.Fatalf("listed %+v\nwant %+v, %+v", list, join, split)
	}
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Seq == join.AuditSeq && e.Subject != p2.String()+" "+e1.String() {
			t.Errorf("join's audit subject %q", e.Subject)
		}
	}
	bad := p1
	bad.Part = -1
	if _, err := s.AddLinkDecision(ctx, incident.LinkDecision{A: bad, B: e1, By: "ana"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("negative part: %v, want ErrInvalid", err)
	}
}
