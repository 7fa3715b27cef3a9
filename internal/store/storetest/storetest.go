// Package storetest is the conformance suite every store backend must pass.
// A backend's test describes how to make, open and poke at a database of its
// kind; Run does the rest, so both backends are held to the same rules.
package storetest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// Backend is a database kind under test.
type Backend struct {
	// Name is what Store.Backend must report.
	Name string
	// NewDSN creates an empty database for t, removed when t ends, and
	// returns what Open takes to reach it.
	NewDSN func(t testing.TB) string
	// Open opens dsn as the program does, migrating it.
	Open func(ctx context.Context, dsn string) (store.Store, error)
	// Exec runs SQL on dsn past the store, to make states the store never
	// would, such as a schema from the future.
	Exec func(ctx context.Context, dsn, query string) error
	// QueryRow reads one row on dsn past the store, to check what it wrote
	// where no method reads it back.
	QueryRow func(ctx context.Context, dsn, query string, dest ...any) error
}

// SQLExec is a Backend.Exec through database/sql with the named driver.
func SQLExec(driver string) func(ctx context.Context, dsn, query string) error {
	return func(ctx context.Context, dsn, query string) error {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, query)
		return err
	}
}

// SQLQueryRow is a Backend.QueryRow through database/sql with the named
// driver.
func SQLQueryRow(driver string) func(ctx context.Context, dsn, query string, dest ...any) error {
	return func(ctx context.Context, dsn, query string, dest ...any) error {
		db, err := sql.Open(driver, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		return db.QueryRowContext(ctx, query).Scan(dest...)
	}
}

// Run runs the suite, each subtest in parallel on a fresh database.
func Run(t *testing.T, b Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b Backend)
	}{
		{"Backend", testBackend},
		{"Migrate", testMigrate},
		{"ReopenIsNoop", testReopen},
		{"ConcurrentOpen", testConcurrentOpen},
		{"SchemaTooNew", testSchemaTooNew},
		{"PutAgreementVersion", testPutAgreementVersion},
		{"GetAgreementVersion", testGetAgreementVersion},
		{"ListAgreementVersions", testListAgreementVersions},
		{"ListAgreements", testListAgreements},
		{"AgreementRoundTrip", testAgreementRoundTrip},
		{"PositionsVersions", testPositionsVersions},
		{"PositionsConcurrent", testPositionsConcurrent},
		{"AppendAudit", testAppendAudit},
		{"AppendAuditRejects", testAppendAuditRejects},
		{"ListAudit", testListAudit},
		{"AuditChain", testAuditChain},
		{"ConcurrentAppends", testConcurrentAppends},
		{"AuditVerify", testAuditVerify},
		{"AuditTamper", testAuditTamper},
		{"VerifyState", testVerifyState},
		{"ImportCounts", testImportCounts},
		{"ImportRecordsBatch", testImportRecordsBatch},
		{"ImportRepeatedKey", testImportRepeatedKey},
		{"ImportUnchanged", testImportUnchanged},
		{"ImportBulkRoundTrip", testImportBulkRoundTrip},
		{"EventRoundTrip", testEventRoundTrip},
		{"ClaimRoundTrip", testClaimRoundTrip},
		{"ClaimVersions", testClaimVersions},
		{"ImportRollback", testImportRollback},
		{"ImportInvalid", testImportInvalid},
		{"ImportFailsMidway", testImportFailsMidway},
		{"MarkDeleted", testMarkDeleted},
		{"NeedsReview", testNeedsReview},
		{"ScanEvents", testScanEvents},
		{"ScanClaims", testScanClaims},
		{"ScanStops", testScanStops},
		{"ScanCancel", testScanCancel},
		{"ConcurrentImports", testConcurrentImports},
		{"OverlappingImports", testOverlappingImports},
		{"ImportBytes", testImportBytes},
		{"ImportRejects", testImportRejects},
		{"LatestBatch", testLatestBatch},
		{"ReplaceFindings", testReplaceFindings},
		{"ReplaceFindingsInvalid", testReplaceFindingsInvalid},
		{"FindingVersions", testFindingVersions},
		{"RecordSearch", testRecordSearch},
		{"ScanFindings", testScanFindings},
		{"FindingFilters", testFindingFilters},
		{"IncidentFindingFilters", testIncidentFindingFilters},
		{"EvaluationState", testEvaluationState},
		{"ConfirmedViolations", testConfirmedViolations},
		{"ViolationsNeedAnAct", testViolationsNeedAnAct},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"Reviews", testReviews},
		{"Incidents", testIncidents},
		{"Jobs", testJobs},
		{"ChangeStamp", testChangeStamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each has its own database
			tt.fn(t, b)
		})
	}
}

