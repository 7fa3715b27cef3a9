package web_test

import (
	"fmt"
	"testing"

	"github.com/truce-monitor/truce/internal/app"
	"github.com/truce-monitor/truce/internal/testdb"
)

// The timeline on the bundled scenario: the page says the counts the use
// case gives, in the reading's zone by name; its data is the chart's; an
// unknown agreement or reading is an error page (404, 400), not an empty
// chart.
func TestTimelinePages(t *testing.T) {
	base, ap := scenario(t, testdb.SQLite(t))
	ctx := t.Context()
	def, err := ap.Timeline(ctx, app.TimelineQuery{})
	if err != nil {
		t.Fatal(err)
	}
	ua, err := ap.Timeline(ctx, app.TimelineQuery{Agreement: "energy-moratorium-2025", Reading: "UA"})
	if err != nil {
		t.Fatal(err)
	}
	if def.Total == 0 || ua.Total == 0 || ua.TimeZone != "Europe/Kyiv" || len(ua.Parties) == 0 {
		t.Fatalf("the scenario's timelines: %+v\n%+v", def, ua)
	}
	for _, tc := range []pageCase{
		{name: "default", method: "GET", path: "/timeline", status: 200, contentType: html, want: []string{
			"<title>Timeline · truce</title>", `<a href="/timeline" aria-current="page">Timeline</a>`,
			fmt.Sprintf(`id="timeline-total">%d<`, def.Total), fmt.Sprintf("counted per day in %s time", def.TimeZone),
			fmt.Sprintf(`<option value="%s" selected>`, def.Agreement), `<option value="" selected>the first with findings</option>`,
			`id="timeline" data-src="/timeline/data.json?agreement=` + def.Agreement, "/static/dist/timeline.js?v=", `id="timeline-days"`,
		}, absent: []string{"http://", "https://", "UTC+", "+03:00"}},
		{name: "a reading", method: "GET", path: "/timeline?agreement=energy-moratorium-2025&reading=ua", status: 200, contentType: html, want: []string{
			fmt.Sprintf(`id="timeline-total">%d<`, ua.Total), "findings under UA&#39;s reading", "counted per day in Europe/Kyiv time",
			`<option value="UA" selected>`, fmt.Sprintf("%s: %d.", ua.Parties[0].Accused, ua.Parties[0].Total),
			`<li data-reading="RU">Under RU&#39;s reading: from `, "(Europe/Kyiv); ",
		}},
		{name: "data", method: "GET", path: "/timeline/data.json?agreement=energy-moratorium-2025&reading=UA", status: 200, contentType: js, want: []string{
			`"agreement":"energy-moratorium-2025"`, `"reading":"UA"`, `"time_zone":"Europe/Kyiv"`, fmt.Sprintf(`"total":%d`, ua.Total),
			fmt.Sprintf(`"series":[{"party":%q`, ua.Parties[0].Accused), `"bands":[{"reading":"RU"`,
		}},
		{name: "unknown agreement", method: "GET", path: "/timeline?agreement=nope", status: 404, contentType: html,
			want: []string{`agreement &#34;nope&#34; is not in the store`}, absent: []string{`id="timeline"`}},
		{name: "unknown reading", method: "GET", path: "/timeline?agreement=energy-moratorium-2025&reading=XX", status: 400, contentType: html,
			want: []string{"<h1>400 Bad Request</h1>", "unknown reading of energy-moratorium-2025 &#34;XX&#34;: use one of RU, UA"}},
		{name: "unknown reading, data", method: "GET", path: "/timeline/data.json?agreement=energy-moratorium-2025&reading=XX", status: 400, contentType: js,
			want: []string{`{"error":{"message":"unknown reading`}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, base) })
	}
}
