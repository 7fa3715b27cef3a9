package cli

import (
	"html/template"
	"io"
	"slices"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/positions"
)

// matrixPage is the positions matrix as one HTML page that stands alone
// (styles inline, nothing fetched): a row a term, a column a party, each
// cell its stance, condition, date and source, the quote on hover and
// under the table with the sources.
var matrixPage = template.Must(template.New("matrix").Funcs(template.FuncMap{
	"cell": func(m app.PositionsMatrix, i, j int) app.MatrixCell { return m.Cell(i, j) },
	"source": func(m app.PositionsMatrix, id string) *positions.Source {
		i := slices.IndexFunc(m.Sources, func(s positions.Source) bool { return s.ID == id })
		if i < 0 {
			return nil
		}
		return &m.Sources[i]
	},
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Positions on {{.Date}}: {{.Title}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1f2937; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d1d5db; padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #f3f4f6; }
.supports { background: #ecfdf5; } .rejects { background: #fef2f2; } .conditional { background: #fffbeb; }
.muted { color: #6b7280; } small { display: block; color: #4b5563; }
</style></head><body>
<h1>Positions on {{.Date}}</h1>
<p>{{.Title}} (<code>{{.File}}</code>). Each cell: the stance, its condition, since when and on whose word; "unknown" where no stance is recorded.</p>
<table>
<thead><tr><th scope="col">Term</th>{{range .Parties}}<th scope="col">{{.Name}} ({{.ID}})</th>{{end}}</tr></thead>
<tbody>
{{- $m := .}}
{{- range $j, $t := .Terms}}
<tr><th scope="row">{{$t.Title}}<small>{{$t.ID}}</small></th>
{{- range $i, $p := $m.Parties}}{{with cell $m $i $j}}
<td class="{{.Stance}}"{{with .Quote}} title="{{.}}"{{end}}>{{if .Since}}<strong>{{.Stance}}</strong>{{with .Condition}}: if {{.}}{{end}}<small>{{.Since}}, {{with source $m .Source}}{{if .URL}}<a href="{{.URL}}">{{.ID}}</a>{{else}}{{.ID}}{{end}}{{else}}{{.Source}}{{end}}</small>{{else}}<span class="muted">unknown</span>{{end}}</td>
{{- end}}{{end}}</tr>
{{- end}}
</tbody></table>
<h2>Quotes</h2>
<ul>
{{- range $i, $p := .Parties}}{{range $j, $t := $m.Terms}}{{with cell $m $i $j}}{{if .Quote}}
<li><strong>{{$p.Name}}</strong> on {{$t.Title}} ({{.Since}}): “{{.Quote}}”</li>{{end}}{{end}}{{end}}{{end}}
</ul>
<h2>Sources</h2>
<ul>
{{- range .Sources}}
<li id="src-{{.ID}}"><code>{{.ID}}</code>: {{if .URL}}<a href="{{.URL}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}{{with .Publisher}}, {{.}}{{end}}{{with .Date}}, {{.}}{{end}}</li>
{{- end}}
</ul>
</body></html>
`))

func writeMatrixHTML(w io.Writer, m app.PositionsMatrix) error {
	return matrixPage.Execute(w, m)
}