// open makes a fresh database and opens it, closing it when t ends.
func open(t *testing.T, b Backend) (store.Store, string) {
	t.Helper()
	dsn := b.NewDSN(t)
	return reopen(t, b, dsn), dsn
}

// reopen opens dsn again, as the next run of the program would.
func reopen(t *testing.T, b Backend, dsn string) store.Store {
	t.Helper()
	s, err := b.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func testBackend(t *testing.T, b Backend) {
	s, _ := open(t, b)
	if got := s.Backend(); got != b.Name {
		t.Errorf("Backend() = %q, want %q", got, b.Name)
	}
}

func testMigrate(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("SchemaVersion = %d after open, want >= 1", v)
	}
	m, ok := s.(store.Migrator)
	if !ok {
		t.Fatalf("%T does not implement store.Migrator", s)
	}
	// Open migrated an empty database; Migrate reports that and does no more.
	for range 2 {
		from, to, err := m.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if from != 0 || to != v {
			t.Errorf("Migrate() = %d, %d; want 0, %d", from, to, v)
		}
	}
}

func testReopen(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	putVersion(t, s, "ua-ru-energy", 1, "Energy moratorium")
	first, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "analyst", Action: "agreement.add", Subject: "ua-ru-energy"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = reopen(t, b, dsn)
	from, to, err := s.(store.Migrator).Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if from != want || to != want {
		t.Errorf("Migrate() after reopen = %d, %d; want %d, %d (nothing to do)", from, to, want, want)
	}
	if _, err := s.GetAgreementVersion(ctx, "ua-ru-energy", 1); err != nil {
		t.Errorf("agreement lost on reopen: %v", err)
	}
	// The chain continues from the entry stored before the reopen.
	next, err := s.AppendAudit(ctx, store.AuditEntry{Actor: "analyst", Action: "agreement.show", Subject: "ua-ru-energy"})
	if err != nil {
		t.Fatal(err)
	}
	if next.Seq != first.Seq+1 || next.PrevHash != first.Hash {
		t.Errorf("after reopen: seq %d prev %q, want seq %d prev %q", next.Seq, next.PrevHash, first.Seq+1, first.Hash)
	}
}

// Two processes starting on a new database must not both migrate it.
func testConcurrentOpen(t *testing.T, b Backend) {
	const n = 4
	dsn := b.NewDSN(t)
	stores := make([]store.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = b.Open(t.Context(), dsn) })
	}
	wg.Wait()
	want := 0
	for i, s := range stores {
		if errs[i] != nil {
			t.Errorf("open %d: %v", i, errs[i])
			continue
		}
		t.Cleanup(func() { s.Close() })
		v, err := s.SchemaVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if want == 0 {
			want = v
		}
		if v != want || v < 1 {
			t.Errorf("open %d: schema version %d, others %d", i, v, want)
		}
	}
}

func testSchemaTooNew(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	known, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err = b.Exec(ctx, dsn, "INSERT INTO schema_migrations (version, applied_at) VALUES (999, '2030-01-01T00:00:00.000000Z')")
	if err != nil {
		t.Fatal(err)
	}

	s, err = b.Open(ctx, dsn)
	if err == nil {
		s.Close()
		t.Fatal("opened a database at schema version 999")
	}
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Errorf("error %q does not wrap ErrSchemaTooNew", err)
	}
	want := fmt.Sprintf("database is at schema version 999 but this truce knows only up to %d: upgrade truce", known)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

// agreementSource is an agreement file as a user might write it.
func agreementSource(id string, version int, title string) []byte {
	return fmt.Appendf(nil, "id: %s\nversion: %d\ntitle: %q\ncommitments: []\n", id, version, title)
}

