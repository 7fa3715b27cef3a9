package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/event"
	"github.com/truce-monitor/truce/internal/store"
	"github.com/truce-monitor/truce/internal/store/backend"
	"github.com/truce-monitor/truce/internal/vocab"
)

// day0 is the first day of the reference scenario's energy moratorium.
var day0 = time.Date(2025, 3, 18, 0, 0, 0, 0, time.UTC)

// newStore is an empty migrated SQLite store, closed at the end of the test.
func newStore(t *testing.T) store.Store {
	t.Helper()
	return storeAt(t, filepath.Join(t.TempDir(), "t.db"))
}

// storeAt opens the SQLite store at path, closed at the end of the test.
func storeAt(t *testing.T, path string) store.Store {
	t.Helper()
	st, err := backend.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// strike is a report of a Russian drone strike at start in town (Ukraine
// unless country says otherwise).
func strike(source, id string, start time.Time, town, country string) *event.Event {
	raw := fmt.Sprintf(`{"id":%q,"town":%q}`, id, town)
	sum := sha256.Sum256([]byte(raw))
	lat, lon := 48.85, 37.6
	if country != "UA" {
		lat, lon = 51.19, 35.27
	}
	return &event.Event{
		Source: source, SourceID: id,
		Time:   event.Span{Start: start, End: start.Add(time.Hour), Precision: event.TimeHour},
		Place:  event.Place{Name: town, Country: country, Lat: &lat, Lon: &lon, Precision: event.GeoTown},
		Actors: []event.Actor{{Name: "Military Forces of Russia (2000-)", Role: "actor1", Party: "RU"}},
		Kind:   "strike.drone", Targets: []event.Reason{{Term: "energy.electricity"}},
		Text: "A drone struck the substation in " + town + ".",
		Raw:  json.RawMessage(raw), Hash: hex.EncodeToString(sum[:]),
	}
}

func importEvents(t *testing.T, st store.Store, source string, es ...*event.Event) {
	t.Helper()
	ctx := t.Context()
	im, err := st.BeginImport(ctx, store.ImportMeta{Source: source, Format: "test", File: source + ".csv", By: "local"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range es {
		if err := im.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// scenario is a store with agreement ag (parties RU and UA, version 1,
// evaluated) and four reports: a1 (a candidate finding against RU), b1
// the same strike from another source, b2 a month later, and k1 on the
// same night in Russia.
type scenario struct {
	st             store.Store
	a1, b1, b2, k1 vocab.Ref
}

func newScenario(t *testing.T) *scenario {
	t.Helper()
	return newScenarioOn(t, newStore(t))
}

// newScenarioOn makes the scenario in the empty store st.
func newScenarioOn(t *testing.T, st store.Store) *scenario {
	t.Helper()
	ctx := t.Context()
	night := day0.Add(22 * time.Hour)
	importEvents(t, st, "reports-a", strike("reports-a", "a1", night, "Sloviansk", "UA"))
	importEvents(t, st, "reports-b", strike("reports-b", "b1", night.Add(time.Hour), "Sloviansk", "UA"),
		strike("reports-b", "b2", night.AddDate(0, 1, 0), "Sloviansk", "UA"))
	importEvents(t, st, "reports-k", strike("reports-k", "k1", night, "Sudzha", "RU"))
	sc := &scenario{st: st}
	for _, r := range []struct {
		ref    *vocab.Ref
		source string
		id     string
	}{{&sc.a1, "reports-a", "a1"}, {&sc.b1, "reports-b", "b1"}, {&sc.b2, "reports-b", "b2"}, {&sc.k1, "reports-k", "k1"}} {
		e, err := st.GetEvent(ctx, r.source, r.id)
		if err != nil {
			t.Fatal(err)
		}
		*r.ref = vocab.Ref{Kind: vocab.KindEvent, ID: e.ID}
	}
	src := []byte("id: ag\nversion: 1\n")
	sum := sha256.Sum256(src)
	if _, err := st.PutAgreementVersion(ctx, store.AgreementVersion{
		AgreementID: "ag", Version: 1, Title: "A moratorium", Hash: hex.EncodeToString(sum[:]), Source: src,
		Normalized: json.RawMessage(`{"id":"ag","version":1,"parties":[{"id":"RU"},{"id":"UA"}]}`), StoredBy: "local",
	}); err != nil {
		t.Fatal(err)
	}
	a1, err := st.GetEvent(ctx, "reports-a", "a1")
	if err != nil {
		t.Fatal(err)
	}
	expl := json.RawMessage(`{"checks":[{"clause":"party","ok":true,"detail":"RU's forces"}]}`)
	if _, err := st.ReplaceFindings(ctx, []store.FindingSet{{
		AgreementID: "ag", AgreementVersion: 1, Record: sc.a1,
		RecordVersion: a1.Version, EvidenceHash: a1.Hash, RecordTime: a1.Time.Start,
		Results: []store.FindingResult{{
			CommitmentID: "no-energy-strikes", Reading: "UA", Accused: "RU", Verdict: "candidate",
			TimePosition: "inside", Category: "energy.electricity", Explanation: expl, ExplanationText: "party: RU's forces",
		}},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEvaluationState(ctx, store.EvaluationState{AgreementID: "ag", AgreementVersion: 1}); err != nil {
		t.Fatal(err)
	}
	return sc
}

// app is the application on the scenario's store for the holder of token.
func (sc *scenario) app(token string) *app.App {
	return app.New(sc.st, app.Options{}).As(token)
}

// addUser adds a user with role and returns a token of theirs.
func addUser(t *testing.T, st store.Store, name string, role vocab.Role) string {
	t.Helper()
	ctx := t.Context()
	n, err := st.CountUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u := auth.User{Name: name, Role: role}
	if n == 0 {
		_, err = st.AddFirstUser(ctx, u)
	} else {
		_, err = st.AddUser(ctx, u, "root")
	}
	if err != nil {
		t.Fatal(err)
	}
	token, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddToken(ctx, auth.APIToken{User: name, Label: "test", Hash: auth.HashToken(token)}, name); err != nil {
		t.Fatal(err)
	}
	return token
}

func ref(r vocab.Ref) string { return fmt.Sprintf("%s/%d", r.Kind, r.ID) }
