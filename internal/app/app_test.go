package app_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/internal/agreement"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/vocab"
)

const moratorium = "../../examples/agreements/energy-moratorium-2025.yaml"

func newApp(t *testing.T) *app.App {
	t.Helper()
	st, err := backend.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return app.New(st, app.Options{})
}

func readAgreement(t *testing.T, path string) app.AgreementFile {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := app.ParseAgreement(path, src, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Importing an agreement stores it once, hashed, by whoever acts; the same
// version number with other content is a conflict.
func TestImportAgreements(t *testing.T) {
	a := newApp(t)
	f := readAgreement(t, moratorium)
	for _, created := range []bool{true, false} {
		done, err := a.ImportAgreements(t.Context(), []app.AgreementFile{f})
		if err != nil || len(done) != 1 || done[0].Created != created {
			t.Fatalf("import: %+v, %v; want created %v", done, err, created)
		}
	}
	list, err := a.Agreements(t.Context())
	if err != nil || len(list) != 1 || list[0].StoredBy != app.LocalActor || len(list[0].Hash) != 64 {
		t.Fatalf("agreements: %+v, %v", list, err)
	}
	changed := f
	changed.Source = append([]byte("# changed\n"), f.Source...)
	_, err = a.ImportAgreements(t.Context(), []app.AgreementFile{changed})
	if app.KindOf(err) != app.KindConflict {
		t.Errorf("other content under a stored version: %v (kind %v), want a conflict", err, app.KindOf(err))
	}
	if _, _, err := a.StoredAgreement(t.Context(), "nope", 0, strictyaml.DefaultLimits()); app.KindOf(err) != app.KindNotFound || !errors.Is(err, app.ErrAgreementNotStored) {
		t.Errorf("an agreement not stored: %v (kind %v)", err, app.KindOf(err))
	}
}

// An invalid file is KindInvalid and keeps its positioned problems.
func TestParseAgreementInvalid(t *testing.T) {
	_, err := app.ParseAgreement("bad.yaml", []byte("id: x\nversion: one\n"), strictyaml.DefaultLimits())
	var ps agreement.Problems
	if app.KindOf(err) != app.KindInvalid || !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("invalid agreement: %v (kind %v)", err, app.KindOf(err))
	}
}

// Evaluate asks for the right to import and audits what it evaluated.
func TestEvaluateIdentity(t *testing.T) {
	a := newApp(t)
	if _, err := a.Evaluate(t.Context(), app.EvaluateRequest{YAML: strictyaml.DefaultLimits()}); !errors.Is(err, app.ErrNoAgreements) || app.KindOf(err) != app.KindNotFound {
		t.Fatalf("evaluate on an empty store: %v", err)
	}
	if _, err := a.ImportAgreements(t.Context(), []app.AgreementFile{readAgreement(t, moratorium)}); err != nil {
		t.Fatal(err)
	}
	st := a.Store()
	if _, err := st.AddUser(t.Context(), auth.User{Name: "mo", Role: vocab.RoleMonitor}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Evaluate(t.Context(), app.EvaluateRequest{YAML: strictyaml.DefaultLimits()}); app.KindOf(err) != app.KindUnauthenticated {
		t.Fatalf("evaluate without a token on a store with users: %v (kind %v)", err, app.KindOf(err))
	}
	monitor := addToken(t, st, "mo")
	if _, err := a.As(monitor).Evaluate(t.Context(), app.EvaluateRequest{YAML: strictyaml.DefaultLimits()}); app.KindOf(err) != app.KindDenied {
		t.Fatalf("evaluate as a monitor: %v (kind %v)", err, app.KindOf(err))
	}
	if n := len(evaluateAudits(t, st)); n != 0 {
		t.Errorf("a refused evaluation was audited (%d entries)", n)
	}
	if _, err := st.AddUser(t.Context(), auth.User{Name: "ann", Role: vocab.RoleAnalyst}, "test"); err != nil {
		t.Fatal(err)
	}
	res, err := a.As(addToken(t, st, "ann")).Evaluate(t.Context(), app.EvaluateRequest{YAML: strictyaml.DefaultLimits()})
	if err != nil || len(res.Evaluations) != 1 {
		t.Fatalf("evaluate as an analyst: %+v, %v", res, err)
	}
	got := evaluateAudits(t, st)
	if len(got) != 1 || got[0].Actor != "ann" || got[0].Subject != "agreement/energy-moratorium-2025@2" {
		t.Errorf("evaluate's audit: %+v", got)
	}
}

func addToken(t *testing.T, st store.Store, user string) string {
	t.Helper()
	token, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddToken(t.Context(), auth.APIToken{User: user, Hash: auth.HashToken(token)}, "test"); err != nil {
		t.Fatal(err)
	}
	return token
}

func evaluateAudits(t *testing.T, st store.Store) []store.AuditEntry {
	t.Helper()
	entries, err := st.ListAudit(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range entries {
		if e.Action == "evaluate" {
			out = append(out, e)
		}
	}
	return out
}