func newVersion(id string, version int, title string) store.AgreementVersion {
	return store.AgreementVersion{
		AgreementID: id,
		Version:     version,
		Title:       title,
		Source:      agreementSource(id, version, title),
		Normalized:  json.RawMessage(fmt.Sprintf(`{"id": %q, "version": %d, "title": %q}`, id, version, title)),
		StoredBy:    "alice",
	}
}

func putVersion(t *testing.T, s store.Store, id string, version int, title string) store.AgreementVersion {
	t.Helper()
	v := newVersion(id, version, title)
	if _, err := s.PutAgreementVersion(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	return v
}

func testPutAgreementVersion(t *testing.T, b Backend) {
	s, _ := open(t, b)
	v1 := newVersion("ua-ru-energy", 1, "Energy moratorium")
	edited := v1
	edited.Source = append(append([]byte(nil), v1.Source...), "# edited\n"...)
	wrongHash := v1
	wrongHash.Version = 2
	wrongHash.Hash = strings.Repeat("0", 64)
	tests := []struct {
		name        string
		v           store.AgreementVersion
		wantCreated bool
		wantErr     error // errors.Is target; errAny for any error
	}{
		{"new version", v1, true, nil},
		{"same content again", v1, false, nil},
		{"different content, same version", edited, false, store.ErrVersionConflict},
		{"hash not of source", wrongHash, false, errAny},
		{"no id", newVersion("", 1, "x"), false, errAny},
		{"version 0", newVersion("ua-ru-energy", 0, "x"), false, errAny},
		{"normalized not JSON", withNormalized(newVersion("x", 1, "x"), "{"), false, errAny},
		{"next version", newVersion("ua-ru-energy", 2, "Energy moratorium, extended"), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created, err := s.PutAgreementVersion(t.Context(), tt.v)
			checkErr(t, err, tt.wantErr)
			if created != tt.wantCreated {
				t.Errorf("created = %v, want %v", created, tt.wantCreated)
			}
		})
	}
	// The conflict left the stored version as it was.
	got, err := s.GetAgreementVersion(t.Context(), "ua-ru-energy", 1)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Source) != string(v1.Source) {
		t.Errorf("version 1 source changed to %q", got.Source)
	}
}

// errAny stands for "some error" in test tables.
var errAny = errors.New("any error")

func checkErr(t *testing.T, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && err == nil:
		t.Fatalf("no error, want %v", want)
	case want != nil && want != errAny && !errors.Is(err, want):
		t.Fatalf("error %q, want one wrapping %q", err, want)
	}
}

func withNormalized(v store.AgreementVersion, normalized string) store.AgreementVersion {
	v.Normalized = json.RawMessage(normalized)
	return v
}

func testGetAgreementVersion(t *testing.T, b Backend) {
	s, _ := open(t, b)
	// Stored out of order: the latest is the highest version, not the last stored.
	putVersion(t, s, "ua-ru-energy", 1, "v1")
	putVersion(t, s, "ua-ru-energy", 3, "v3")
	putVersion(t, s, "ua-ru-energy", 2, "v2")
	putVersion(t, s, "black-sea", 1, "ports")
	tests := []struct {
		name      string
		id        string
		version   int
		wantTitle string
		wantErr   error
	}{
		{"exact version", "ua-ru-energy", 2, "v2", nil},
		{"latest", "ua-ru-energy", 0, "v3", nil},
		{"latest of another", "black-sea", 0, "ports", nil},
		{"unknown version", "ua-ru-energy", 4, "", store.ErrNotFound},
		{"unknown agreement", "nope", 1, "", store.ErrNotFound},
		{"latest of unknown agreement", "nope", 0, "", store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := s.GetAgreementVersion(t.Context(), tt.id, tt.version)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr != nil {
				if !strings.Contains(err.Error(), tt.id) {
					t.Errorf("error %q does not name agreement %q", err, tt.id)
				}
				return
			}
			if v.AgreementID != tt.id || v.Title != tt.wantTitle {
				t.Errorf("got %s %q, want %s %q", v.AgreementID, v.Title, tt.id, tt.wantTitle)
			}
		})
	}
}

