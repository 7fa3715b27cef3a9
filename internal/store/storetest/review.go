package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/review"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/vocab"
)

// testReviews holds the review workflow's records to their promises:
// compare-and-set transitions written with their audit entries, evidence
// files stored once, items superseded but never changed, and the workflow
// rules of internal/review enforced end to end on the real store.
func testReviews(t *testing.T, b Backend) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, b Backend)
	}{
		{"Transition", testReviewTransition},
		{"Conflict", testReviewConflict},
		{"Seen", testReviewSeen},
		{"Atomic", testReviewAtomic},
		{"Incident", testReviewIncident},
		{"MachineOnly", testReviewMachineOnly},
		{"EvidenceFiles", testEvidenceFiles},
		{"EvidenceInvalid", testEvidenceInvalid},
		{"Supersede", testEvidenceSupersede},
		{"AppendOnly", testReviewAppendOnly},
		{"NotFound", testReviewNotFound},
		{"Workflow", testReviewWorkflow},
		{"Upstream", testReviewUpstream},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, b)
		})
	}
}

const reviewAgreement = "ua-ru-energy"

// newFinding stores an event of source (imported in format) and one
// finding on it, and returns the finding.
func newFinding(t *testing.T, s store.Store, source, format, id string) store.FindingRecord {
	t.Helper()
	ctx := t.Context()
	if _, err := s.GetAgreementVersion(ctx, reviewAgreement, 1); errors.Is(err, store.ErrNotFound) {
		putVersion(t, s, reviewAgreement, 1, "Energy moratorium")
	}
	importFormat(t, s, source, format, newEvent(source, id, day0, "drone strike on a substation"))
	e := getEvent(t, s, source, id)
	replace(t, s, eventSet(reviewAgreement, 1, e, result("energy-strikes", "UA", "RU", "candidate", "strike")))
	fs := listFindings(t, s, store.FindingFilter{AgreementID: reviewAgreement, Version: 1, Record: vocab.Ref{Kind: vocab.KindEvent, ID: e.ID}})
	if len(fs) != 1 {
		t.Fatalf("%d findings on %s/%s, want 1", len(fs), source, id)
	}
	return fs[0]
}

