package server

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/testdb"
)

const moratoriumFile = "examples/agreements/energy-moratorium-2025.yaml"

// Stored versions over the API: one shows as 'truce agreement show' shows
// its file, under every reading or one; two compare as 'truce agreement
// diff' compares files; what names no stored version is 404, a parameter
// that is not one 400.
func TestAgreementVersionsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c := scenario(t, dsn)
		src, err := fs.ReadFile(truce.Examples, moratoriumFile)
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/agreements/energy-moratorium-2025"

		// Version 2 as the file shows.
		var got json.RawMessage
		c.do("GET", base+"/versions/2", nil, 200, &got)
		f, err := app.ParseAgreement("m.yaml", src, strictyaml.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		n, err := app.ShowAgreement(f.Agreement, "")
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(n)
		if !jsonEqual(t, got, want) {
			t.Errorf("stored version 2 differs from the file's view:\n%.400s\nwant\n%.400s", got, want)
		}
		var ua struct {
			ID       string
			Version  int
			Readings []struct{ Reading string }
		}
		c.do("GET", base+"/versions/2?reading=ua", nil, 200, &ua)
		if ua.Version != 2 || len(ua.Readings) != 1 || ua.Readings[0].Reading != "UA" {
			t.Errorf("as UA reads it: %+v", ua)
		}

		// Version 3, another title: the diff names it.
		v3 := strings.Replace(string(src), "\nversion: 2\n", "\nversion: 3\n", 1)
		v3 = strings.Replace(v3, "\ntitle: 30-day", "\ntitle: Extended 30-day", 1)
		v3 += "  - version: 3\n    date: 2025-04-01\n    summary: The title changes.\n    source: kremlin-2025-03-18\n"
		c.do("POST", "/api/v1/agreements", map[string]string{"name": "v3.yaml", "yaml": v3}, 200, nil)
		type comparison struct {
			ID       string
			From, To int
			Changes  []struct{ Op, Term, Old, New string }
			Warnings []string
		}
		var cmp comparison
		c.do("GET", base+"/diff?from=2&to=3", nil, 200, &cmp)
		title := false
		for _, ch := range cmp.Changes {
			title = title || ch.Op == "~" && ch.Term == "title" && strings.HasPrefix(ch.New, "Extended")
		}
		if cmp.ID != "energy-moratorium-2025" || cmp.From != 2 || cmp.To != 3 || !title || len(cmp.Warnings) != 0 {
			t.Errorf("2 -> 3: %+v", cmp)
		}
		c.do("GET", base+"/diff?from=3&to=2", nil, 200, &cmp)
		if len(cmp.Warnings) == 0 || !strings.Contains(cmp.Warnings[0], "version 2 does not follow version 3") {
			t.Errorf("3 -> 2 warns of nothing: %+v", cmp.Warnings)
		}
		var same comparison
		c.do("GET", base+"/diff?from=3&to=3", nil, 200, &same)
		if same.Changes == nil || len(same.Changes) != 0 {
			t.Errorf("3 -> 3: %+v", same)
		}

		for path, want := range map[string]struct {
			status int
			msg    string
		}{
			base + "/versions/9":                       {404, `agreement "energy-moratorium-2025" has no version 9 (version 9): its versions are 2, 3`},
			"/api/v1/agreements/nope/versions/1":       {404, `agreement "nope" is not in the store`},
			base + "/versions/two":                     {400, `version "two" is not a version number`},
			base + "/versions/0":                       {400, "versions count from 1"},
			base + "/versions/2?reading=XX":            {400, `has no party "XX" to read it: its parties are`},
			base + "/versions/2?readng=UA":             {400, `unknown query parameter "readng": this route takes reading`},
			base + "/diff?from=2":                      {400, "query parameter to is required"},
			base + "/diff":                             {400, "query parameter from is required"},
			base + "/diff?from=2&to=x":                 {400, `to="x": want a whole number`},
			base + "/diff?from=-1&to=2":                {400, "from -1 is not a version"},
			base + "/diff?from=2&to=9":                 {404, "has no version 9 (to 9)"},
			"/api/v1/agreements/nope/diff?from=1&to=2": {404, `agreement "nope" is not in the store`},
		} {
			var e apiError
			c.do("GET", path, nil, want.status, &e)
			if !strings.Contains(e.Error.Message, want.msg) {
				t.Errorf("%s: %q lacks %q", path, e.Error.Message, want.msg)
			}
		}
	})
}

// jsonEqual reports whether a and b are the same JSON value.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	ax, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(ax, by)
}