func testListAgreementVersions(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	for _, v := range []int{2, 1, 3} {
		putVersion(t, s, "ua-ru-energy", v, fmt.Sprintf("v%d", v))
	}
	putVersion(t, s, "black-sea", 1, "ports")
	vs, err := s.ListAgreementVersions(ctx, "ua-ru-energy")
	if err != nil {
		t.Fatal(err)
	}
	if got := versionNumbers(vs); !reflect.DeepEqual(got, []int{1, 2, 3}) {
		t.Errorf("versions %v, want [1 2 3] (oldest first, one agreement)", got)
	}
	_, err = s.ListAgreementVersions(ctx, "nope")
	checkErr(t, err, store.ErrNotFound)
}

func versionNumbers(vs []store.AgreementVersion) []int {
	var n []int
	for _, v := range vs {
		n = append(n, v.Version)
	}
	return n
}

func testListAgreements(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	vs, err := s.ListAgreements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 0 {
		t.Fatalf("empty database lists %d agreements", len(vs))
	}
	putVersion(t, s, "ua-ru-energy", 2, "energy v2")
	putVersion(t, s, "ua-ru-energy", 1, "energy v1")
	putVersion(t, s, "black-sea", 1, "ports v1")
	putVersion(t, s, "black-sea", 2, "ports v2")
	putVersion(t, s, "kharkiv-local", 1, "local v1")
	vs, err = s.ListAgreements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, fmt.Sprintf("%s/%d %s", v.AgreementID, v.Version, v.Title))
	}
	want := []string{"black-sea/2 ports v2", "kharkiv-local/1 local v1", "ua-ru-energy/2 energy v2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListAgreements = %q, want %q", got, want)
	}
}