// importFormat imports events as one batch of the given format.
func importFormat(t *testing.T, s store.Store, source, format string, events ...*event.Event) {
	t.Helper()
	ctx := t.Context()
	im, err := s.BeginImport(ctx, store.ImportMeta{Source: source, Format: format, File: source + ".csv"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range events {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func findingSubject(f store.FindingRecord) vocab.Ref {
	return vocab.Ref{Kind: vocab.KindFinding, ID: f.ID}
}

func reviewState(t *testing.T, s store.Store, subj vocab.Ref) review.State {
	t.Helper()
	st, err := s.ReviewState(t.Context(), subj)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func auditCount(t *testing.T, s store.Store) int {
	t.Helper()
	entries, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func count(t *testing.T, b Backend, dsn, query string) int {
	t.Helper()
	var n int
	if err := b.QueryRow(t.Context(), dsn, query, &n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func testReviewTransition(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	f := newFinding(t, s, "acled", "acled-csv", "UKR1")
	subj := findingSubject(f)
	st := reviewState(t, s, subj)
	if st.Subject != subj || st.Status != vocab.StatusAlleged || st.NeedsReview || st.Revision != 0 || st.MachineOnly || st.JudgedVersion != 1 ||
		len(st.History) != 0 || len(st.Evidence) != 0 {
		t.Fatalf("new finding's state %+v", st)
	}

	before := time.Now().Add(-time.Second)
	tr, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated,
		By: "alice", Reason: "two outlets and a video"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID == 0 || tr.AuditSeq == 0 || tr.At.Before(before) || tr.RecordVersion != 1 || tr.By != "alice" {
		t.Errorf("stored transition %+v", tr)
	}
	st = reviewState(t, s, subj)
	if st.Status != vocab.StatusCorroborated || st.Revision != 1 || len(st.History) != 1 {
		t.Fatalf("after a transition: %+v", st)
	}
	if got := st.History[0]; got != tr {
		t.Errorf("history %+v, ApplyTransition returned %+v", got, tr)
	}
	entries, err := s.ListAudit(ctx, tr.AuditSeq-1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("no audit entry %d", tr.AuditSeq)
	}
	e := entries[0]
	if e.Actor != "alice" || e.Action != "review.transition" || e.Subject != fmt.Sprintf("finding/%d", f.ID) || !e.At.Equal(tr.At) {
		t.Errorf("audit entry %+v", e)
	}
	if !jsonEqual(t, e.Detail, []byte(`{"from":"alleged","to":"corroborated","reason":"two outlets and a video"}`)) {
		t.Errorf("audit detail %s", e.Detail)
	}
	if got, err := s.GetFinding(ctx, f.ID); err != nil || got.Status != vocab.StatusCorroborated || got.ID != f.ID {
		t.Errorf("GetFinding = %+v, %v", got, err)
	}

	// A new version upstream flags the finding; re-affirming clears it and
	// records the version judged.
	importFormat(t, s, "acled", "acled-csv", newEvent("acled", "UKR1", day0, "drone strike on a substation, corrected"))
	st = reviewState(t, s, subj)
	if !st.NeedsReview || st.JudgedVersion != 1 {
		t.Fatalf("after a new version of the record: flagged %v, judged version %d; want flagged, 1", st.NeedsReview, st.JudgedVersion)
	}
	tr2, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusCorroborated, To: vocab.StatusCorroborated,
		By: "bob", Reason: "the correction changes nothing"}, st.Revision)
	if err != nil {
		t.Fatal(err)
	}
	st = reviewState(t, s, subj)
	if st.NeedsReview || st.Revision != 2 || tr2.RecordVersion != 2 || st.History[1].RecordVersion != 2 || st.JudgedVersion != 2 {
		t.Errorf("after re-affirming: %+v, transition %+v", st, tr2)
	}
}

func testReviewConflict(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	move := func(from, to vocab.Status, revision int) error {
		_, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: from, To: to, By: "alice", Reason: "r"}, revision)
		return err
	}
	if err := move(vocab.StatusAlleged, vocab.StatusCorroborated, 0); err != nil {
		t.Fatal(err)
	}
	audits := auditCount(t, s)
	for _, tc := range []struct {
		name     string
		from     vocab.Status
		revision int
	}{
		{"stale revision", vocab.StatusCorroborated, 0},
		{"stale status", vocab.StatusAlleged, 1},
		{"revision from the future", vocab.StatusCorroborated, 5},
	} {
		if err := move(tc.from, vocab.StatusRefuted, tc.revision); !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: error %v, want ErrConflict", tc.name, err)
		}
	}
	if st := reviewState(t, s, subj); st.Status != vocab.StatusCorroborated || st.Revision != 1 || len(st.History) != 1 {
		t.Errorf("refused transitions changed the state: %+v", st)
	}
	if n := auditCount(t, s); n != audits {
		t.Errorf("refused transitions wrote %d audit entries", n-audits)
	}

	// Of writers racing from one state, exactly one wins.
	const racers = 6
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			errs[i] = move(vocab.StatusCorroborated, vocab.Statuses()[2+i%4], 1)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("racing writer: %v, want ErrConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d racing writers won, want 1", won)
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM review_transitions"); n != 2 {
		t.Errorf("%d transitions stored, want 2", n)
	}
}

// refuseInserts makes every insert into table fail, until the returned
// function drops the trigger.
func refuseInserts(t *testing.T, b Backend, dsn, table string) func() {
	t.Helper()
	ctx := t.Context()
	name := "test_refuse_" + table
	var stmts, drop []string
	if b.Name == "postgres" {
		stmts = []string{
			"CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test refuses the insert'; END; $$",
			"CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "()",
		}
		drop = []string{"DROP TRIGGER " + name + " ON " + table, "DROP FUNCTION " + name + "()"}
	} else {
		stmts = []string{"CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " BEGIN SELECT RAISE(ABORT, 'test refuses the insert'); END"}
		drop = []string{"DROP TRIGGER " + name}
	}
	for _, q := range stmts {
		if err := b.Exec(ctx, dsn, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return func() {
		for _, q := range drop {
			if err := b.Exec(ctx, dsn, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// A transition and its audit entry, an item, its file and its audit
// entry: each commits whole or not at all.
func testReviewAtomic(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	audits := auditCount(t, s)

	restore := refuseInserts(t, b, dsn, "review_transitions")
	_, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "alice", Reason: "r"}, 0)
	if err == nil {
		t.Fatal("the transition was stored though its row was refused")
	}
	if st := reviewState(t, s, subj); st.Status != vocab.StatusAlleged || st.Revision != 0 {
		t.Errorf("a failed transition left the status %s at revision %d", st.Status, st.Revision)
	}
	if n := auditCount(t, s); n != audits {
		t.Errorf("a failed transition left %d audit entries", n-audits)
	}
	restore()

	restore = refuseInserts(t, b, dsn, "evidence_items")
	_, err = s.AddEvidence(ctx, review.EvidenceItem{Subject: subj, AddedBy: "carol", FileName: "a.txt"}, []byte("a photo"))
	if err == nil {
		t.Fatal("the item was stored though its row was refused")
	}
	if n := auditCount(t, s); n != audits {
		t.Errorf("a failed item left %d audit entries", n-audits)
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM evidence_files"); n != 0 {
		t.Errorf("a failed item left %d files", n)
	}
	restore()

	// Once nothing refuses, both go through, at the same revision.
	if _, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "alice", Reason: "r"}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: subj, AddedBy: "carol"}, []byte("a photo")); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s); n != audits+2 {
		t.Errorf("%d audit entries written, want 2", n-audits)
	}
}

// newIncident inserts an incident row past the store: the review needs
// only its review columns.
func newIncident(t *testing.T, b Backend, dsn string, machineOnly bool) vocab.Ref {
	t.Helper()
	err := b.Exec(t.Context(), dsn, fmt.Sprintf(`INSERT INTO incidents (time_start, time_end, grade, grade_reason, machine_only, created_at, updated_at)
		VALUES ('2025-03-18T00:00:00.000000Z', '2025-03-19T00:00:00.000000Z', 'weak', '{}', %v, '2025-03-20T00:00:00.000000Z', '2025-03-20T00:00:00.000000Z')`,
		strings.ToUpper(fmt.Sprint(machineOnly))))
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := b.QueryRow(t.Context(), dsn, "SELECT MAX(id) FROM incidents", &id); err != nil {
		t.Fatal(err)
	}
	return vocab.Ref{Kind: vocab.KindIncident, ID: id}
}

func testReviewIncident(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	inc := newIncident(t, b, dsn, false)
	gdelt := newIncident(t, b, dsn, true)
	st := reviewState(t, s, inc)
	if st.Status != vocab.StatusAlleged || st.Revision != 0 || st.MachineOnly {
		t.Errorf("new incident's state %+v", st)
	}
	if st := reviewState(t, s, gdelt); !st.MachineOnly {
		t.Error("machine_only incident not MachineOnly")
	}
	tr, err := s.ApplyTransition(ctx, review.Transition{Subject: inc, From: vocab.StatusAlleged, To: vocab.StatusInconclusive, By: "bob", Reason: "sources disagree"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if tr.RecordVersion != 0 {
		t.Errorf("an incident's transition has record version %d", tr.RecordVersion)
	}
	if st := reviewState(t, s, inc); st.Status != vocab.StatusInconclusive || st.Revision != 1 || len(st.History) != 1 {
		t.Errorf("after a transition: %+v", st)
	}
	if st := reviewState(t, s, gdelt); st.Status != vocab.StatusAlleged || len(st.History) != 0 {
		t.Errorf("another incident changed: %+v", st)
	}
	entries, err := s.ListAudit(ctx, tr.AuditSeq-1, 1)
	if err != nil || len(entries) != 1 || entries[0].Subject != inc.String() {
		t.Errorf("audit entry %+v, %v", entries, err)
	}
	item, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: inc, URL: "https://example.org/report", AddedBy: "carol"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if items, err := s.ListEvidence(ctx, inc, false); err != nil || len(items) != 1 || items[0].ID != item.ID || items[0].Subject != inc {
		t.Errorf("incident evidence %+v, %v", items, err)
	}
}

// A finding is machine-only when its record's source was imported from
// GDELT.
func testReviewMachineOnly(t *testing.T, b Backend) {
	s, _ := open(t, b)
	acled := newFinding(t, s, "acled", "acled-csv", "UKR1")
	gdelt := newFinding(t, s, "gdelt", "gdelt", "1234567890")
	if reviewState(t, s, findingSubject(acled)).MachineOnly {
		t.Error("an ACLED finding is machine-only")
	}
	if !reviewState(t, s, findingSubject(gdelt)).MachineOnly {
		t.Error("a GDELT finding is not machine-only")
	}
}

// pngBytes starts like a PNG file, which DetectContentType recognises.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR a picture of a crater")

func testEvidenceFiles(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	one := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	two := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR2"))
	sum := sha256.Sum256(pngBytes)
	want := hex.EncodeToString(sum[:])

	lat, lon := 48.8512, 37.6031
	a, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: one, FileName: "crater.png", Lat: &lat, Lon: &lon,
		GeoMethod: "skyline matched to satellite imagery", Chronolocation: "shadows: about 09:00 local", Notes: "from a Telegram channel",
		URL: "https://t.me/x/1", AddedBy: "carol"}, pngBytes)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.SHA256 != want || a.Size != int64(len(pngBytes)) || a.MediaType != "image/png" || a.AuditSeq == 0 || a.AddedAt.IsZero() {
		t.Errorf("stored item %+v", a)
	}
	// The same file on another subject, with a type given: stored once,
	// and the first upload's type stands.
	b2, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: two, FileName: "copy.png", MediaType: "application/octet-stream", AddedBy: "carol"}, pngBytes)
	if err != nil {
		t.Fatal(err)
	}
	if b2.SHA256 != want || b2.MediaType != "image/png" {
		t.Errorf("second upload %+v", b2)
	}
	// A file already stored can be cited by its hash alone.
	c, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: two, SHA256: want, Notes: "same picture", AddedBy: "carol"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != int64(len(pngBytes)) || c.MediaType != "image/png" {
		t.Errorf("cited file %+v", c)
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM evidence_files"); n != 1 {
		t.Errorf("%d files stored for one content, want 1", n)
	}
	got, err := s.EvidenceFile(ctx, want)
	if err != nil || string(got) != string(pngBytes) {
		t.Errorf("EvidenceFile = %q, %v", got, err)
	}
	text, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: one, AddedBy: "carol"}, []byte("witness statement, typed"))
	if err != nil || text.MediaType != "text/plain; charset=utf-8" {
		t.Errorf("text file %+v, %v", text, err)
	}

	items, err := s.ListEvidence(ctx, one, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items on %s, want 2", len(items), one)
	}
	if got := items[0]; got.ID != a.ID || got.URL != a.URL || *got.Lat != lat || *got.Lon != lon || got.GeoMethod != a.GeoMethod ||
		got.Chronolocation != a.Chronolocation || got.Notes != a.Notes || got.FileName != "crater.png" || got.SHA256 != want ||
		got.Size != a.Size || got.MediaType != "image/png" || got.AddedBy != "carol" || !got.AddedAt.Equal(a.AddedAt) || got.AuditSeq != a.AuditSeq {
		t.Errorf("read back %+v\nstored %+v", got, a)
	}
	entries, err := s.ListAudit(ctx, a.AuditSeq-1, 1)
	if err != nil || len(entries) != 1 || entries[0].Action != "evidence.add" || entries[0].Actor != "carol" || entries[0].Subject != one.String() ||
		!strings.Contains(string(entries[0].Detail), want) {
		t.Errorf("audit entry %+v, %v", entries, err)
	}
}

