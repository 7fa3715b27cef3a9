package web_test

import (
	"io/fs"
	"testing"

	truce "github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/strictyaml"
	"github.com/truce-monitor/truce/internal/testdb"
)

const bundledPositions = "examples/positions/ceasefire-2025.yaml"

// importPositions stores the bundled positions file.
// It returns the file's last recorded date.
func importPositions(t *testing.T, ap *app.App) string {
	t.Helper()
	src, err := fs.ReadFile(truce.Examples, bundledPositions)
	if err != nil {
		t.Fatal(err)
	}
	f, err := app.ParsePositions(bundledPositions, src, strictyaml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ap.ImportPositions(t.Context(), []app.PositionsFile{f}); err != nil {
		t.Fatal(err)
	}
	dates := f.File.Dates()
	return dates[len(dates)-1].Format("2006-01-02")
}

// The Positions page on the bundled positions: the matrix with each
// stance's condition, source and quote; the common ground of 18 March 2025
// (one package of four terms; what blocks the rest); on 1 March, when only
// the empty package is acceptable, the stance changes that would open one;
// and the timeline.
func TestPositionsPage(t *testing.T) {
	testdb.Both(t, func(t *testing.T, dsn string) {
		base, ap := scenario(t, dsn)
		pageCase{method: "GET", path: "/positions", status: 200, contentType: html, want: []string{
			`<a href="/positions" aria-current="page">Positions</a>`, "No positions are stored yet",
		}}.run(t, base)
		last := importPositions(t, ap)
		for _, tc := range []pageCase{
			{name: "18 March", method: "GET", path: "/positions?at=2025-03-18", status: 200, contentType: html, want: []string{
				"<title>Positions · truce</title>", `<input type="date" id="pos-at" name="at" value="2025-03-18" min="2025-02-12"`,
				`<option value="ceasefire-positions-2025" selected>`,
				// The matrix: Russia's conditions on the ceasefire, the UK's on a European force.
				`<tr id="term-ceasefire-30d">`, `<strong>conditional</strong>: only if <code>verification AND mobilisation-halt AND arms-pause</code>`,
				`<strong>conditional</strong>: only if <code>us-backstop</code>`, "since 2025-03-18,",
				`<td class="stance-rejects" data-party="US">`,
				// The common ground, explained.
				"16 packages of the 9 terms on the table are acceptable to every party",
				"<strong>4 term(s): energy-moratorium, black-sea, verification, neutral-peacekeepers</strong>",
				"Rests on an unknown stance: RU unknown black-sea",
				"What blocks the others", "US rejects us-backstop",
				"RU accepts ceasefire-30d only if verification AND mobilisation-halt AND arms-pause (here: verification included, mobilisation-halt excluded, arms-pause excluded)",
				"GB accepts european-force only if us-backstop (here: us-backstop excluded)",
				// The timeline.
				`<a href="/positions?set=ceasefire-positions-2025&amp;at=2025-03-26"><time datetime="2025-03-26">`,
				"EU rejects sanctions-relief (was: unknown)",
			}, absent: []string{"only-empty", "more-packages"}},
			{name: "1 March: only the empty package", method: "GET", path: "/positions?at=2025-03-01", status: 200, contentType: html, want: []string{
				`id="only-empty">No package but the empty one is acceptable to every party.`,
				"What would open one", "US rejects us-backstop", "would open <strong>european-force, us-backstop</strong>",
				"GB accepts european-force only if us-backstop", "would open <strong>european-force</strong>",
			}, absent: []string{`<ol id="packages">`}},
			{name: "the latest date by default", method: "GET", path: "/positions", status: 200, contentType: html, want: []string{
				`name="at" value="` + last + `"`, `<h2 id="matrix-heading">Who accepts what on ` + last,
			}},
			{name: "before the first position", method: "GET", path: "/positions?at=2025-01-01", status: 400, contentType: html,
				want: []string{"its first position is dated 2025-02-12"}},
			{name: "not a date", method: "GET", path: "/positions?at=yesterday", status: 400, contentType: html,
				want: []string{`date &#34;yesterday&#34;: want a date like 2025-03-18`}},
			{name: "no such set", method: "GET", path: "/positions?set=nope", status: 404, contentType: html,
				want: []string{`positions &#34;nope&#34; are not in the store`}},
		} {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
		}
	})
}