func testAgreementRoundTrip(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	in := newVersion("ua-ru-energy", 1, "Energy — мораторій")
	in.Source = []byte("id: ua-ru-energy\r\ntitle: \"Energy — мораторій\"\n\n# trailing comment, kept\n")
	in.StoredAt = time.Date(2025, 3, 18, 14, 5, 6, 123456789, time.FixedZone("EET", 2*3600))
	before := time.Now()
	if _, err := s.PutAgreementVersion(ctx, in); err != nil {
		t.Fatal(err)
	}
	auto := putVersion(t, s, "ua-ru-energy", 2, "v2")

	got, err := s.GetAgreementVersion(ctx, "ua-ru-energy", 1)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(in.Source)
	if got.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("Hash = %s, want SHA-256 of source", got.Hash)
	}
	if string(got.Source) != string(in.Source) {
		t.Errorf("Source = %q, want %q byte for byte", got.Source, in.Source)
	}
	if got.Title != in.Title || got.AgreementID != in.AgreementID || got.Version != in.Version || got.StoredBy != "alice" {
		t.Errorf("got %s/%d %q stored by %q", got.AgreementID, got.Version, got.Title, got.StoredBy)
	}
	// Each version stored is in the audit log, by whoever stored it; one
	// already stored is not stored again, nor logged.
	if _, err := s.PutAgreementVersion(ctx, in); err != nil {
		t.Fatal(err)
	}
	entries, err := s.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Actor != "alice" || entries[0].Action != "agreement.import" || entries[0].Subject != "agreement/ua-ru-energy" {
		t.Errorf("audit log after storing two versions: %+v", entries)
	}
	anonymous := newVersion("ua-ru-energy", 3, "v3")
	anonymous.StoredBy = ""
	if _, err := s.PutAgreementVersion(ctx, anonymous); err == nil {
		t.Error("a version stored by no one")
	}
	if !jsonEqual(t, got.Normalized, in.Normalized) {
		t.Errorf("Normalized = %s, want %s", got.Normalized, in.Normalized)
	}
	// Times keep microseconds and come back in UTC.
	wantAt := in.StoredAt.UTC().Truncate(time.Microsecond)
	if !got.StoredAt.Equal(wantAt) || got.StoredAt.Location() != time.UTC {
		t.Errorf("StoredAt = %v, want %v", got.StoredAt, wantAt)
	}

	got, err = s.GetAgreementVersion(ctx, auto.AgreementID, auto.Version)
	if err != nil {
		t.Fatal(err)
	}
	if got.StoredAt.Before(before.Add(-time.Second)) || got.StoredAt.After(time.Now().Add(time.Second)) {
		t.Errorf("StoredAt = %v, want about now when not given", got.StoredAt)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("bad JSON %q: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func testAppendAudit(t *testing.T, b Backend) {
	ctx := t.Context()
	s, _ := open(t, b)
	at := time.Date(2025, 3, 18, 14, 5, 6, 123456789, time.FixedZone("EET", 2*3600))
	tests := []struct {
		name       string
		in         store.AuditEntry
		wantAt     time.Time // zero: about now
		wantDetail string
	}{
		{
			name:       "first entry",
			in:         store.AuditEntry{Actor: "analyst", Action: "agreement.add", Subject: "ua-ru-energy", Detail: json.RawMessage(`{ "version" : 1 }`)},
			wantDetail: `{"version":1}`,
		},
		{
			name:   "given time, cut to microseconds",
			in:     store.AuditEntry{At: at, Actor: "importer", Action: "import", Subject: "acled"},
			wantAt: at.UTC().Truncate(time.Microsecond),
		},
		{
			name: "store assigns seq and hashes",
			in: store.AuditEntry{Seq: 42, PrevHash: "forged", Hash: "forged", Actor: "analyst",
				Action: "assess", Subject: "finding/7", Detail: json.RawMessage(`{"state":"confirmed","note":"ü \u00e9"}`)},
			wantDetail: `{"state":"confirmed","note":"ü \u00e9"}`,
		},
	}
	var prev store.AuditEntry
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			e, err := s.AppendAudit(ctx, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != int64(i+1) {
				t.Errorf("Seq = %d, want %d", e.Seq, i+1)
			}
			if e.PrevHash != prev.Hash {
				t.Errorf("PrevHash = %q, want %q (the entry before)", e.PrevHash, prev.Hash)
			}
			if e.Hash != store.AuditHash(e) {
				t.Errorf("Hash = %s, AuditHash gives %s", e.Hash, store.AuditHash(e))
			}
			if e.At.Location() != time.UTC {
				t.Errorf("At %v is not UTC", e.At)
			}
			switch {
			case !tt.wantAt.IsZero() && !e.At.Equal(tt.wantAt):
				t.Errorf("At = %v, want %v", e.At, tt.wantAt)
			case tt.wantAt.IsZero() && (e.At.Before(before.Add(-time.Second)) || e.At.After(time.Now().Add(time.Second))):
				t.Errorf("At = %v, want about now", e.At)
			}
			if string(e.Detail) != tt.wantDetail {
				t.Errorf("Detail = %s, want %s", e.Detail, tt.wantDetail)
			}
			// What was returned is what is stored.
			got, err := s.ListAudit(ctx, e.Seq-1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], e) {
				t.Errorf("stored %+v, AppendAudit returned %+v", got, e)
			}
			prev = e
		})
	}
}

func testAppendAuditRejects(t *testing.T, b Backend) {
	s, _ := open(t, b)
	tests := []struct {
		name string
		in   store.AuditEntry
	}{
		{"no actor", store.AuditEntry{Action: "x"}},
		{"no action", store.AuditEntry{Actor: "x"}},
		{"detail not JSON", store.AuditEntry{Actor: "x", Action: "y", Detail: json.RawMessage(`{"a":`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AppendAudit(t.Context(), tt.in); err == nil {
				t.Error("no error")
			}
		})
	}
	got, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("rejected entries were stored: %+v", got)
	}
}

