package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
)

// moratoriumV3 is the moratorium's file raised to version 3 with another
// title, and the file of version 2.
func moratoriumV3(t *testing.T) (v2, v3 app.AgreementFile) {
	t.Helper()
	v2 = readAgreement(t, moratorium)
	src := strings.Replace(string(v2.Source), "\nversion: 2\n", "\nversion: 3\n", 1)
	src = strings.Replace(src, "\ntitle: 30-day", "\ntitle: Extended 30-day", 1)
	src += "  - version: 3\n    date: 2025-04-01\n    summary: The title changes.\n    source: kremlin-2025-03-18\n"
	v3, err := app.ParseAgreement("v3.yaml", []byte(src), strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return v2, v3
}

// A stored version shows as the file does, per reading in any case; an
// unknown agreement or version is not found, a party the agreement does
// not name or a version below 1 invalid.
func TestAgreementVersion(t *testing.T) {
	a := newApp(t)
	v2, v3 := moratoriumV3(t)
	if _, err := a.ImportAgreements(t.Context(), []app.AgreementFile{v2, v3}); err != nil {
		t.Fatal(err)
	}
	lim := strictyaml.DefaultLimits()
	fromFile, err := app.ShowAgreement(v2.Agreement, "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := a.AgreementVersion(t.Context(), "energy-moratorium-2025", 2, "", lim)
	if err != nil || stored.Version != 2 || len(stored.Readings) != len(fromFile.Readings) || len(stored.Readings) < 2 {
		t.Fatalf("version 2: %+v, %v", stored, err)
	}
	ua, err := a.AgreementVersion(t.Context(), "energy-moratorium-2025", 3, "ua", lim)
	if err != nil || ua.Version != 3 || len(ua.Readings) != 1 || ua.Readings[0].Reading != "UA" {
		t.Fatalf("version 3 as UA reads it: %+v, %v", ua.Readings, err)
	}
	for _, c := range []struct {
		id      string
		version int
		reading string
		kind    app.Kind
		want    string
	}{
		{"nope", 1, "", app.KindNotFound, `agreement "nope" is not in the store`},
		{"energy-moratorium-2025", 7, "", app.KindNotFound, "has no version 7 (version 7): its versions are 2, 3"},
		{"energy-moratorium-2025", 0, "", app.KindInvalid, "versions count from 1"},
		{"energy-moratorium-2025", 2, "XX", app.KindInvalid, `has no party "XX" to read it: its parties are RU, UA`},
	} {
		_, err := a.AgreementVersion(t.Context(), c.id, c.version, c.reading, lim)
		if app.KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s version %d reading %q: %v (kind %v), want %v %q", c.id, c.version, c.reading, err, app.KindOf(err), c.kind, c.want)
		}
	}
	if _, err := a.AgreementVersion(t.Context(), "nope", 1, "", lim); !errors.Is(err, app.ErrAgreementNotStored) {
		t.Errorf("an agreement not stored: %v", err)
	}
}

// Two stored versions compare as their files do; either may be the older.
func TestAgreementDiff(t *testing.T) {
	a := newApp(t)
	v2, v3 := moratoriumV3(t)
	if _, err := a.ImportAgreements(t.Context(), []app.AgreementFile{v2, v3}); err != nil {
		t.Fatal(err)
	}
	lim := strictyaml.DefaultLimits()
	got, err := a.AgreementDiff(t.Context(), "energy-moratorium-2025", 2, 3, lim)
	if err != nil || got.From != 2 || got.To != 3 || len(got.Changes) == 0 || len(got.Warnings) != 0 {
		t.Fatalf("2 -> 3: %+v, %v", got, err)
	}
	var title bool
	for _, ch := range got.Changes {
		title = title || ch.Term == "title" && strings.HasPrefix(ch.New, "Extended")
	}
	if !title {
		t.Errorf("2 -> 3 lacks the title: %+v", got.Changes)
	}
	back, err := a.AgreementDiff(t.Context(), "energy-moratorium-2025", 3, 2, lim)
	if err != nil || len(back.Changes) != len(got.Changes) || len(back.Warnings) == 0 {
		t.Errorf("3 -> 2: %+v, %v", back, err)
	}
	if _, err := a.AgreementDiff(t.Context(), "energy-moratorium-2025", 2, 9, lim); app.KindOf(err) != app.KindNotFound || !strings.Contains(err.Error(), "(to 9)") {
		t.Errorf("to a version not stored: %v", err)
	}
	if _, err := a.AgreementDiff(t.Context(), "energy-moratorium-2025", -1, 2, lim); app.KindOf(err) != app.KindInvalid || !strings.Contains(err.Error(), "from -1") {
		t.Errorf("from -1: %v", err)
	}
}