func testEvidenceInvalid(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	lat, lon, far := 48.85, 37.6, 91.0
	audits := auditCount(t, s)
	for _, tc := range []struct {
		name    string
		item    review.EvidenceItem
		content []byte
	}{
		{"nothing", review.EvidenceItem{}, nil},
		{"no one added it", review.EvidenceItem{Notes: "x", AddedBy: "-"}, nil},
		{"empty file", review.EvidenceItem{}, []byte{}},
		{"latitude alone", review.EvidenceItem{Lat: &lat, GeoMethod: "m"}, nil},
		{"no geolocation method", review.EvidenceItem{Lat: &lat, Lon: &lon}, nil},
		{"latitude out of range", review.EvidenceItem{Lat: &far, Lon: &lon, GeoMethod: "m"}, nil},
		{"method without place", review.EvidenceItem{GeoMethod: "m"}, nil},
		{"unknown file hash", review.EvidenceItem{SHA256: strings.Repeat("ab", 32)}, nil},
		{"not a hash", review.EvidenceItem{SHA256: "photo.jpg"}, nil},
		{"supersedes no item", review.EvidenceItem{Notes: "x", Supersedes: 99}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			item := tc.item
			item.Subject = subj
			switch item.AddedBy {
			case "":
				item.AddedBy = "carol"
			case "-":
				item.AddedBy = ""
			}
			_, err := s.AddEvidence(ctx, item, tc.content)
			checkErr(t, err, store.ErrInvalid)
		})
	}
	if n := auditCount(t, s); n != audits {
		t.Errorf("refused items wrote %d audit entries", n-audits)
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM evidence_items"); n != 0 {
		t.Errorf("refused items stored %d rows", n)
	}
}