func appendN(t *testing.T, s store.Store, n int) []store.AuditEntry {
	t.Helper()
	var entries []store.AuditEntry
	for i := range n {
		e, err := s.AppendAudit(t.Context(), store.AuditEntry{
			Actor: "analyst", Action: "note", Subject: fmt.Sprintf("n%d", i),
		})
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	return entries
}

func testListAudit(t *testing.T, b Backend) {
	s, _ := open(t, b)
	got, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("empty log lists %d entries", len(got))
	}
	appendN(t, s, 5)
	tests := []struct {
		name     string
		afterSeq int64
		limit    int
		want     []int64
	}{
		{"all", 0, 0, []int64{1, 2, 3, 4, 5}},
		{"negative limit is all", 0, -1, []int64{1, 2, 3, 4, 5}},
		{"first page", 0, 2, []int64{1, 2}},
		{"next page", 2, 2, []int64{3, 4}},
		{"last page", 4, 2, []int64{5}},
		{"past the end", 5, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := s.ListAudit(t.Context(), tt.afterSeq, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int64
			for _, e := range entries {
				seqs = append(seqs, e.Seq)
			}
			if !reflect.DeepEqual(seqs, tt.want) {
				t.Errorf("seqs %v, want %v", seqs, tt.want)
			}
		})
	}
}

func testAuditChain(t *testing.T, b Backend) {
	s, dsn := open(t, b)
	appendN(t, s, 10)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Verify from a new connection, as `audit verify` would.
	s = reopen(t, b, dsn)
	entries, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 10 {
		t.Fatalf("%d entries, want 10", len(entries))
	}
	verifyChain(t, entries)

	// A changed field changes the hash: the chain shows tampering.
	tampered := entries[4]
	tampered.Subject = "someone else"
	if store.AuditHash(tampered) == entries[4].Hash {
		t.Error("AuditHash ignores Subject")
	}
}

// verifyChain checks entries are the whole log, linked and hashed right.
func verifyChain(t *testing.T, entries []store.AuditEntry) {
	t.Helper()
	prev := ""
	for i, e := range entries {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d", i+1, e.Seq)
		}
		if e.PrevHash != prev {
			t.Fatalf("seq %d: prev_hash %q, want %q", e.Seq, e.PrevHash, prev)
		}
		if got := store.AuditHash(e); got != e.Hash {
			t.Fatalf("seq %d: stored hash %s, recomputed %s", e.Seq, e.Hash, got)
		}
		prev = e.Hash
	}
}

