package server

import (
	"context"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/testdb"
)

const bundledPositions = "examples/positions/ceasefire-2025.yaml"

// Positions over the API: an analyst stores the bundled file, a viewer may
// not; the matrix, common ground and timeline of the stored version are
// those of the file (the same use cases); mistakes are 400 and 404.
func TestPositionsOverAPI(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		c, _ := start(t, dsn)
		var added struct{ Token struct{ Token string } }
		c.do("POST", "/api/v1/users", map[string]string{"name": "admin1", "role": "admin"}, 201, &added)
		admin := c.as(added.Token.Token)
		admin.do("POST", "/api/v1/users", map[string]string{"name": "ann", "role": "analyst"}, 201, &added)
		analyst := c.as(added.Token.Token)
		admin.do("POST", "/api/v1/users", map[string]string{"name": "vic", "role": "viewer"}, 201, &added)
		viewer := c.as(added.Token.Token)

		src, err := fs.ReadFile(truce.Examples, bundledPositions)
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]string{"name": "ceasefire-2025.yaml", "yaml": string(src)}
		viewer.do("POST", "/api/v1/positions", body, 403, nil)
		var imp app.ImportedPositions
		analyst.do("POST", "/api/v1/positions", body, 200, &imp)
		if imp.ID != "ceasefire-positions-2025" || imp.Version != 1 || !imp.Created {
			t.Fatalf("import: %+v", imp)
		}
		analyst.do("POST", "/api/v1/positions", body, 200, &imp)
		if imp.Version != 1 || imp.Created {
			t.Errorf("import again: %+v, want version 1 unchanged", imp)
		}
		var sets positionSetsView
		viewer.do("GET", "/api/v1/positions", nil, 200, &sets)
		if len(sets.Positions) != 1 || sets.Positions[0].StoredBy != "ann" {
			t.Errorf("sets: %+v", sets)
		}

		f, err := app.ParsePositions("ceasefire-positions-2025", src, strictyaml.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/positions/ceasefire-positions-2025"
		var m app.PositionsMatrix
		viewer.do("GET", base+"/matrix?at=2025-03-18&party=RU,GB", nil, 200, &m)
		want, err := app.PositionsMatrixOf(f.File, app.MatrixRequest{At: "2025-03-18", Parties: []string{"RU", "GB"}})
		if err != nil {
			t.Fatal(err)
		}
		if m.Set == nil || m.Set.Version != 1 || !sameJSON(t, m.Cells, want.Cells) || len(m.Parties) != 2 {
			t.Errorf("matrix differs from the file's: %+v", m)
		}
		var g app.PositionsGround
		viewer.do("GET", base+"/common-ground?at=2025-03-18", nil, 200, &g)
		wantG, err := app.PositionsGroundOf(context.Background(), f.File, app.GroundRequest{At: "2025-03-18"})
		if err != nil {
			t.Fatal(err)
		}
		if g.Count != "16" || strings.Join(g.Packages[0].Include, ",") != "energy-moratorium,black-sea,verification,neutral-peacekeepers" ||
			!sameJSON(t, g.Result, wantG.Result) {
			t.Errorf("common ground: count %s packages %+v", g.Count, g.Packages)
		}
		var tl app.PositionsTimeline
		viewer.do("GET", base+"/timeline", nil, 200, &tl)
		if len(tl.Steps) != len(f.File.Dates()) || tl.Steps[0].Date != "2025-02-12" {
			t.Errorf("timeline: %d steps, want %d", len(tl.Steps), len(f.File.Dates()))
		}

		var e apiError
		viewer.do("GET", base+"/common-ground", nil, 400, &e)
		viewer.do("GET", base+"/common-ground?at=2025-01-01", nil, 400, &e)
		if !strings.Contains(e.Error.Message, "first position is dated 2025-02-12") {
			t.Errorf("too early: %q", e.Error.Message)
		}
		viewer.do("GET", base+"/matrix?at=2025-03-18&party=UK", nil, 400, &e)
		viewer.do("GET", base+"/common-ground?at=2025-03-18&top=0", nil, 200, nil) // 0: the default
		viewer.do("GET", base+"/common-ground?at=2025-03-18&top=5000", nil, 400, nil)
		viewer.do("GET", "/api/v1/positions/elsewhere/timeline", nil, 404, nil)
		viewer.do("GET", base+"/timeline?version=2", nil, 404, nil)
		bad := strings.Replace(string(src), "condition: verification AND mobilisation-halt", "condition: verification AND demobilisation", 1)
		analyst.do("POST", "/api/v1/positions/lint", map[string]string{"name": "bad.yaml", "yaml": bad}, 400, &e)
		if !strings.Contains(e.Error.Message, `bad.yaml:`) || !strings.Contains(e.Error.Message, `unknown term "demobilisation"`) {
			t.Errorf("lint: %q", e.Error.Message)
		}
	})
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(x) == string(y)
}