func testEvidenceSupersede(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	other := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR2"))
	add := func(subj vocab.Ref, notes string, supersedes int64) (review.EvidenceItem, error) {
		return s.AddEvidence(ctx, review.EvidenceItem{Subject: subj, Notes: notes, Supersedes: supersedes, AddedBy: "carol"}, nil)
	}
	must := func(item review.EvidenceItem, err error) review.EvidenceItem {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return item
	}
	first := must(add(subj, "geolocated to the wrong street", 0))
	second := must(add(subj, "geolocated to Vokzalna street", first.ID))
	elsewhere := must(add(other, "unrelated", 0))
	if second.Supersedes != first.ID {
		t.Errorf("second item %+v", second)
	}

	_, err := add(subj, "again", first.ID)
	checkErr(t, err, store.ErrInvalid)
	if !strings.Contains(err.Error(), fmt.Sprintf("already superseded by item %d", second.ID)) {
		t.Errorf("error %q does not name the successor", err)
	}
	_, err = add(subj, "across subjects", elsewhere.ID)
	checkErr(t, err, store.ErrInvalid)

	third := must(add(subj, "Vokzalna street, number 12", second.ID))
	ids := func(items []review.EvidenceItem) string {
		var out []string
		for _, it := range items {
			out = append(out, fmt.Sprintf("%d>%d", it.ID, it.SupersededBy))
		}
		return strings.Join(out, " ")
	}
	standing, err := s.ListEvidence(ctx, subj, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(standing), fmt.Sprintf("%d>0", third.ID); got != want {
		t.Errorf("standing items %s, want %s", got, want)
	}
	all, err := s.ListEvidence(ctx, subj, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(all), fmt.Sprintf("%d>%d %d>%d %d>0", first.ID, second.ID, second.ID, third.ID, third.ID); got != want {
		t.Errorf("all items %s, want %s", got, want)
	}
	if st := reviewState(t, s, subj); ids(st.Evidence) != ids(standing) {
		t.Errorf("review state evidence %s, want the standing %s", ids(st.Evidence), ids(standing))
	}
}

func testReviewAppendOnly(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	subj := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	if _, err := s.ApplyTransition(ctx, review.Transition{Subject: subj, From: vocab.StatusAlleged, To: vocab.StatusCorroborated, By: "alice", Reason: "r"}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvidence(ctx, review.EvidenceItem{Subject: subj, AddedBy: "carol"}, pngBytes); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE review_transitions SET reason = 'rewritten'",
		"DELETE FROM review_transitions",
		"UPDATE evidence_items SET notes = 'rewritten'",
		"DELETE FROM evidence_items",
		"UPDATE evidence_files SET media_type = 'text/plain'",
		"DELETE FROM evidence_files",
	} {
		if err := b.Exec(ctx, dsn, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want append-only", q, err)
		}
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM review_transitions WHERE reason = 'r'"); n != 1 {
		t.Errorf("%d transitions as written, want 1", n)
	}
	if n := count(t, b, dsn, "SELECT COUNT(*) FROM evidence_items"); n != 1 {
		t.Errorf("%d items left, want 1", n)
	}
}

func testReviewNotFound(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	newFinding(t, s, "acled", "acled-csv", "UKR1")
	missing := vocab.Ref{Kind: vocab.KindFinding, ID: 999}
	noIncident := vocab.Ref{Kind: vocab.KindIncident, ID: 1}
	_, err := s.ReviewState(ctx, missing)
	checkErr(t, err, store.ErrNotFound)
	_, err = s.ReviewState(ctx, noIncident)
	checkErr(t, err, store.ErrNotFound)
	_, err = s.ApplyTransition(ctx, review.Transition{Subject: missing, From: vocab.StatusAlleged, To: vocab.StatusRefuted, By: "a", Reason: "r"}, 0)
	checkErr(t, err, store.ErrNotFound)
	_, err = s.AddEvidence(ctx, review.EvidenceItem{Subject: noIncident, Notes: "x", AddedBy: "a"}, nil)
	checkErr(t, err, store.ErrNotFound)
	_, err = s.EvidenceFile(ctx, strings.Repeat("0", 64))
	checkErr(t, err, store.ErrNotFound)
	_, err = s.GetFinding(ctx, 999)
	checkErr(t, err, store.ErrNotFound)
	_, err = s.ReviewState(ctx, vocab.Ref{Kind: "event", ID: 1})
	checkErr(t, err, store.ErrInvalid)
}

// addUsers stores users given as name:role[:disabled].
func addUsers(t *testing.T, s store.Store, specs ...string) {
	t.Helper()
	for _, spec := range specs {
		parts := strings.Split(spec, ":")
		u := auth.User{Name: parts[0], Role: vocab.Role(parts[1]), Disabled: len(parts) > 2}
		if _, err := s.AddUser(t.Context(), u, "setup"); err != nil {
			t.Fatal(err)
		}
	}
}

// The workflow rules of internal/review, end to end on the store.
func testReviewWorkflow(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	addUsers(t, s, "alice:monitor", "bob:monitor", "carol:analyst", "dave:viewer", "eve:monitor:disabled", "root:admin")
	svc := newReviewer(t, s)
	f := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR1"))
	g := findingSubject(newFinding(t, s, "acled", "acled-csv", "UKR2"))
	machine := findingSubject(newFinding(t, s, "gdelt", "gdelt", "1234567890"))
	status := func(subj vocab.Ref) vocab.Status { return reviewState(t, s, subj).Status }
	step := func(by string, subj vocab.Ref, to vocab.Status) error {
		// Each step is taken on the subject as its author sees it now.
		_, err := svc.Transition(ctx, by, subj, to, "because", review.Seen{Status: status(subj)}, false)
		return err
	}
	users := map[string]auth.User{}
	for _, n := range []string{"alice", "dave", "carol", "root"} {
		u, err := s.GetUser(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		users[n] = u
	}
	visible := func(who string, subj vocab.Ref) bool {
		st := reviewState(t, s, subj)
		return review.CanSee(users[who], st.Status, st.NeedsReview)
	}

	t.Run("second reviewer", func(t *testing.T) {
		if err := step("alice", f, vocab.StatusCorroborated); err != nil {
			t.Fatal(err)
		}
		err := step("alice", f, vocab.StatusConfirmed)
		checkErr(t, err, review.ErrSecondReviewer)
		if !strings.Contains(err.Error(), "confirming needs a second reviewer: alice moved it to corroborated") {
			t.Errorf("error %q does not say who must not confirm", err)
		}
		if got := status(f); got != vocab.StatusCorroborated {
			t.Fatalf("refused confirmation left %s", got)
		}
		if err := step("bob", f, vocab.StatusConfirmed); err != nil {
			t.Fatal(err)
		}
		st := reviewState(t, s, f)
		if st.Status != vocab.StatusConfirmed || len(st.History) != 2 || st.History[1].By != "bob" || st.History[1].From != vocab.StatusCorroborated {
			t.Errorf("after confirming: %+v", st)
		}
	})
	t.Run("viewer sees only published", func(t *testing.T) {
		if !visible("dave", f) || visible("dave", g) || visible("dave", machine) {
			t.Errorf("viewer sees confirmed %v, alleged %v, %v", visible("dave", f), visible("dave", g), visible("dave", machine))
		}
		if !visible("carol", g) || !visible("alice", g) || !visible("root", g) {
			t.Error("analyst, monitor or admin cannot see an unpublished finding")
		}
		// Sent back for review by an upstream edit: unpublished again.
		importFormat(t, s, "acled", "acled-csv", newEvent("acled", "UKR1", day0, "edited upstream"))
		if visible("dave", f) {
			t.Error("viewer sees a confirmed finding flagged for review")
		}
		// Re-affirming a confirmation is a confirmation: not by the
		// first reviewer either.
		checkErr(t, step("alice", f, vocab.StatusConfirmed), review.ErrSecondReviewer)
		if err := step("bob", f, vocab.StatusConfirmed); err != nil {
			t.Fatalf("re-affirming: %v", err)
		}
		if !visible("dave", f) {
			t.Error("viewer cannot see a re-affirmed confirmed finding")
		}
	})
	t.Run("evidence for refuted", func(t *testing.T) {
		err := step("bob", g, vocab.StatusRefuted)
		checkErr(t, err, review.ErrNeedsEvidence)
		if _, err := svc.AddEvidence(ctx, "carol", review.EvidenceItem{Subject: g, URL: "https://example.org/debunk"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := step("bob", g, vocab.StatusRefuted); err != nil {
			t.Fatal(err)
		}
		if got := status(g); got != vocab.StatusRefuted {
			t.Errorf("status %s, want refuted", got)
		}
	})
	t.Run("who may act", func(t *testing.T) {
		before := reviewState(t, s, machine)
		for _, who := range []string{"eve", "carol", "dave"} {
			err := step(who, machine, vocab.StatusInconclusive)
			checkErr(t, err, auth.ErrDenied)
		}
		// Acting is by token: a token of no user, or none, is refused
		// before any rule is checked.
		for _, who := range []string{"nobody", ""} {
			err := step(who, machine, vocab.StatusInconclusive)
			checkErr(t, err, app.ErrUnauthenticated)
		}
		_, err := svc.AddEvidence(ctx, "eve", review.EvidenceItem{Subject: machine, Notes: "x"}, nil)
		checkErr(t, err, auth.ErrDenied)
		if !strings.Contains(err.Error(), "disabled") {
			t.Errorf("error %q does not say the user is disabled", err)
		}
		_, err = svc.AddEvidence(ctx, "dave", review.EvidenceItem{Subject: machine, Notes: "x"}, nil)
		checkErr(t, err, auth.ErrDenied)
		if after := reviewState(t, s, machine); after.Revision != before.Revision || len(after.Evidence) != 0 {
			t.Errorf("refused users changed %+v", after)
		}
	})
	t.Run("machine-only stays alleged", func(t *testing.T) {
		err := step("alice", machine, vocab.StatusCorroborated)
		checkErr(t, err, review.ErrMachineOnly)
		if got := status(machine); got != vocab.StatusAlleged {
			t.Fatalf("status %s, want alleged", got)
		}
		if _, err := svc.AddEvidence(ctx, "alice", review.EvidenceItem{Subject: machine, URL: "https://example.org/photo"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := step("alice", machine, vocab.StatusCorroborated); err != nil {
			t.Errorf("with evidence: %v", err)
		}
	})
	t.Run("transitions name who, when, from, to, why", func(t *testing.T) {
		for _, tr := range reviewState(t, s, f).History {
			if tr.By == "" || tr.At.IsZero() || tr.From == "" || tr.To == "" || tr.Reason != "because" || tr.AuditSeq == 0 {
				t.Errorf("transition %+v", tr)
			}
		}
	})
}

// review.Upstream reads the judged and current versions from the store.
func testReviewUpstream(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	f := newFinding(t, s, "acled", "acled-csv", "UKR1")
	u, err := review.Upstream(ctx, s, vocab.KindEvent, "acled", "UKR1", f.RecordVersion)
	if err != nil || u.Changed() || len(u.Changes) != 0 {
		t.Fatalf("unchanged record: %+v, %v", u, err)
	}
	importFormat(t, s, "acled", "acled-csv", newEvent("acled", "UKR1", day0, "a corrected note"))
	u, err = review.Upstream(ctx, s, vocab.KindEvent, "acled", "UKR1", f.RecordVersion)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"text":      {"drone strike on a substation", "a corrected note"},
		"raw.notes": {"drone strike on a substation", "a corrected note"},
	}
	if !u.Changed() || u.JudgedVersion != 1 || u.Version != 2 || u.Deleted || len(u.Changes) != len(want) {
		t.Fatalf("after an edit: %+v", u)
	}
	for _, c := range u.Changes {
		if w, ok := want[c.Field]; !ok || w != [2]string{c.Judged, c.Now} {
			t.Errorf("change %+v, want %v", c, want)
		}
	}
	// Evaluating the new version moves the finding on, but no one has
	// judged it: the version judged is still the one the finding was made on.
	replace(t, s, eventSet(reviewAgreement, 1, getEvent(t, s, "acled", "UKR1"), result("energy-strikes", "UA", "RU", "candidate", "strike")))
	if got, err := s.GetFinding(ctx, f.ID); err != nil || got.RecordVersion != 2 {
		t.Fatalf("re-evaluated finding: %+v, %v", got, err)
	}
	if st := reviewState(t, s, findingSubject(f)); st.JudgedVersion != 1 || !st.NeedsReview {
		t.Errorf("re-evaluated, never reviewed: judged version %d, flagged %v; want 1, flagged", st.JudgedVersion, st.NeedsReview)
	}
	if _, err := s.MarkDeleted(ctx, "acled", []string{"UKR1"}); err != nil {
		t.Fatal(err)
	}
	u, err = review.Upstream(ctx, s, vocab.KindEvent, "acled", "UKR1", f.RecordVersion)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Deleted || u.Version != 3 || u.Changes[0] != (review.Change{Field: "deleted", Judged: "false", Now: "true"}) {
		t.Errorf("after a deletion: %+v", u)
	}
	_, err = review.Upstream(ctx, s, vocab.KindEvent, "acled", "UKR1", 7)
	if err == nil {
		t.Error("no error for a version never stored")
	}
}