func testConcurrentAppends(t *testing.T, b Backend) {
	const writers, each = 8, 15
	s, _ := open(t, b)
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				_, err := s.AppendAudit(t.Context(), store.AuditEntry{
					Actor: fmt.Sprintf("writer%d", w), Action: "note", Subject: fmt.Sprint(i),
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	entries, err := s.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != writers*each {
		t.Fatalf("%d entries, want %d", len(entries), writers*each)
	}
	verifyChain(t, entries)
}

func testAuditVerify(t *testing.T, b Backend) {
	ctx := t.Context()
	s, dsn := open(t, b)
	r, err := store.VerifyAudit(ctx, s, store.AuditVerifyOptions{})
	if err != nil || r.Problem != nil || r.Checked != 0 {
		t.Fatalf("empty log: %+v, %v", r, err)
	}
	entries := appendN(t, s, 7)
	head := entries[6]
	r, err = store.VerifyAudit(ctx, s, store.AuditVerifyOptions{PageSize: 2, Anchor: store.AuditAnchor{Seq: 3, Hash: entries[2].Hash}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Problem != nil || r.Checked != 7 || r.Head != (store.AuditAnchor{Seq: head.Seq, Hash: head.Hash}) {
		t.Fatalf("intact log: %+v, %v", r, r.Problem)
	}

	// What other tables cite: nothing yet, then the highest of them.
	if seq, err := s.HighestCitedAuditSeq(ctx); err != nil || seq != 0 {
		t.Errorf("HighestCitedAuditSeq with nothing citing = %d, %v; want 0", seq, err)
	}
	for _, seq := range []int64{4, 6, 2} {
		if err := b.Exec(ctx, dsn, insertLinkCiting(seq)); err != nil {
			t.Fatal(err)
		}
	}
	if seq, err := s.HighestCitedAuditSeq(ctx); err != nil || seq != 6 {
		t.Errorf("HighestCitedAuditSeq = %d, %v; want 6", seq, err)
	}
}

// insertLinkCiting is SQL for an incident link citing audit entry seq, the
// one citing table without a foreign key to audit_log.
func insertLinkCiting(seq int64) string {
	return fmt.Sprintf(`INSERT INTO incident_links (a_type, a_id, b_type, b_id, link, decided_by, decided_at, reason, audit_seq)
		VALUES ('event', 1, 'event', 2, TRUE, 'ana', '2025-03-18T12:00:00.000000Z', '', %d)`, seq)
}

// dropAuditTriggers lets tests tamper with the log as someone with direct
// database access could.
func dropAuditTriggers(t *testing.T, b Backend, dsn string) {
	t.Helper()
	var drops []string
	switch b.Name {
	case "sqlite":
		drops = []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	case "postgres":
		drops = []string{"DROP TRIGGER audit_log_no_change ON audit_log", "DROP TRIGGER audit_log_no_truncate ON audit_log"}
	default:
		t.Fatalf("no append-only triggers known for backend %q", b.Name)
	}
	for _, q := range drops {
		if err := b.Exec(t.Context(), dsn, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Tampering with the database directly is caught, and the first bad entry
// named exactly.
func testAuditTamper(t *testing.T, b Backend) {
	tests := []struct {
		name   string
		tamper []string
		anchor bool // verify against the head kept before tampering
		seq    int64
		what   string
	}{
		{
			name:   "edited actor",
			tamper: []string{"UPDATE audit_log SET actor = 'mallory' WHERE seq = 5"},
			seq:    5, what: "edited: hash does not match its content",
		},
		{
			name:   "edited detail",
			tamper: []string{`UPDATE audit_log SET detail = '{"note":"nothing to see"}' WHERE seq = 9`},
			seq:    9, what: "edited: hash does not match its content",
		},
		{
			name:   "middle entry deleted",
			tamper: []string{"DELETE FROM audit_log WHERE seq = 5"},
			seq:    5, what: "missing entries between 4 and 6 (deleted?)",
		},
		{
			name: "middle entry deleted, later ones renumbered",
			tamper: []string{"DELETE FROM audit_log WHERE seq = 5",
				"UPDATE audit_log SET seq = seq + 100 WHERE seq > 5", "UPDATE audit_log SET seq = seq - 101 WHERE seq > 100"},
			seq: 5, what: "prev_hash does not match entry 4 (reordered or deleted?)",
		},
		{
			name: "reordered: two entries swap seqs",
			tamper: []string{"UPDATE audit_log SET seq = 1000 WHERE seq = 3",
				"UPDATE audit_log SET seq = 3 WHERE seq = 4", "UPDATE audit_log SET seq = 4 WHERE seq = 1000"},
			seq: 3, what: "prev_hash does not match entry 2 (reordered or deleted?)",
		},
		{
			name:   "tail deleted: the chain alone cannot tell",
			tamper: []string{"DELETE FROM audit_log WHERE seq > 7"},
		},
		{
			name:   "tail deleted, caught by the head kept",
			tamper: []string{"DELETE FROM audit_log WHERE seq > 7"},
			anchor: true,
			seq:    8, what: "missing: the log ends at entry 7 but the head you kept is entry 10",
		},
		{
			name:   "tail deleted, caught by records citing it",
			tamper: []string{insertLinkCiting(9), "DELETE FROM audit_log WHERE seq > 7"},
			seq:    8, what: "missing: the log ends at entry 7 but reviews, evidence or incident links cite entry 9",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			s, dsn := open(t, b)
			entries := appendN(t, s, 10)
			var opts store.AuditVerifyOptions
			if tt.anchor {
				opts.Anchor = store.AuditAnchor{Seq: entries[9].Seq, Hash: entries[9].Hash}
			}
			dropAuditTriggers(t, b, dsn)
			for _, q := range tt.tamper {
				if err := b.Exec(ctx, dsn, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			r, err := store.VerifyAudit(ctx, s, opts)
			if err != nil {
				t.Fatal(err)
			}
			if tt.seq == 0 {
				if r.Problem != nil || r.Checked != 7 {
					t.Errorf("got %+v (%v), want 7 entries found intact", r, r.Problem)
				}
				return
			}
			if r.Problem == nil {
				t.Fatalf("tampering not detected: %d entries checked", r.Checked)
			}
			if r.Problem.Seq != tt.seq || !strings.HasPrefix(r.Problem.What, tt.what) {
				t.Errorf("problem %q, want entry %d: %q", r.Problem, tt.seq, tt.what)
			}
		})
	}
}
